import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AudioFrame,
  AudioSource,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  dispose,
} from '@livekit/rtc-node';
import { ensureSpeech, speak } from '@tandem/devstack';
import {
  CAPTIONS_TOPIC,
  CaptionMessageSchema,
  SPECIAL_PATHS,
  type AuthSession,
  type Caption,
  type PartialCaption,
  type LivekitConnection,
  type Meeting,
} from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

/**
 * Transcripts and live captions (issue 14) over real HTTP with the real speech model: the server
 * runs the speech sidecar (tools/speech, the venv `npm run setup` makes) and a transcriber process
 * per meeting, joined hidden to the real livekit-server. Ada speaks from Node (@livekit/rtc-node)
 * with espeak-ng's voice; Grace, in the call from Node too, receives the captions.
 */

const livekit = inject('livekit');
const SENTENCES = ['Please send the budget report by Friday.', 'The new office opens in March next year.'];
const KEYWORDS = ['send', 'budget', 'report', 'friday', 'office', 'opens', 'march', 'year'];

let server: TestServer;
let ada: AuthSession;
let grace: AuthSession;
let outsider: AuthSession;
let speech: Int16Array;
const rooms: Room[] = [];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-transcripts-test-'));

beforeAll(async () => {
  // espeak-ng's voice, a second of silence around each sentence.
  speech = speak(SENTENCES, path.join(scratch, 'sentences.wav'), 1000).pcm;
  server = await startTestServer(livekit, { transcription: { allowed: true, python: ensureSpeech() } });
  ada = await signUp(server.api, 'ada');
  grace = await addPerson(server.api, ada, 'grace', 'member');
  outsider = await signUp(server.api, 'olga');
}, 180_000);

afterAll(async () => {
  for (const room of rooms) await room.disconnect().catch(() => undefined);
  await server?.close();
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

async function connect(connection: LivekitConnection): Promise<Room> {
  const room = new Room();
  await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
  rooms.push(room);
  return room;
}

/** Publishes a microphone; what it answers says `pcm` once, then a second and a half of silence (the pause ends it). */
async function microphone(room: Room): Promise<(pcm: Int16Array) => Promise<void>> {
  const source = new AudioSource(48_000, 1);
  await room.localParticipant?.publishTrack(
    LocalAudioTrack.createAudioTrack('mic', source),
    new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE }),
  );
  const frame = 480;
  const silence = new Int16Array(frame);
  return async (pcm) => {
    for (let at = 0; at + frame <= pcm.length; at += frame) {
      await source.captureFrame(new AudioFrame(pcm.slice(at, at + frame), 48_000, 1, frame));
    }
    for (let i = 0; i < 150; i++) await source.captureFrame(new AudioFrame(silence, 48_000, 1, frame));
  };
}

const keywordsIn = (text: string): string[] => {
  const words = new Set(text.toLowerCase().match(/[a-z]+/g) ?? []);
  return KEYWORDS.filter((k) => words.has(k));
};

async function health() {
  const response = await fetch(`${server.url}/healthz`);
  return (await response.json()) as { ok: boolean; details: { speech: { state: string; reason?: string } } };
}

