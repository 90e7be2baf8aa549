import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  LocalVideoTrack,
  Room,
  TrackPublishOptions,
  TrackSource,
  VideoBufferType,
  VideoFrame,
  VideoSource,
  dispose,
} from '@livekit/rtc-node';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildRenderer,
  ensureChromium,
  freeTcpPort,
  makeTestCa,
  probeMedia,
  startRtmpServer,
  type RunningRtmpServer,
} from '@tandem/devstack';
import type { AuthSession, LiveStream, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  connectWs,
  onDatabase,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
} from './testSupport.ts';

/**
 * Live streaming (issue 19) over real HTTP and WebSocket to a real RTMP server: nginx with its
 * RTMP module on loopback (Debian's, started by devstack), which records what it receives, and
 * nginx's stream module in front of it terminating TLS (RTMPS) with certificates of a test CA
 * made here with openssl, shown only to clients that send a server name (SNI). The server's recorder joins the call hidden, composes it in headless
 * Chromium and ffmpeg pushes it; ffprobe reads what nginx received. One person publishes from
 * Node (@livekit/rtc-node): a moving pattern and a tone.
 */

const livekit = inject('livekit');

let webAppDir: string;
let certificates: string;
let rtmp: RunningRtmpServer;
let server: TestServer;
let ada: AuthSession;
let grace: AuthSession;
let adaWs: WsClient;
const rooms: Room[] = [];
const stops: (() => void)[] = [];
const KEY = `live-${randomBytes(6).toString('hex')}`;

beforeAll(async () => {
  webAppDir = buildRenderer();
  // The server trusts this CA only. Its RTMPS ports, in order: a certificate for "localhost" it
  // signed, one for "localhost" another CA signed, and one it signed for another name.
  certificates = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-rtmps-ca-'));
  const ca = makeTestCa(certificates);
  const stranger = makeTestCa(certificates, 'Stranger CA');
  rtmp = await startRtmpServer({
    tls: [ca.issue(['localhost']), stranger.issue(['localhost']), ca.issue(['ingest.example.org'])],
  });
  server = await startTestServer(livekit, {
    webAppDir,
    recording: { chromiumPath: ensureChromium(), width: 640, height: 360 },
    streaming: { allowPrivate: true, caFile: ca.certFile },
    tokenKeys: `k1:${randomBytes(32).toString('base64')}`,
  });
  ada = await signUp(server.api, 'ada');
  grace = await addPerson(server.api, ada, 'grace', 'member');
  adaWs = await connectWs(server.url, ada.tokens.accessToken);
}, 120_000);

afterAll(async () => {
  for (const stop of stops) stop();
  for (const room of rooms) await room.disconnect().catch(() => undefined);
  adaWs?.close();
  await server?.close();
  await rtmp?.stop();
  fs.rmSync(webAppDir, { recursive: true, force: true });
  fs.rmSync(certificates, { recursive: true, force: true });
  await dispose();
});

const token = (who: AuthSession) => who.tokens.accessToken;

