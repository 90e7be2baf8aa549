import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  answeringAgent,
  dialIn,
  ensureSpeech,
  webhookPair,
  freeUdpPort,
  refusingAgent,
  ringingAgent,
  startSip,
  type RunningSip,
  type SipCallee,
} from '@tandem/devstack';
import {
  AudioFrame,
  AudioSource,
  AudioStream,
  dispose,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackKind,
  TrackPublishOptions,
  TrackSource,
  type RemoteParticipant,
  type RemoteTrack,
} from '@livekit/rtc-node';
import {
  CAPTIONS_TOPIC,
  CaptionMessageSchema,
  maskPhoneNumber,
  SPECIAL_PATHS,
  type AuthSession,
  type JoinResult,
  type LivekitConnection,
} from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roomOf } from './services/meetings.ts';
import { addPerson, onDatabase, signUp, startTestServer, type TestServer } from './testSupport.ts';

/**
 * Phone calls end to end on real components: Redis, livekit-server and livekit-sip on loopback
 * (`startSip`), this server with dial-in and an outbound trunk, sipp as the phones (its audio an
 * RTP capture of espeak-ng speech in 20 ms A-law packets with RFC 4733 keypad tones), and
 * meeting participants from Node with @livekit/rtc-node.
 */
/** Words of what the dial-in caller says that the captions should carry. */
const KEYWORDS = ['morning', 'phone', 'quarterly', 'numbers', 'summary'];