describe('transcription on a server with the speech model', () => {
  it('says in /healthz that the model is loaded', async () => {
    let h = await health();
    for (let i = 0; i < 100 && h.details.speech.state === 'starting'; i++) {
      await new Promise((r) => setTimeout(r, 200));
      h = await health();
    }
    expect(h.ok).toBe(true);
    expect(h.details.speech).toEqual({ state: 'ready', model: 'tiny.en' });
  });

  it('is off until the organisation turns it on, which only owners and admins do', async () => {
    const m = await meeting('Settings check');
    expect(await server.api.ok('captionsStatus', { token: token(ada), params: { meetingId: m.id } })).toEqual({
      unavailable: 'organisation',
    });
    const refused = await server.api.call('updateOrganisationSettings', {
      token: token(grace),
      body: { transcription: true },
    });
    expect(refused.status).toBe(403);
    const settings = await server.api.ok('updateOrganisationSettings', {
      token: token(ada),
      body: { transcription: true },
    });
    expect(settings.transcription).toBe(true);
    expect(await server.api.ok('captionsStatus', { token: token(ada), params: { meetingId: m.id } })).toEqual({
      unavailable: null,
    });
    const e2ee = await meeting('Encrypted', { e2ee: true });
    expect(await server.api.ok('captionsStatus', { token: token(ada), params: { meetingId: e2ee.id } })).toEqual({
      unavailable: 'e2ee',
    });
  });

  describe('a call where Ada speaks', () => {
    let m: Meeting;
    const captions: Caption[] = [];
    const partials: PartialCaption[] = [];
    const said = () => captions.map((c) => c.segment.text).join(' ');
    /** The captions that heard "budget": what the searches below should find. */
    const budget = () => {
      const found = captions.filter((c) => /budget/i.test(c.segment.text)).map((c) => c.segment);
      if (found.length === 0) throw new Error(`no caption heard "budget": ${said()}`);
      return found;
    };

    beforeAll(async () => {
      m = await meeting('Budget sync');
      const graceRoom = await connect(await joinAs(grace, m.id));
      graceRoom.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
        if (topic !== CAPTIONS_TOPIC) return;
        const message = CaptionMessageSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
        if (message.type === 'caption') captions.push(message);
        else partials.push(message);
      });
      const adaRoom = await connect(await joinAs(ada, m.id));
      const say = await microphone(adaRoom);
      // The transcriber may subscribe a moment after Ada starts (its process starts on the first join):
      // she says it again, up to three times, until the captions carry the words.
      const enough = Math.ceil(KEYWORDS.length * 0.8);
      for (let round = 0; round < 3 && keywordsIn(said()).length < enough; round++) {
        await say(speech);
        const deadline = Date.now() + 10_000;
        while (keywordsIn(said()).length < enough && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
      }
      // What the pause after the sentences still ends.
      await new Promise((r) => setTimeout(r, 1500));
    }, 90_000);

    it('sends captions to the call with the speaker and what they said', () => {
      expect(captions.length).toBeGreaterThan(0);
      expect(keywordsIn(said()).length, said()).toBeGreaterThanOrEqual(Math.ceil(KEYWORDS.length * 0.8));
      for (const { segment } of captions) {
        expect(segment.meetingId).toBe(m.id);
        expect(segment.speaker).toEqual({ userId: ada.user.id, name: 'ada' });
        expect(Date.parse(segment.endedAt)).toBeGreaterThan(Date.parse(segment.startedAt));
      }
    });

    it('sends interim captions while Ada speaks, each of an utterance its caption then replaces', () => {
      expect(partials.length).toBeGreaterThan(0);
      const byUtterance = new Map(captions.map((c) => [c.utterance, c.segment]));
      for (const partial of partials) {
        expect(partial).toMatchObject({ meetingId: m.id, speaker: { userId: ada.user.id, name: 'ada' } });
      }
      // The last utterance's caption may still be on its way: the others' have come.
      const replaced = partials.filter((p) => byUtterance.has(p.utterance));
      expect(replaced.length).toBeGreaterThan(0);
      for (const partial of replaced) expect(byUtterance.get(partial.utterance)?.startedAt).toBe(partial.startedAt);
    });

    it('stores the transcript for those who may read the meeting', async () => {
      const transcript = await server.api.ok('meetingTranscript', { token: token(grace), params: { meetingId: m.id } });
      expect(transcript.segments).toEqual(captions.map((c) => c.segment));
      const other = await server.api.call('meetingTranscript', { token: token(outsider), params: { meetingId: m.id } });
      expect(other.status).toBe(404);
      const unsigned = await server.api.call('meetingTranscript', { params: { meetingId: m.id } });
      expect(unsigned.status).toBe(401);
    });

    it('finds it by search, in the meeting and across meetings, and nowhere for another organisation', async () => {
      const inMeeting = await server.api.ok('meetingTranscript', {
        token: token(ada),
        params: { meetingId: m.id },
        query: { q: 'BUDGET' },
      });
      expect(inMeeting.segments.map((s) => s.id)).toEqual(budget().map((s) => s.id));
      const none = await server.api.ok('meetingTranscript', {
        token: token(ada),
        params: { meetingId: m.id },
        query: { q: 'giraffe' },
      });
      expect(none.segments).toEqual([]);
      // LIKE's wildcards are words like any other.
      const wildcard = await server.api.ok('searchTranscripts', { token: token(ada), query: { q: '%' } });
      expect(wildcard.hits).toEqual([]);
      const found = await server.api.ok('searchTranscripts', { token: token(grace), query: { q: 'budget' } });
      expect(found.hits).toEqual(
        budget()
          .reverse()
          .map((segment) => ({ meetingTitle: 'Budget sync', segment })),
      );
      const elsewhere = await server.api.ok('searchTranscripts', { token: token(outsider), query: { q: 'budget' } });
      expect(elsewhere.hits).toEqual([]);
    });

    it('exports it as text and WebVTT', async () => {
      const exported = (format: string, who = ada) =>
        server.api.raw('GET', `${SPECIAL_PATHS.transcriptExport.replace(':meetingId', m.id)}?format=${format}`, {
          headers: { authorization: `Bearer ${token(who)}` },
        });
      const txt = await exported('txt');
      expect(txt.status).toBe(200);
      expect(txt.headers.get('content-type')).toContain('text/plain');
      expect(txt.headers.get('content-disposition')).toContain('Budget sync');
      const first = captions[0]?.segment;
      expect(await txt.text()).toContain(`[00:00:00] ada: ${first?.text ?? ''}`);
      const vtt = await exported('vtt');
      expect(vtt.headers.get('content-type')).toContain('text/vtt');
      const body = await vtt.text();
      expect(body.startsWith('WEBVTT')).toBe(true);
      expect(body).toMatch(/^00:00:00\.000 --> 00:00:0\d\.\d{3}$/m);
      for (const { segment } of captions) expect(body).toContain(`<v ada>${segment.text}`);
      expect((await exported('pdf')).status).toBe(400);
      const foreign = await exported('txt', outsider);
      expect(foreign.status).toBe(404);
      expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('not_found');
    });
  });

  it('refuses what is not a search or a meeting', async () => {
    const empty = await server.api.call('searchTranscripts', { token: token(ada), query: { q: '  ' } });
    expect(empty.status).toBe(400);
    const long = await server.api.call('searchTranscripts', { token: token(ada), query: { q: 'x'.repeat(201) } });
    expect(long.status).toBe(400);
    const badId = await server.api.call('meetingTranscript', { token: token(ada), params: { meetingId: 'nope' } });
    expect(badId.status).toBe(400);
  });
});