/** Ada's meeting (or webinar) with Ada in it, publishing a moving pattern and a tone from Node. */
async function meetingWithAda(title: string, type: Meeting['type'] = 'meeting'): Promise<Meeting> {
  const m = await server.api.ok('createMeeting', { token: token(ada), body: { title, type } });
  const joined = await server.api.ok('joinMeeting', { token: token(ada), params: { meetingId: m.id }, body: {} });
  if (joined.status !== 'joined') throw new Error('not joined');
  const room = new Room();
  await room.connect(joined.livekit.url, joined.livekit.token, { autoSubscribe: false, dynacast: false });
  rooms.push(room);
  const [width, height] = [320, 180];
  const video = new VideoSource(width, height);
  await room.localParticipant?.publishTrack(
    LocalVideoTrack.createVideoTrack('camera', video),
    new TrackPublishOptions({ source: TrackSource.SOURCE_CAMERA }),
  );
  const audio = new AudioSource(48_000, 1);
  await room.localParticipant?.publishTrack(
    LocalAudioTrack.createAudioTrack('mic', audio),
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  let tick = 0;
  const frames = setInterval(() => {
    const data = new Uint8Array(width * height * 4);
    for (let i = 0; i < data.length; i += 4) {
      const band = (((i / 4) % width) + tick * 4) >> 5;
      data[i] = band & 1 ? 230 : 40;
      data[i + 1] = 120;
      data[i + 2] = band & 1 ? 60 : 220;
      data[i + 3] = 255;
    }
    tick++;
    video.captureFrame(new VideoFrame(data, width, height, VideoBufferType.RGBA));
  }, 100);
  let running = true;
  stops.push(() => {
    running = false;
    clearInterval(frames);
  });
  void (async () => {
    const samples = 480;
    const tone = new Int16Array(samples);
    let phase = 0;
    while (running) {
      for (let i = 0; i < samples; i++) tone[i] = Math.round(8000 * Math.sin((phase++ * 2 * Math.PI * 440) / 48_000));
      await audio.captureFrame(new AudioFrame(tone, 48_000, 1, samples)).catch(() => undefined);
    }
  })();
  return m;
}

/** The first `stream.changed` of the meeting Ada's socket received (or receives within 60 s) that matches. */
async function told(meetingId: string, ok: (s: LiveStream) => boolean): Promise<LiveStream> {
  const match = (): LiveStream | undefined => {
    for (const e of adaWs.received)
      if (e.type === 'stream.changed' && e.stream.meetingId === meetingId && ok(e.stream)) return e.stream;
    return undefined;
  };
  await expect.poll(() => match() !== undefined, { timeout: 60_000, interval: 200 }).toBe(true);
  const found = match();
  if (found === undefined) throw new Error('no such stream.changed');
  return found;
}

describe('live streaming to a local RTMP server', () => {
  it('streams the call as h264 + aac, reports its health, keeps the key secret, and stops', async () => {
    const m = await meetingWithAda('Town hall');
    const params = { meetingId: m.id };

    // Only hosts (and a webinar's panelists) stream.
    const refused = await server.api.call('startStream', {
      token: token(grace),
      params,
      body: { url: rtmp.url, key: KEY },
    });
    expect(refused.status).toBe(403);

    const started = await server.api.ok('startStream', {
      token: token(ada),
      params,
      body: { url: rtmp.url, key: KEY },
    });
    expect(started.status).toBe('starting');
    expect(JSON.stringify(started)).not.toContain(KEY);
    const twice = await server.api.call('startStream', {
      token: token(ada),
      params,
      body: { url: rtmp.url, key: KEY },
    });
    expect(twice.status).toBe(409);

    const live = await told(m.id, (s) => s.status === 'live' && (s.bitrateKbps ?? 0) > 0);
    expect(live.fps).not.toBeNull();
    expect(live.liveSince).not.toBeNull();
    // Let nginx record a few seconds.
    await new Promise((resolve) => setTimeout(resolve, 5000));

    const state = await server.api.ok('getStream', { token: token(ada), params });
    expect(state.stream?.status).toBe('live');
    expect(state.destination).toEqual({ url: rtmp.url, keySaved: true });
    expect(JSON.stringify(state)).not.toContain(KEY);

    const stopped = await server.api.ok('stopStream', { token: token(ada), params, body: {} });
    expect(stopped.status).toBe('stopped');
    await told(m.id, (s) => s.status === 'stopped');

    // What nginx received: the composite's H.264 and the mixed audio as AAC.
    const file = rtmp.recorded(KEY);
    await expect.poll(() => fs.existsSync(file) && fs.statSync(file).size > 50_000, { timeout: 15_000 }).toBe(true);
    const probed = probeMedia(file);
    expect(probed.videoCodec).toBe('h264');
    expect(probed.audioCodec).toBe('aac');
    expect(probed.width).toBe(640);
    expect(probed.durationMs).toBeGreaterThan(3000);

    // The key is stored sealed, never in plain text; the audit log names the destination, not the key.
    const [row] = await onDatabase<{ key_sealed: string }>(
      server,
      'SELECT key_sealed FROM meeting_streams WHERE meeting_id = ?',
      m.id,
    );
    expect(row?.key_sealed).not.toContain(KEY);
    expect(JSON.parse(row?.key_sealed ?? '{}')).toHaveProperty('ciphertext');
    const audit = await server.api.ok('listAudit', { token: token(ada), query: { target: m.id } });
    const actions = audit.entries.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['stream.started', 'stream.stopped']));
    expect(JSON.stringify(audit)).not.toContain(KEY);

    // The kept key streams to the same destination again without being given; the meeting's end stops it.
    const again = await server.api.ok('startStream', { token: token(ada), params, body: { url: rtmp.url } });
    expect(again.status).toBe('starting');
    await told(m.id, (s) => s.status === 'live' && s.startedAt === again.startedAt);
    await server.api.ok('endMeeting', { token: token(ada), params, body: {} });
    await told(m.id, (s) => s.status === 'stopped' && s.startedAt === again.startedAt);
  }, 120_000);

  it('streams a webinar on air, never its backstage, over RTMPS to the address the server checked, naming the host (SNI) and verifying the certificate for it; an untrusted or wrong-name certificate fails the stream', async () => {
    const m = await meetingWithAda('Secure town hall', 'webinar');
    const params = { meetingId: m.id };
    const [trusted, untrusted, wrongName] = rtmp.rtmpsPorts;
    // The backstage is for panelists only: nothing goes out before the webinar is on air.
    const backstage = await server.api.call('startStream', {
      token: token(ada),
      params,
      body: { url: `rtmps://localhost:${trusted ?? 0}/live`, key: 'backstage' },
    });
    expect(backstage).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringContaining('backstage') } },
    });
    await server.api.ok('setWebinarLive', { token: token(ada), params, body: { live: true } });
    // "localhost" resolves to 127.0.0.1: the recorder's TLS relay dials that address, names "localhost" (nginx shows
    // no certificate to a client that names none, as CDN fronts do) and checks the certificate is for it.
    const key = `tls-${randomBytes(6).toString('hex')}`;
    const started = await server.api.ok('startStream', {
      token: token(ada),
      params,
      body: { url: `rtmps://localhost:${trusted ?? 0}/live`, key },
    });
    await told(m.id, (s) => s.status === 'live' && s.startedAt === started.startedAt && (s.bitrateKbps ?? 0) > 0);
    await new Promise((resolve) => setTimeout(resolve, 4000));
    await server.api.ok('stopStream', { token: token(ada), params, body: {} });
    await told(m.id, (s) => s.status === 'stopped' && s.startedAt === started.startedAt);
    // It arrived through TLS: nginx recorded it behind the TLS port.
    const file = rtmp.recorded(key);
    await expect.poll(() => fs.existsSync(file) && fs.statSync(file).size > 20_000, { timeout: 15_000 }).toBe(true);
    const probed = probeMedia(file);
    expect([probed.videoCodec, probed.audioCodec]).toEqual(['h264', 'aac']);

    // Certificates ffmpeg must refuse: nothing is sent, and the host is told why (never the key).
    const refusals: [number | undefined, RegExp][] = [
      [untrusted, /certificate is not trusted/],
      [wrongName, /certificate is not valid for its name/],
    ];
    for (const [port, why] of refusals) {
      const refusedKey = `tls-${randomBytes(6).toString('hex')}`;
      const attempt = await server.api.ok('startStream', {
        token: token(ada),
        params,
        body: { url: `rtmps://localhost:${port ?? 0}/live`, key: refusedKey },
      });
      const failed = await told(m.id, (s) => s.status === 'failed' && s.startedAt === attempt.startedAt);
      expect(failed.failure).toMatch(why);
      expect(failed.failure).not.toContain(refusedKey);
      expect(fs.existsSync(rtmp.recorded(refusedKey))).toBe(false);
    }
  }, 150_000);

  it('fails with a reason in plain words when the destination refuses, without the key', async () => {
    const m = await meetingWithAda('Wrong destination');
    const params = { meetingId: m.id };
    const closed = await freeTcpPort();
    const url = `rtmp://127.0.0.1:${closed}/live`;
    // Another destination needs its key.
    const keyless = await server.api.call('startStream', { token: token(ada), params, body: { url } });
    expect(keyless.status).toBe(400);
    await server.api.ok('startStream', { token: token(ada), params, body: { url, key: KEY } });
    const failed = await told(m.id, (s) => s.status === 'failed');
    expect(failed.failure).toMatch(/refused the connection/);
    expect(failed.failure).not.toContain(KEY);
  }, 90_000);

  it('refuses what is not an RTMP address, and private destinations unless allowed', async () => {
    const m = await meetingWithAda('Checks');
    const params = { meetingId: m.id };
    const http = await server.api.call('startStream', {
      token: token(ada),
      params,
      body: { url: 'https://example.com/live', key: KEY },
    });
    expect(http.status).toBe(400);
    const strict = await startTestServer(livekit);
    try {
      const owner = await signUp(strict.api, 'ada');
      const own = await strict.api.ok('createMeeting', { token: token(owner), body: { title: 'Inside' } });
      const inside = await strict.api.call('startStream', {
        token: token(owner),
        params: { meetingId: own.id },
        body: { url: rtmp.url, key: KEY },
      });
      expect(inside.status).toBe(400);
      expect(JSON.stringify(inside.body)).toMatch(/loopback/);
      // An IPv6 literal is an address like any other: taken, and judged.
      const v6 = await strict.api.call('startStream', {
        token: token(owner),
        params: { meetingId: own.id },
        body: { url: 'rtmp://[::1]:1935/live', key: KEY },
      });
      expect(v6.status).toBe(400);
      expect(JSON.stringify(v6.body)).toMatch(/::1 is a loopback address/);
    } finally {
      await strict.close();
    }
  }, 60_000);
});
