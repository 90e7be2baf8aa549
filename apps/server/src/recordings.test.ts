import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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
import {
  buildRenderer,
  ensureChromium,
  meanLuma,
  meanVolumeDb,
  pixelAt,
  probeMedia,
  processesWithArgs,
} from '@tandem/devstack';
import { randomUUID } from 'node:crypto';
import { annotations, type AuthSession, type LivekitConnection, type Meeting, type Recording } from '@tandem/shared';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
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
 * Recording (issue 14) over real HTTP and WebSocket, with the real recorder: a process per
 * recording driving headless Chromium on the renderer build's composition page, joined hidden to
 * the real livekit-server. Two people publish from Node (@livekit/rtc-node): a moving colour
 * pattern and a tone, so the file can be checked for real pictures and sound.
 */

const livekit = inject('livekit');

let webAppDir: string;
let server: TestServer;
let ada: AuthSession;
let grace: AuthSession;
let adaWs: WsClient;
let graceWs: WsClient;
const rooms: Room[] = [];
const stops: (() => void)[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-recordings-test-'));

beforeAll(async () => {
  webAppDir = buildRenderer();
  server = await startTestServer(livekit, {
    webAppDir,
    recording: { chromiumPath: ensureChromium(), width: 640, height: 360 },
  });
  ada = await signUp(server.api, 'ada');
  grace = await addPerson(server.api, ada, 'grace', 'member');
  adaWs = await connectWs(server.url, ada.tokens.accessToken);
  graceWs = await connectWs(server.url, grace.tokens.accessToken);
}, 120_000);

afterAll(async () => {
  for (const stop of stops) stop();
  for (const room of rooms) await room.disconnect().catch(() => undefined);
  adaWs?.close();
  graceWs?.close();
  await server?.close();
  fs.rmSync(webAppDir, { recursive: true, force: true });
  fs.rmSync(scratch, { recursive: true, force: true });
  await dispose();
});

const token = (who: AuthSession) => who.tokens.accessToken;

async function meeting(title: string, settings: Partial<Meeting['settings']> = {}): Promise<Meeting> {
  return server.api.ok('createMeeting', { token: token(ada), body: { title, settings } });
}

async function joinAs(who: AuthSession, meetingId: string): Promise<LivekitConnection> {
  const joined = await server.api.ok('joinMeeting', { token: token(who), params: { meetingId }, body: {} });
  if (joined.status !== 'joined') throw new Error(`not joined: ${JSON.stringify(joined)}`);
  return joined.livekit;
}

/** A participant from Node with a camera (a moving colour pattern) and a microphone (a tone). */
async function publish(connection: LivekitConnection, hue: number): Promise<void> {
  const room = new Room();
  await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
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
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 4;
        const band = ((x + tick * 4) >> 5) & 1;
        data[i] = band ? 230 : (hue * 3) % 256;
        data[i + 1] = band ? 200 : 120;
        data[i + 2] = band ? 60 : 220;
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
  // 10 ms of a tone per frame; captureFrame waits while the source's queue is full, which paces it.
  const samples = 480;
  const tone = new Int16Array(samples);
  void (async () => {
    let phase = 0;
    while (running) {
      for (let i = 0; i < samples; i++)
        tone[i] = Math.round(8000 * Math.sin((phase++ * 2 * Math.PI * (300 + hue)) / 48_000));
      await audio.captureFrame(new AudioFrame(tone, 48_000, 1, samples)).catch(() => undefined);
    }
  })();
}

/** A screen share from Node: a plain grey screen, so what is drawn on it stands out. */
async function shareScreen(connection: LivekitConnection): Promise<Room> {
  const room = new Room();
  await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
  rooms.push(room);
  const [width, height] = [640, 360];
  const screen = new VideoSource(width, height);
  await room.localParticipant?.publishTrack(
    LocalVideoTrack.createVideoTrack('screen', screen),
    new TrackPublishOptions({ source: TrackSource.SOURCE_SCREENSHARE }),
  );
  const grey = new Uint8Array(width * height * 4).fill(128);
  const frames = setInterval(() => screen.captureFrame(new VideoFrame(grey, width, height, VideoBufferType.RGBA)), 100);
  stops.push(() => clearInterval(frames));
  return room;
}

const changed = (ws: WsClient, id: string, status: Recording['status']) =>
  ws.next('recording.changed', (m) => m.recording.id === id && m.recording.status === status);

/** Waits up to `ms` for a recording.changed (the default 10 s of `next` is short for a recorder starting). */
async function eventually<T>(what: () => Promise<T>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await what();
    } catch (e) {
      if (Date.now() > deadline) throw e;
    }
  }
}