describe('a server whose speech model is missing', () => {
  let broken: TestServer;

  beforeAll(async () => {
    broken = await startTestServer(livekit, {
      transcription: { allowed: true, python: path.join(scratch, 'no-such-python') },
    });
  });
  afterAll(async () => broken?.close());

  it('stays healthy, says why in /healthz, and tells the call captions are unavailable', async () => {
    let body = (await (await fetch(`${broken.url}/healthz`)).json()) as {
      ok: boolean;
      details: { speech: { state: string; reason?: string } };
    };
    for (let i = 0; i < 50 && body.details.speech.state === 'starting'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      body = (await (await fetch(`${broken.url}/healthz`)).json()) as typeof body;
    }
    expect(body.ok).toBe(true);
    expect(body.details.speech.state).toBe('unavailable');
    expect(body.details.speech.reason).toContain('no-such-python');
    const owner = await signUp(broken.api, 'ivy');
    await broken.api.ok('updateOrganisationSettings', { token: token(owner), body: { transcription: true } });
    const m = await broken.api.ok('createMeeting', { token: token(owner), body: { title: 'No model', settings: {} } });
    const joined = await broken.api.ok('joinMeeting', { token: token(owner), params: { meetingId: m.id }, body: {} });
    expect(joined.status).toBe('joined');
    expect(await broken.api.ok('captionsStatus', { token: token(owner), params: { meetingId: m.id } })).toEqual({
      unavailable: 'model',
    });
  });
});

describe('a server where IT turned transcription off', () => {
  let off: TestServer;

  beforeAll(async () => {
    off = await startTestServer(livekit);
  });
  afterAll(async () => off?.close());

  it('keeps it off whatever the organisation chooses', async () => {
    const body = (await (await fetch(`${off.url}/healthz`)).json()) as { details: { speech: { state: string } } };
    expect(body.details.speech).toEqual({ state: 'off' });
    const owner = await signUp(off.api, 'kim');
    const settings = await off.api.ok('updateOrganisationSettings', {
      token: token(owner),
      body: { transcription: true },
    });
    expect(settings.transcription).toBe(false);
    const m = await off.api.ok('createMeeting', { token: token(owner), body: { title: 'Off', settings: {} } });
    expect(await off.api.ok('captionsStatus', { token: token(owner), params: { meetingId: m.id } })).toEqual({
      unavailable: 'policy',
    });
  });
});