// Real calls with spoken prompts: a test without its own timeout gets 90 s (the denial test took
// about 25 s of the default 30 under load).
describe('phone dial-in, dial-out and the audio bridge through livekit-sip', { timeout: 90_000 }, () => {
  let sip: RunningSip;
  let server: TestServer;
  let rooms: RoomServiceClient;
  let host: AuthSession;
  let member: AuthSession;
  let dir: string;
  /** Where the outbound trunk sends calls: each test's answering agent listens here in turn. */
  let calleePort: number;
  const connected: Room[] = [];

  beforeAll(async () => {
    // LiveKit tells this server what happens in its rooms (a call leaving ends its account).
    calleePort = await freeUdpPort();
    [sip, server] = await webhookPair(
      SPECIAL_PATHS.livekitWebhook,
      (url) => startSip({ webhookUrls: [url] }),
      (started, port) =>
        startTestServer(started.livekit, {
          port,
          phone: {
            dialIn: { allowedAddresses: ['127.0.0.1/32'] },
            outbound: { address: `127.0.0.1:${calleePort}`, number: '+442071230000' },
            // The SIP address the dial-out test calls is the answering agent on loopback.
            sipAllowPrivate: true,
            maxPinFailures: 2,
            // A room connector nobody answers gives way to the phone bridge after 4 s, not the default 20.
            connectorRingSeconds: 4,
            pinFailureWindowMs: 15 * 60_000,
            espeakPath: 'espeak-ng',
          },
          // Waiting callers have no socket: the call itself must keep their lobby entry.
          lobbyAbandonSeconds: 1,
          // The dial-in caller's words reach the transcript (the real speech model).
          transcription: { allowed: true, python: ensureSpeech() },
        }),
    );
    rooms = new RoomServiceClient(sip.livekit.httpUrl, sip.livekit.apiKey, sip.livekit.apiSecret);
    host = await signUp(server.api, 'phone-host');
    member = await addPerson(server.api, host, 'phone-member', 'member');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-phone-test-'));
    await server.api.ok('setDialInNumbers', {
      token: host.tokens.accessToken,
      body: { numbers: [{ number: '+442071230001', label: 'United Kingdom' }] },
    });
  });

  afterAll(async () => {
    for (const room of connected) await room.disconnect().catch(() => undefined);
    await server?.close();
    await sip?.stop();
    await dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const token = (who: AuthSession) => who.tokens.accessToken;

  async function meeting(title: string): Promise<string> {
    const made = await server.api.ok('createMeeting', {
      token: token(host),
      body: { title, settings: { lobby: true } },
    });
    return made.id;
  }

  async function enter(who: AuthSession, meetingId: string): Promise<Room> {
    const result = await server.api.call('joinMeeting', { token: token(who), params: { meetingId }, body: {} });
    const body = result.body as JoinResult;
    if (body.status !== 'joined') throw new Error(`not joined: ${JSON.stringify(body)}`);
    const connection: LivekitConnection = body.livekit;
    const room = new Room();
    await room.connect(connection.url, connection.token, { autoSubscribe: true, dynacast: false });
    connected.push(room);
    return room;
  }

  /** RMS (0…1) of what `room` hears from the participant named `name`, second by second. */
  function listen(room: Room, name: string): { readonly seconds: number[] } {
    const heard = { seconds: [] as number[] };
    const measure = async (track: RemoteTrack): Promise<void> => {
      let sum = 0;
      let n = 0;
      for await (const frame of new AudioStream(track, { sampleRate: 48_000, numChannels: 1 })) {
        for (const s of frame.data) sum += (s / 32768) ** 2;
        n += frame.data.length;
        if (n >= 48_000) {
          heard.seconds.push(Math.sqrt(sum / n));
          sum = 0;
          n = 0;
        }
      }
    };
    room.on(RoomEvent.TrackSubscribed, (track: RemoteTrack, _pub, p: RemoteParticipant) => {
      if (p.name === name && track.kind === TrackKind.KIND_AUDIO) void measure(track);
    });
    return heard;
  }

  /** Publishes a steady 440 Hz tone into `room`, as someone speaking would; returns its stopper. */
  async function hum(room: Room): Promise<() => void> {
    const source = new AudioSource(48_000, 1);
    const track = LocalAudioTrack.createAudioTrack('hum', source);
    const options = new TrackPublishOptions();
    options.source = TrackSource.SOURCE_MICROPHONE;
    await room.localParticipant?.publishTrack(track, options);
    let t = 0;
    let on = true;
    void (async () => {
      while (on) {
        const data = new Int16Array(480);
        for (let i = 0; i < data.length; i += 1, t += 1)
          data[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * t) / 48_000));
        await source.captureFrame(new AudioFrame(data, 48_000, 1, 480));
      }
    })();
    return () => {
      on = false;
    };
  }

  const waitingNames = async (meetingId: string): Promise<string[]> =>
    (await server.api.ok('listLobby', { token: token(host), params: { meetingId } })).entries.map((e) => e.name);

  /** The lobby entry of the one caller waiting, once they wait under `masked`. */
  const waitingEntry = async (meetingId: string, masked: string): Promise<string> => {
    await expect.poll(() => waitingNames(meetingId), { timeout: 20_000, interval: 200 }).toEqual([masked]);
    return (await server.api.ok('listLobby', { token: token(host), params: { meetingId } })).entries[0]?.id ?? '';
  };

  /**
   * A Teams invitation with its phone bridge (conference ID 418 924 075) and, given its tenant
   * key, the video conferencing device section (video ID 119 756 380 5).
   */
  const teamsInvitation = (tenantKey?: string): string =>
    [
      'Microsoft Teams meeting',
      'Join the meeting now <https://teams.microsoft.com/l/meetup-join/19%3ameeting_N2E3M2Q2YjYtZTI4Yi00YjBjLWE3ZjQtNWFhYWJkOGRmMzE1%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%7d>',
      'Dial in by phone',
      '+1 206-555-0100,,418924075# United States, Seattle',
      'Phone conference ID: 418 924 075#',
      ...(tenantKey === undefined
        ? []
        : ['Join on a video conferencing device', `Tenant key: ${tenantKey}`, 'Video ID: 119 756 380 5']),
    ].join('\n');

  /** A host removes a call placed into the meeting: livekit-sip hangs up, and the agent that answered it finishes. */
  async function hangUp(meetingId: string, userId: string, callee: SipCallee): Promise<void> {
    await server.api.ok('removeParticipant', { token: token(host), params: { meetingId, userId }, body: {} });
    expect(await callee.done).toBe(0);
  }

  const callRooms = async (): Promise<string[]> =>
    (await rooms.listRooms()).map((r) => r.name).filter((r) => r.startsWith('phone-in-'));

  const presenceOf = async (userId: string): Promise<string | undefined> =>
    (await onDatabase<{ status: string }>(server, 'SELECT status FROM presence WHERE user_id = ?', userId))[0]?.status;

  /** Whether a call's guest account ended: deactivated, with no session left open. */
  async function retired(userId: string): Promise<boolean> {
    const [user] = await onDatabase<{ deactivated_at: string | null }>(
      server,
      'SELECT deactivated_at FROM users WHERE id = ?',
      userId,
    );
    const [open] = await onDatabase<{ n: number | string }>(
      server,
      'SELECT count(*) AS n FROM sessions WHERE user_id = ? AND revoked_at IS NULL',
      userId,
    );
    return user?.deactivated_at != null && Number(open?.n) === 0;
  }
  it('shows the organisation’s numbers and a 9-digit PIN, the same each time, to whoever takes part', async () => {
    const meetingId = await meeting('Dial-in details');
    const first = await server.api.ok('meetingDialIn', { token: token(host), params: { meetingId } });
    expect(first).toMatchObject({ available: true, numbers: [{ number: '+442071230001', label: 'United Kingdom' }] });
    expect(first.pin).toMatch(/^\d{9}$/);
    const again = await server.api.ok('meetingDialIn', { token: token(member), params: { meetingId } });
    expect(again.pin).toBe(first.pin);
    const other = await server.api.ok('meetingDialIn', {
      token: token(host),
      params: { meetingId: await meeting('Other') },
    });
    expect(other.pin).not.toBe(first.pin);
    // The invitation a calendar gets says the same (ICS lines are folded at 75 octets).
    const scheduled = await server.api.ok('createMeeting', {
      token: token(host),
      body: { title: 'Scheduled call', startsAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    const pinOf = await server.api.ok('meetingDialIn', { token: token(host), params: { meetingId: scheduled.id } });
    const ics = await fetch(`${server.url}/meetings/${scheduled.id}/event.ics`, {
      headers: { authorization: `Bearer ${token(host)}` },
    });
    const description = (await ics.text()).replace(/\r\n[ \t]/g, '');
    expect(description).toContain('Dial-in: +442071230001 (United Kingdom)');
    expect(description).toContain(`Phone PIN: ${(pinOf.pin ?? '').replace(/(\d{3})(?=\d)/g, '$1 ')} #`);
    // Only owners and admins set the numbers.
    const refused = await server.api.call('setDialInNumbers', { token: token(member), body: { numbers: [] } });
    expect(refused.status).toBe(403);
  });

  // The speech model transcribes the call as it goes: longer than the suite's default.
  it('a caller enters the PIN by keypad, waits in the lobby, is let in and heard in the meeting; hosts mute and remove them', async () => {
    const meetingId = await meeting('Phone standup');
    const { pin } = await server.api.ok('meetingDialIn', { token: token(host), params: { meetingId } });
    // Transcribed from the first join: its transcriber joins with the host.
    await server.api.ok('updateOrganisationSettings', { token: token(host), body: { transcription: true } });
    const hostRoom = await enter(host, meetingId);
    const masked = maskPhoneNumber('+441632961234');
    expect(masked).toBe('+44 •••• ••12 34');
    const heard = listen(hostRoom, masked);
    const captioned: { userId: string | null; name: string; words: Set<string> }[] = [];
    hostRoom.on(RoomEvent.DataReceived, (payload, _participant, _kind, topic) => {
      if (topic !== CAPTIONS_TOPIC) return;
      const message = CaptionMessageSchema.parse(JSON.parse(new TextDecoder().decode(payload)));
      if (message.type !== 'caption') return;
      const { speaker, text } = message.segment;
      captioned.push({ ...speaker, words: new Set(text.toLowerCase().match(/[a-z]+/g) ?? []) });
    });
    const call = await dialIn({
      sipPort: sip.sipPort,
      from: '+441632961234',
      to: '+442071230001',
      script: [
        { silenceMs: 1500 },
        { digits: `${pin ?? ''}#` },
        { silenceMs: 6000 },
        { say: 'Good morning everyone, this is the phone. The quarterly numbers are ready.' },
        { say: 'I will send the summary after the call. Thank you.' },
        { silenceMs: 1000 },
        { say: 'Good morning everyone, this is the phone. The quarterly numbers are ready.' },
      ],
      hangUpAfterMs: 60_000,
      dir,
    });
    try {
      const entryId = await waitingEntry(meetingId, masked);
      // Waiting is not being in: the caller is not in the meeting's room yet.
      expect(hostRoom.remoteParticipants.size).toBe(0);
      await server.api.ok('admit', { token: token(host), params: { meetingId, entryId }, body: {} });
      await expect
        .poll(() => [...hostRoom.remoteParticipants.values()].map((p) => p.name), { timeout: 10_000 })
        .toEqual([masked]);
      // Speech, not the line's hiss: well above the noise floor.
      await expect.poll(() => Math.max(0, ...heard.seconds), { timeout: 20_000, interval: 500 }).toBeGreaterThan(0.02);

      const caller = [...hostRoom.remoteParticipants.values()][0];
      const userId = caller?.attributes['userId'] ?? '';
      // And words: the captions of the caller (8 kHz A-law through the trunk) carry what was said,
      // most of the keywords (the small model on telephone audio misses a word now and then).
      const heardWords = () => KEYWORDS.filter((k) => captioned.some((c) => c.userId === userId && c.words.has(k)));
      await expect.poll(() => heardWords().length, { timeout: 45_000, interval: 500 }).toBeGreaterThanOrEqual(3);
      expect(captioned.find((c) => c.userId === userId)?.name).toBe(masked);
      await server.api.ok('muteParticipant', {
        token: token(host),
        params: { meetingId, userId },
        body: { kind: 'audio' },
      });
      await expect
        .poll(
          async () =>
            (await server.api.ok('listParticipants', { token: token(host), params: { meetingId } })).participants
              .find((p) => p.identity === userId)
              ?.tracks.every((t) => t.muted),
          { timeout: 10_000 },
        )
        .toBe(true);

      await server.api.ok('removeParticipant', { token: token(host), params: { meetingId, userId }, body: {} });
      // Removed from the meeting is hung up: the call's own room goes too.
      await expect.poll(callRooms, { timeout: 10_000 }).toEqual([]);
      // The guest account made for the call ends with it: deactivated, its session revoked.
      await expect.poll(() => retired(userId), { timeout: 10_000 }).toBe(true);
    } finally {
      await call.stop();
      await server.api.ok('updateOrganisationSettings', { token: token(host), body: { transcription: false } });
    }
  }, 120_000);

  // Nobody joins from the app: the caller's join alone starts the transcriber (the real speech model).
  it('a caller alone in a transcribed meeting is transcribed: their join starts the transcriber', async () => {
    const meetingId = await meeting('Phone only');
    const { pin } = await server.api.ok('meetingDialIn', { token: token(host), params: { meetingId } });
    await server.api.ok('updateOrganisationSettings', { token: token(host), body: { transcription: true } });
    const masked = maskPhoneNumber('+441632965678');
    const sentences = [
      'Good morning everyone, this is the phone. The quarterly numbers are ready.',
      'I will send the summary after the call. Thank you.',
    ];
    const call = await dialIn({
      sipPort: sip.sipPort,
      from: '+441632965678',
      to: '+442071230001',
      script: [
        { silenceMs: 1500 },
        { digits: `${pin ?? ''}#` },
        { silenceMs: 6000 },
        // Said three times: the transcriber joins a moment after the caller does.
        ...[1, 2, 3].flatMap(() => [...sentences.map((say) => ({ say })), { silenceMs: 1500 }]),
      ],
      hangUpAfterMs: 90_000,
      dir,
    });
    try {
      // The host lets the caller in through the API: nobody is in the call but the caller.
      const entryId = await waitingEntry(meetingId, masked);
      await server.api.ok('admit', { token: token(host), params: { meetingId, entryId }, body: {} });
      const inCall = async () =>
        (await server.api.ok('listParticipants', { token: token(host), params: { meetingId } })).participants;
      await expect.poll(async () => (await inCall()).map((p) => p.name), { timeout: 15_000 }).toEqual([masked]);
      const userId = (await inCall())[0]?.identity ?? '';
      const transcribed = async () =>
        (await server.api.ok('meetingTranscript', { token: token(host), params: { meetingId } })).segments;
      const heardWords = async () => {
        const words = new Set(
          (await transcribed())
            .filter((s) => s.speaker.userId === userId)
            .flatMap((s) => s.text.toLowerCase().match(/[a-z]+/g) ?? []),
        );
        return KEYWORDS.filter((k) => words.has(k));
      };
      await expect
        .poll(async () => (await heardWords()).length, { timeout: 60_000, interval: 1000 })
        .toBeGreaterThanOrEqual(3);
      expect((await transcribed()).every((s) => s.speaker.userId === userId && s.speaker.name === masked)).toBe(true);
      // Nobody else ever joined the meeting's call (the transcriber is hidden, and no one's attendance).
      const attended = await onDatabase<{ identity: string }>(
        server,
        'SELECT DISTINCT identity FROM attendance WHERE meeting_id = ?',
        meetingId,
      );
      expect(attended.map((a) => a.identity)).toEqual([userId]);
      // Removed, the call is hung up: its own room goes, before the next test's calls look for theirs.
      await server.api.ok('removeParticipant', { token: token(host), params: { meetingId, userId }, body: {} });
      await expect.poll(callRooms, { timeout: 10_000 }).toEqual([]);
    } finally {
      await call.stop();
      await server.api.ok('updateOrganisationSettings', { token: token(host), body: { transcription: false } });
    }
  }, 150_000);

  it('a caller the host denies is told so and hung up; one who hangs up while waiting leaves the lobby', async () => {
    const meetingId = await meeting('Closed door');
    const { pin } = await server.api.ok('meetingDialIn', { token: token(host), params: { meetingId } });
    const masked = maskPhoneNumber('+441632960001');
    const denied = await dialIn({
      sipPort: sip.sipPort,
      from: '+441632960001',
      to: '+442071230001',
      script: [{ silenceMs: 1500 }, { digits: `${pin ?? ''}#` }, { silenceMs: 8000 }],
      hangUpAfterMs: 60_000,
      dir,
    });
    try {
      const entryId = await waitingEntry(meetingId, masked);
      // The call holds its caller online (they never open a socket): their entry outlasts the
      // lobby's abandon time (1 s here) and still waits for the host.
      const callerId = (await server.api.ok('listLobby', { token: token(host), params: { meetingId } })).entries[0]
        ?.userId;
      expect(await presenceOf(callerId ?? '')).toBe('online');
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      expect(await waitingNames(meetingId)).toEqual([masked]);
      await server.api.ok('deny', { token: token(host), params: { meetingId, entryId }, body: {} });
      // The server hangs up after saying so (the phone would stay on for a minute).
      await expect.poll(callRooms, { timeout: 20_000, interval: 300 }).toEqual([]);
    } finally {
      await denied.stop();
    }

    const impatient = await dialIn({
      sipPort: sip.sipPort,
      from: '+441632960002',
      to: '+442071230001',
      script: [{ silenceMs: 1500 }, { digits: `${pin ?? ''}#` }, { silenceMs: 500 }],
      hangUpAfterMs: 9_000,
      dir,
    });
    try {
      await expect
        .poll(() => waitingNames(meetingId), { timeout: 20_000, interval: 200 })
        .toEqual([maskPhoneNumber('+441632960002')]);
      await expect.poll(() => waitingNames(meetingId), { timeout: 20_000, interval: 300 }).toEqual([]);
    } finally {
      await impatient.stop();
    }
  });

  // Three calls, each with its spoken prompts: longer than the suite's default on a loaded machine.
  it('refuses even the right PIN from a number that got it wrong too often', async () => {
    const meetingId = await meeting('Guarded');
    const { pin } = await server.api.ok('meetingDialIn', { token: token(host), params: { meetingId } });
    const call = await dialIn({
      sipPort: sip.sipPort,
      from: '+15555550123',
      to: '+442071230001',
      script: [
        { silenceMs: 1500 },
        { digits: '000000000#' },
        { silenceMs: 2500 },
        { digits: '000000001#' },
        { silenceMs: 6000 },
        { digits: `${pin ?? ''}#` },
        { silenceMs: 4000 },
      ],
      hangUpAfterMs: 60_000,
      dir,
    });
    try {
      // Two wrong PINs hang the call up (the phone itself would stay on for a minute); the right one afterwards reaches nobody.
      await expect.poll(callRooms, { timeout: 5_000 }).not.toEqual([]);
      await expect.poll(callRooms, { timeout: 25_000, interval: 300 }).toEqual([]);
      expect(await waitingNames(meetingId)).toEqual([]);
    } finally {
      await call.stop();
    }
    const again = await dialIn({
      sipPort: sip.sipPort,
      from: '+15555550123',
      to: '+442071230001',
      script: [{ silenceMs: 1500 }, { digits: `${pin ?? ''}#` }, { silenceMs: 4000 }],
      hangUpAfterMs: 60_000,
      dir,
    });
    try {
      await expect.poll(callRooms, { timeout: 5_000 }).not.toEqual([]);
      // Refused at once, the right PIN notwithstanding: never in the lobby, hung up by the server.
      for (let i = 0; i < 10; i += 1) {
        expect(await waitingNames(meetingId)).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
      await expect.poll(callRooms, { timeout: 20_000, interval: 300 }).toEqual([]);
    } finally {
      await again.stop();
    }
  }, 60_000);

  it('calls a phone into the meeting: it answers, hears the room, and appears under its masked number', async () => {
    const meetingId = await meeting('Call me');
    const hostRoom = await enter(host, meetingId);
    const stopHum = await hum(hostRoom);
    const phone = await answeringAgent(dir, calleePort);
    try {
      const called = await server.api.ok('dialOut', {
        token: token(member),
        params: { meetingId },
        body: { to: '+447700900123' },
      });
      expect(called.name).toBe('+44 •••• ••01 23');
      await expect
        .poll(() => [...hostRoom.remoteParticipants.values()].map((p) => p.name), { timeout: 15_000 })
        .toContain('+44 •••• ••01 23');
      // LiveKit's participant_joined says it is a SIP participant: its visit is recorded as a phone
      // call's (reconciliation ends it as one), the host's is not.
      const phoneVisits = async (identity: string): Promise<number[]> =>
        (
          await onDatabase<{ phone: number | string }>(
            server,
            'SELECT phone FROM attendance WHERE meeting_id = ? AND identity = ?',
            meetingId,
            identity,
          )
        ).map((r) => Number(r.phone));
      await expect.poll(() => phoneVisits(called.identity), { timeout: 10_000 }).toEqual([1]);
      await expect.poll(() => phoneVisits(host.user.id), { timeout: 10_000 }).toEqual([0]);
      // The host's tone reaches the phone: its audio is well above silence.
      await expect.poll(() => phone.heard.rms(), { timeout: 15_000, interval: 500 }).toBeGreaterThan(0.05);
      await hangUp(meetingId, called.identity, phone);
      // LiveKit tells the server the call left: the guest account made for it ends with it.
      await expect.poll(() => retired(called.identity), { timeout: 10_000 }).toBe(true);
    } finally {
      stopHum();
      await phone.stop();
    }
  });

  it('a call placed into a transcribed meeting nobody joined from the app starts its transcriber', async () => {
    const meetingId = await meeting('Called in, nobody else');
    await server.api.ok('updateOrganisationSettings', { token: token(host), body: { transcription: true } });
    const phone = await answeringAgent(dir, calleePort);
    try {
      const called = await server.api.ok('dialOut', {
        token: token(host),
        params: { meetingId },
        body: { to: '+447700900124' },
      });
      // LiveKit lists hidden participants to the server: the transcriber joined for the call alone.
      const transcribers = async () =>
        (await rooms.listParticipants(roomOf(meetingId)))
          .map((p) => p.identity)
          .filter((id) => id.startsWith('transcriber-'));
      await expect.poll(transcribers, { timeout: 30_000, interval: 500 }).toEqual([`transcriber-${meetingId}`]);
      await hangUp(meetingId, called.identity, phone);
    } finally {
      await phone.stop();
      await server.api.ok('updateOrganisationSettings', { token: token(host), body: { transcription: false } });
    }
  }, 60_000);

  it('calls a SIP address straight, not through the trunk: it answers, hears the room, and appears by its host', async () => {
    const meetingId = await meeting('Call the desk phone');
    const hostRoom = await enter(host, meetingId);
    const stopHum = await hum(hostRoom);
    const deskPort = await freeUdpPort();
    const desk = await answeringAgent(dir, deskPort);
    try {
      const called = await server.api.ok('dialOut', {
        token: token(host),
        params: { meetingId },
        body: { to: `sip:desk@127.0.0.1:${deskPort}` },
      });
      expect(called.name).toBe('de•••@127.0.0.1');
      await expect
        .poll(() => [...hostRoom.remoteParticipants.values()].map((p) => p.name), { timeout: 15_000 })
        .toContain('de•••@127.0.0.1');
      await expect.poll(() => desk.heard.rms(), { timeout: 15_000, interval: 500 }).toBeGreaterThan(0.05);
      await hangUp(meetingId, called.identity, desk);
    } finally {
      stopHum();
      await desk.stop();
    }
  });

  it('refuses SIP addresses it cannot or must not call, and malformed ones, with a reason', async () => {
    const meetingId = await meeting('Bad addresses');
    const dial = (to: string) =>
      server.api.call('dialOut', { token: token(host), params: { meetingId }, body: { to } });
    const metadata = await dial('sip:ann@169.254.169.254');
    expect(metadata.status).toBe(400);
    expect(JSON.stringify(metadata.body)).toContain('link-local');
    const nowhere = await dial('sip:ann@nowhere.invalid');
    expect(nowhere.status).toBe(400);
    expect(JSON.stringify(nowhere.body)).toContain('does not resolve');
    const malformed = await dial('sip:ann:secret@pbx.example.com');
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.body)).toContain('SIP address');
  });

  it('bridges a linked Teams meeting: dials its phone bridge, which receives exactly the conference ID tones', async () => {
    const meetingId = await meeting('Bridged');
    await server.api.ok('attachInvitation', {
      token: token(host),
      params: { meetingId },
      body: { text: teamsInvitation() },
    });
    expect(await server.api.ok('getAudioBridge', { token: token(host), params: { meetingId } })).toEqual({
      state: 'off',
      to: null,
      fellBackFrom: null,
    });
    const bridge = await answeringAgent(dir, calleePort);
    try {
      const started = await server.api.ok('startAudioBridge', { token: token(host), params: { meetingId }, body: {} });
      expect(started.state).not.toBe('off');
      // Attendees may not start it.
      expect(
        (await server.api.call('startAudioBridge', { token: token(member), params: { meetingId }, body: {} })).status,
      ).toBe(403);
      await expect
        .poll(
          async () => (await server.api.ok('getAudioBridge', { token: token(member), params: { meetingId } })).state,
          {
            timeout: 15_000,
          },
        )
        .toBe('connected');
      // After the greeting pause the bridge hears the conference ID and the hash, nothing else.
      await expect.poll(() => bridge.heard.digits(), { timeout: 20_000, interval: 250 }).toBe('418924075#');
      const stopped = await server.api.ok('stopAudioBridge', { token: token(host), params: { meetingId }, body: {} });
      expect(stopped).toEqual({ state: 'off', to: null, fellBackFrom: null });
      expect(await bridge.done).toBe(0);
      expect(bridge.heard.digits()).toBe('418924075#');
    } finally {
      await bridge.stop();
    }
  });
  it('bridges a linked Teams meeting through its video conferencing address, not its phone number: the connector hears the video ID', async () => {
    const meetingId = await meeting('Bridged by SIP');
    // The interop service stands on loopback (allowed by sipAllowPrivate), on a port of its own, not the trunk's.
    const connectorPort = await freeUdpPort();
    const invitation = teamsInvitation(`411222333@127.0.0.1:${connectorPort}`);
    await server.api.ok('attachInvitation', { token: token(host), params: { meetingId }, body: { text: invitation } });
    const connector = await answeringAgent(dir, connectorPort);
    try {
      await server.api.ok('startAudioBridge', { token: token(host), params: { meetingId }, body: {} });
      const address = `sip:411222333@127.0.0.1:${connectorPort}`;
      await expect
        .poll(() => server.api.ok('getAudioBridge', { token: token(member), params: { meetingId } }), {
          timeout: 15_000,
        })
        .toEqual({ state: 'connected', to: address, fellBackFrom: null });
      await expect.poll(() => connector.heard.digits(), { timeout: 20_000, interval: 250 }).toBe('1197563805#');
      await server.api.ok('stopAudioBridge', { token: token(host), params: { meetingId }, body: {} });
      expect(await connector.done).toBe(0);
      expect(connector.heard.digits()).toBe('1197563805#');
    } finally {
      await connector.stop();
    }
    // An address the server must not call (a cloud's metadata address) is refused with the reason, and nothing rings.
    const refusedId = await meeting('Bridged to nowhere');
    await server.api.ok('attachInvitation', {
      token: token(host),
      params: { meetingId: refusedId },
      body: {
        text: invitation.replace(`127.0.0.1:${connectorPort}`, '169.254.169.254'),
      },
    });
    const refused = await server.api.call('startAudioBridge', {
      token: token(host),
      params: { meetingId: refusedId },
      body: {},
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { code: 'conflict', message: expect.stringContaining('link-local') } });
    expect(await server.api.ok('getAudioBridge', { token: token(host), params: { meetingId: refusedId } })).toEqual({
      state: 'off',
      to: null,
      fellBackFrom: null,
    });
  });

  // No such meeting at the connector (the Teams tenant has no video interop), busy, or out of service.
  it.each(['404 Not Found', '486 Busy Here', '503 Service Unavailable'])(
    'bridges by phone when the linked meeting’s room connector refuses the call (%s): its phone bridge hears exactly the conference ID, and the state says so',
    async (refusal) => {
      const meetingId = await meeting(`Bridged after ${refusal}`);
      // The connector's address refuses; the phone bridge is the trunk's agent.
      const connectorPort = await freeUdpPort();
      const address = `sip:411222333@127.0.0.1:${connectorPort}`;
      await server.api.ok('attachInvitation', {
        token: token(host),
        params: { meetingId },
        body: { text: teamsInvitation(`411222333@127.0.0.1:${connectorPort}`) },
      });
      const connector = refusingAgent(dir, connectorPort, refusal);
      const bridge = await answeringAgent(dir, calleePort);
      try {
        const started = await server.api.ok('startAudioBridge', {
          token: token(host),
          params: { meetingId },
          body: {},
        });
        // Dialling the connector, or already the phone bridge when the refusal came at once.
        expect(started.state).not.toBe('off');
        await expect
          .poll(() => server.api.ok('getAudioBridge', { token: token(member), params: { meetingId } }), {
            timeout: 30_000,
            interval: 250,
          })
          .toEqual({ state: 'connected', to: '+12065550100', fellBackFrom: address });
        // The connector was called, and refused (sipp saw its refusal acknowledged).
        expect(await connector.done).toBe(0);
        await expect.poll(() => bridge.heard.digits(), { timeout: 20_000, interval: 250 }).toBe('418924075#');
        await server.api.ok('stopAudioBridge', { token: token(host), params: { meetingId }, body: {} });
        expect(await bridge.done).toBe(0);
        expect(bridge.heard.digits()).toBe('418924075#');
      } finally {
        await connector.stop();
        await bridge.stop();
      }
    },
  );

  it('bridges by phone when the linked meeting’s room connector only rings: after the ring time its phone bridge hears exactly the conference ID', async () => {
    const meetingId = await meeting('Bridged after no answer');
    const connectorPort = await freeUdpPort();
    await server.api.ok('attachInvitation', {
      token: token(host),
      params: { meetingId },
      body: { text: teamsInvitation(`411222333@127.0.0.1:${connectorPort}`) },
    });
    const connector = ringingAgent(dir, connectorPort);
    const bridge = await answeringAgent(dir, calleePort);
    try {
      const startedAt = Date.now();
      await server.api.ok('startAudioBridge', { token: token(host), params: { meetingId }, body: {} });
      await expect
        .poll(() => server.api.ok('getAudioBridge', { token: token(member), params: { meetingId } }), {
          timeout: 30_000,
          interval: 250,
        })
        .toEqual({
          state: 'connected',
          to: '+12065550100',
          fellBackFrom: `sip:411222333@127.0.0.1:${connectorPort}`,
        });
      // It rang for the ring time, then livekit-sip gave up on it (CANCEL, confirmed by the connector).
      expect(Date.now() - startedAt).toBeGreaterThanOrEqual(4000);
      expect(await connector.done).toBe(0);
      await expect.poll(() => bridge.heard.digits(), { timeout: 20_000, interval: 250 }).toBe('418924075#');
      await server.api.ok('stopAudioBridge', { token: token(host), params: { meetingId }, body: {} });
      expect(await bridge.done).toBe(0);
    } finally {
      await connector.stop();
      await bridge.stop();
    }
  });
});