async function download(meetingId: string, recordingId: string, who = ada): Promise<string> {
  const link = await server.api.ok('recordingLink', {
    token: token(who),
    params: { meetingId, recordingId },
    body: {},
  });
  const response = await fetch(link.downloadUrl);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename\*=UTF-8''/);
  const file = path.join(scratch, `${recordingId}.mp4`);
  fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

async function auditActions(organisationId: string): Promise<string[]> {
  const rows = await onDatabase<{ action: string }>(
    server,
    "SELECT action FROM audit_log WHERE organisation_id = ? AND action LIKE 'recording.%' ORDER BY seq",
    organisationId,
  );
  return rows.map((r) => r.action);
}

describe('recording', () => {
  let recorded: { meetingId: string; recordingId: string } | undefined;

  it('records a two-person call: both hear of it, the file is h264 + opus, as long as the recording, with pictures and sound', async () => {
    const m = await meeting('Recorded call');
    await publish(await joinAs(ada, m.id), 10);
    await publish(await joinAs(grace, m.id), 60);

    const started = await server.api.ok('startRecording', { token: token(ada), params: { meetingId: m.id }, body: {} });
    expect(started).toMatchObject({ status: 'starting', startedBy: { id: ada.user.id }, failure: null });
    // Both are told at once, before the recorder even runs: the meeting carries the recording.
    for (const ws of [adaWs, graceWs]) {
      const told = await ws.next('meeting.changed', (e) => e.meeting.id === m.id && e.meeting.recording !== null);
      expect(told.meeting.recording).toEqual({ id: started.id, since: started.createdAt });
    }
    expect(
      (await server.api.ok('getMeeting', { token: token(grace), params: { meetingId: m.id } })).recording?.id,
    ).toBe(started.id);
    // Whoever follows the meeting's link is told before entering.
    expect(await (await server.api.raw('GET', `/j/${m.joinCode}`)).text()).toContain('This meeting is being recorded.');
    const again = await server.api.call('startRecording', { token: token(ada), params: { meetingId: m.id }, body: {} });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const byGrace = await server.api.call('stopRecording', {
      token: token(grace),
      params: { meetingId: m.id, recordingId: started.id },
      body: {},
    });
    expect(byGrace).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const running = (await eventually(() => changed(graceWs, started.id, 'recording'))).recording;
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const stopping = await server.api.ok('stopRecording', {
      token: token(ada),
      params: { meetingId: m.id, recordingId: started.id },
      body: {},
    });
    expect(stopping.status).toBe('stopping');
    await graceWs.next('meeting.changed', (e) => e.meeting.id === m.id && e.meeting.recording === null);
    const ready = (await eventually(() => changed(adaWs, started.id, 'ready'))).recording;
    const span = Date.parse(ready.endedAt ?? '') - Date.parse(running.startedAt ?? '');
    expect(span).toBeGreaterThan(5500);

    const list = await server.api.ok('listRecordings', { token: token(grace), params: { meetingId: m.id } });
    expect(list.unavailable).toBeNull();
    expect(list.recordings).toEqual([ready]);
    expect(ready.expiresAt).not.toBeNull();

    const file = await download(m.id, started.id, grace);
    const probed = probeMedia(file);
    expect(probed).toMatchObject({ videoCodec: 'h264', audioCodec: 'opus', width: 640, height: 360 });
    expect(Math.abs(probed.durationMs - span) / span).toBeLessThan(0.1);
    expect(ready.durationMs).toBe(probed.durationMs);
    expect(meanLuma(file, 4)).toBeGreaterThan(40);
    expect(meanVolumeDb(file)).toBeGreaterThan(-50);
    expect(await auditActions(ada.user.organisationId)).toEqual(['recording.started', 'recording.stopped']);
    recorded = { meetingId: m.id, recordingId: started.id };
  }, 120_000);

  it('serves the file with HTTP ranges (a <video> seeks with them), only through a live link', async () => {
    if (recorded === undefined) throw new Error('needs the recording of the first test');
    const link = await server.api.ok('recordingLink', {
      token: token(ada),
      params: { meetingId: recorded.meetingId, recordingId: recorded.recordingId },
      body: {},
    });
    const whole = await fetch(link.url);
    const size = Number(whole.headers.get('content-length'));
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    await whole.arrayBuffer();
    const part = await fetch(link.url, { headers: { range: 'bytes=100-199' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${size}`);
    expect((await part.arrayBuffer()).byteLength).toBe(100);
    const tail = await fetch(link.url, { headers: { range: 'bytes=-10' } });
    expect(tail.headers.get('content-range')).toBe(`bytes ${size - 10}-${size - 1}/${size}`);
    expect((await fetch(link.url, { headers: { range: `bytes=${size}-` } })).status).toBe(416);
    expect((await fetch(link.url.replace(/[^/]+$/, 'not-a-link'))).status).toBe(404);
  });

  it('keeps the partial file of a recorder killed mid-recording, marks the recording failed and tells the host', async () => {
    const m = await meeting('Recorder crash', { lobby: true });
    await publish(await joinAs(ada, m.id), 120);
    const knock = await server.api.ok('joinMeeting', { token: token(grace), params: { meetingId: m.id }, body: {} });
    expect(knock.status).toBe('waiting');
    const started = await server.api.ok('startRecording', { token: token(ada), params: { meetingId: m.id }, body: {} });
    // Someone waiting in the lobby is told before entering.
    await graceWs.next('recording.changed', (e) => e.recording.id === started.id);
    await eventually(() => changed(adaWs, started.id, 'recording'));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // Killed once it has written pictures, not only the file's header (a fragment comes about every second).
    const written = path.join(server.recordingsDir, 'scratch', `${started.id}.part.mp4`);
    await expect.poll(() => fs.statSync(written).size, { timeout: 15_000 }).toBeGreaterThan(30_000);
    // The recorder is started with its recording's id on its command line.
    const [pid, ...more] = processesWithArgs('--recording', started.id);
    expect(pid).toBeDefined();
    expect(more).toEqual([]);
    process.kill(pid ?? 0, 'SIGKILL');

    const failed = (await eventually(() => changed(adaWs, started.id, 'failed'))).recording;
    expect(failed.failure).toBe('the recorder stopped unexpectedly (signal SIGKILL)');
    expect(failed.sizeBytes).toBeGreaterThan(0);
    await adaWs.next('meeting.changed', (e) => e.meeting.id === m.id && e.meeting.recording === null);
    const probed = probeMedia(await download(m.id, started.id));
    expect(probed.videoCodec).toBe('h264');
    expect(probed.durationMs).toBeGreaterThan(1000);
  }, 120_000);

  it('lays out a shared screen first, with what is drawn on it', async () => {
    const m = await meeting('Shared screen');
    const sharer = await shareScreen(await joinAs(ada, m.id));
    const started = await server.api.ok('startRecording', { token: token(ada), params: { meetingId: m.id }, body: {} });
    await eventually(() => changed(adaWs, started.id, 'recording'));
    // Ada draws a thick red line across the middle of her screen, as the call's annotation layer sends it.
    const line = annotations.createElement(
      new Map(),
      {
        kind: 'pen',
        color: '#ff0000',
        strokeWidth: 0.08,
        points: [
          [0.1, 0.5],
          [0.9, 0.5],
        ],
      },
      randomUUID(),
      { authorId: ada.user.id },
    );
    // Sent again each second until the recorder, subscribed by then, has it (a repeat changes nothing).
    for (let i = 0; i < 4; i++) {
      for (const message of annotations.encodeElements([line]))
        await sharer.localParticipant?.publishData(new TextEncoder().encode(JSON.stringify(message)), {
          reliable: true,
          topic: annotations.ANNOTATIONS_TOPIC.topic,
        });
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await server.api.ok('stopRecording', {
      token: token(ada),
      params: { meetingId: m.id, recordingId: started.id },
      body: {},
    });
    const ready = (await eventually(() => changed(adaWs, started.id, 'ready'))).recording;
    const file = await download(m.id, started.id);
    const at = (ready.durationMs ?? 0) / 1000 - 0.5;
    // 640 x 360: the share fills the 288 px above the strip, letterboxed to 512 x 288 from x = 64.
    const onLine = pixelAt(file, at, 640, 320, 144);
    expect(onLine.r, JSON.stringify(onLine)).toBeGreaterThan(150);
    expect(onLine.g).toBeLessThan(100);
    const screen = pixelAt(file, at, 640, 320, 60);
    for (const channel of [screen.r, screen.g, screen.b])
      expect(Math.abs(channel - 128), JSON.stringify(screen)).toBeLessThan(30);
  }, 120_000);

  it('refuses an end-to-end encrypted meeting, and a meeting of an organisation that turned recording off', async () => {
    const e2ee = await meeting('Encrypted', { e2ee: true });
    await joinAs(grace, e2ee.id);
    const refused = await server.api.call('startRecording', {
      token: token(ada),
      params: { meetingId: e2ee.id },
      body: {},
    });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(JSON.stringify(refused.body)).toContain('end-to-end encrypted');
    expect(await server.api.ok('listRecordings', { token: token(grace), params: { meetingId: e2ee.id } })).toEqual({
      recordings: [],
      unavailable: 'e2ee',
    });

    const plain = await meeting('Plain');
    const byMember = await server.api.call('updateOrganisationSettings', {
      token: token(grace),
      body: { recording: false },
    });
    expect(byMember.status).toBe(403);
    expect(
      await server.api.ok('updateOrganisationSettings', { token: token(ada), body: { recording: false } }),
    ).toMatchObject({ recording: false, recordingRetentionDays: 90 });
    const off = await server.api.call('startRecording', {
      token: token(ada),
      params: { meetingId: plain.id },
      body: {},
    });
    expect(off).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(
      (await server.api.ok('listRecordings', { token: token(ada), params: { meetingId: plain.id } })).unavailable,
    ).toBe('organisation');
    await server.api.ok('updateOrganisationSettings', { token: token(ada), body: { recording: true } });

    // Someone who has not joined sees no recordings; another organisation's meeting does not exist.
    expect(
      (await server.api.call('listRecordings', { token: token(grace), params: { meetingId: plain.id } })).status,
    ).toBe(403);
    const other = await signUp(server.api, 'eve');
    const foreign = await server.api.call('listRecordings', { token: token(other), params: { meetingId: plain.id } });
    expect(foreign).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('deletes recordings once the organisation’s retention period is over (the sweep runs at start, then hourly)', async () => {
    if (recorded === undefined) throw new Error('needs the recording of the first test');
    const { meetingId, recordingId } = recorded;
    await server.api.ok('updateOrganisationSettings', { token: token(ada), body: { recordingRetentionDays: 2 } });
    const file = path.join(server.recordingsDir, 'files', ada.user.organisationId, `${recordingId}.mp4`);
    expect(fs.existsSync(file)).toBe(true);
    await onDatabase(
      server,
      'UPDATE recordings SET ended_at = ? WHERE id = ?',
      new Date(Date.now() - 3 * 24 * 60 * 60 * 1000).toISOString(),
      recordingId,
    );
    adaWs.close();
    graceWs.close();
    server = await server.restart();
    const left = await server.api.ok('listRecordings', { token: token(ada), params: { meetingId } });
    expect(left.recordings.map((r) => r.id)).not.toContain(recordingId);
    expect(left.recordings).toEqual([]);
    expect(fs.existsSync(file)).toBe(false);
    expect(await auditActions(ada.user.organisationId)).toContain('recording.deleted');
  }, 60_000);
});

describe('recording turned off by IT', () => {
  it('refuses in every organisation and says so', async () => {
    const it = await startTestServer(livekit, { recording: { allowed: false } });
    try {
      const owner = await signUp(it.api, 'olga');
      const m = await it.api.ok('createMeeting', { token: token(owner), body: { title: 'Policy' } });
      const refused = await it.api.call('startRecording', {
        token: token(owner),
        params: { meetingId: m.id },
        body: {},
      });
      expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      expect(JSON.stringify(refused.body)).toContain('IT policy');
      expect(
        (await it.api.ok('listRecordings', { token: token(owner), params: { meetingId: m.id } })).unavailable,
      ).toBe('policy');
      expect(await it.api.ok('getOrganisationSettings', { token: token(owner) })).toMatchObject({ recording: false });
    } finally {
      await it.close();
    }
  });
});

describe('recordings in S3-compatible storage (s3rver: an S3 HTTP server from npm, speaking the S3 REST API)', () => {
  it('uploads the finished file, serves it with ranges from the bucket, deletes it there', async () => {
    const bucketDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-s3rver-'));
    const s3server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: bucketDir,
      configureBuckets: [{ name: 'recordings' }],
    });
    const { port } = await s3server.run();
    const s3 = {
      bucket: 'recordings',
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      forcePathStyle: true,
    };
    const bucket = new S3Client({
      region: s3.region,
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: s3.credentials,
    });
    const s3Server = await startTestServer(livekit, {
      webAppDir,
      recording: { chromiumPath: ensureChromium(), width: 640, height: 360, s3 },
    });
    try {
      const owner = await signUp(s3Server.api, 'sam');
      const ws = await connectWs(s3Server.url, token(owner));
      const m = await s3Server.api.ok('createMeeting', { token: token(owner), body: { title: 'Into the bucket' } });
      const joined = await s3Server.api.ok('joinMeeting', {
        token: token(owner),
        params: { meetingId: m.id },
        body: {},
      });
      if (joined.status !== 'joined') throw new Error('not joined');
      await publish(joined.livekit, 200);
      const started = await s3Server.api.ok('startRecording', {
        token: token(owner),
        params: { meetingId: m.id },
        body: {},
      });
      await eventually(() => changed(ws, started.id, 'recording'));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      await s3Server.api.ok('stopRecording', {
        token: token(owner),
        params: { meetingId: m.id, recordingId: started.id },
        body: {},
      });
      const ready = (await eventually(() => changed(ws, started.id, 'ready'))).recording;
      ws.close();

      const key = `${owner.user.organisationId}/${started.id}.mp4`;
      const head = await bucket.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }));
      expect(head.ContentLength).toBe(ready.sizeBytes);
      // Nothing of it is left on the server's disk.
      expect(fs.readdirSync(path.join(s3Server.recordingsDir, 'scratch'))).toEqual([]);
      expect(fs.existsSync(path.join(s3Server.recordingsDir, 'files'))).toBe(false);

      const link = await s3Server.api.ok('recordingLink', {
        token: token(owner),
        params: { meetingId: m.id, recordingId: started.id },
        body: {},
      });
      const part = await fetch(link.url, { headers: { range: 'bytes=0-99' } });
      expect(part.status).toBe(206);
      expect(part.headers.get('content-range')).toBe(`bytes 0-99/${ready.sizeBytes}`);
      expect((await part.arrayBuffer()).byteLength).toBe(100);
      const file = path.join(scratch, `${started.id}.mp4`);
      fs.writeFileSync(file, Buffer.from(await (await fetch(link.downloadUrl)).arrayBuffer()));
      expect(probeMedia(file)).toMatchObject({ videoCodec: 'h264', audioCodec: 'opus' });

      await s3Server.api.ok('deleteRecording', {
        token: token(owner),
        params: { meetingId: m.id, recordingId: started.id },
      });
      await expect(bucket.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).rejects.toThrow();
    } finally {
      await s3Server.close();
      await s3server.close();
      fs.rmSync(bucketDir, { recursive: true, force: true });
    }
  }, 120_000);
});
