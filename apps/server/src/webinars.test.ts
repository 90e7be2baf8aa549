import {
  AudioSource,
  dispose,
  LocalAudioTrack,
  Room,
  RoomEvent,
  TrackPublishOptions,
  TrackSource,
  type RemoteParticipant,
} from '@livekit/rtc-node';
import {
  WEBINAR_REACTIONS_TOPIC,
  WebinarReactionMessageSchema,
  type AuthSession,
  type JoinResult,
  type LivekitConnection,
  type Meeting,
} from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  connectWs,
  drained,
  resume,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
} from './testSupport.ts';

const livekit = inject('livekit');
const decoder = new TextDecoder();

/**
 * Webinars over real HTTP and WebSocket with the real livekit-server: the backstage, attendees
 * who LiveKit itself keeps from publishing and hides, promotion to the stage and back by new
 * grants in place, the moderated Q&A, the audience's reactions, and fifty attendees from Node.
 */
describe('webinars against the real livekit-server', () => {
  let server: TestServer;
  let rooms: RoomServiceClient;
  let host: AuthSession;
  let panelist: AuthSession;
  let attendee: AuthSession;
  let other: AuthSession;
  let attendeeWs: WsClient;
  let otherWs: WsClient;
  const connected: Room[] = [];

  beforeAll(async () => {
    server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 1000 } });
    rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    host = await signUp(server.api, 'webinar-host');
    panelist = await addPerson(server.api, host, 'panelist', 'member');
    attendee = await addPerson(server.api, host, 'attendee', 'member');
    other = await addPerson(server.api, host, 'other', 'member');
    attendeeWs = await connectWs(server.url, attendee.tokens.accessToken);
    otherWs = await connectWs(server.url, other.tokens.accessToken);
    await resume(attendeeWs);
    await resume(otherWs);
  }, 60_000);
  afterAll(async () => {
    // A connection that does not answer its goodbye in time is dropped with the rest by `dispose`.
    const gone = (room: Room) =>
      Promise.race([room.disconnect().catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
    await Promise.all(connected.map(gone));
    attendeeWs?.close();
    otherWs?.close();
    await server?.close();
    await dispose();
  }, 60_000);

  const join = (who: AuthSession, meetingId: string) =>
    server.api.ok('joinMeeting', { token: who.tokens.accessToken, params: { meetingId }, body: {} });

  function joined(result: JoinResult): LivekitConnection {
    if (result.status !== 'joined') throw new Error(`not joined: ${JSON.stringify(result)}`);
    return result.livekit;
  }

  async function enter(connection: LivekitConnection): Promise<Room> {
    const room = new Room();
    await room.connect(connection.url, connection.token, { autoSubscribe: true, dynacast: false });
    connected.push(room);
    return room;
  }

  /** Publishes a microphone; resolves whether LiveKit took it (a refusal may come as an error or as silence). */
  async function tryToPublish(room: Room): Promise<'published' | 'refused'> {
    const mic = LocalAudioTrack.createAudioTrack('mic', new AudioSource(48_000, 1));
    const options = new TrackPublishOptions({ source: TrackSource.SOURCE_MICROPHONE });
    const attempt = room.localParticipant?.publishTrack(mic, options);
    if (attempt === undefined) throw new Error('not connected');
    const outcome = await Promise.race([
      attempt.then(
        () => 'published' as const,
        () => 'refused' as const,
      ),
      new Promise<'refused'>((resolve) => setTimeout(() => resolve('refused'), 5_000)),
    ]);
    return outcome;
  }

  const tracksOf = async (room: string, identity: string): Promise<number> =>
    (await rooms.getParticipant(room, identity)).tracks.length;

  async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const remoteIds = (room: Room): string[] => [...room.remoteParticipants.values()].map((p) => p.identity).sort();

  let webinar: Meeting;

  it('keeps attendees out of the backstage until a host goes on air; then they watch hidden and cannot publish', async () => {
    const hostToken = host.tokens.accessToken;
    webinar = await server.api.ok('createMeeting', {
      token: hostToken,
      body: { title: 'Town hall', type: 'webinar', invitees: [panelist.user.id] },
    });
    expect(webinar).toMatchObject({ type: 'webinar', webinar: { liveSince: null, promoted: [] } });
    const meetingId = webinar.id;

    const early = await join(attendee, meetingId);
    expect(early).toMatchObject({ status: 'waiting', entry: { status: 'waiting' } });
    expect(JSON.stringify(early)).not.toContain('token');

    const hostConn = joined(await join(host, meetingId));
    const panelistConn = joined(await join(panelist, meetingId));
    expect([hostConn.role, panelistConn.role]).toEqual(['host', 'attendee']);
    const hostRoom = await enter(hostConn);
    const panelistRoom = await enter(panelistConn);
    expect(await tryToPublish(panelistRoom)).toBe('published');

    const notYet = await server.api.call('setWebinarLive', {
      token: attendee.tokens.accessToken,
      params: { meetingId },
      body: { live: true },
    });
    expect(notYet).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await join(attendee, meetingId)).toMatchObject({ status: 'waiting' });

    const live = await server.api.ok('setWebinarLive', {
      token: hostToken,
      params: { meetingId },
      body: { live: true },
    });
    expect(live.webinar?.liveSince).not.toBeNull();
    await attendeeWs.next('lobby.entry', (m) => m.entry.meetingId === meetingId && m.entry.status === 'admitted');
    const again = await server.api.call('setWebinarLive', {
      token: hostToken,
      params: { meetingId },
      body: { live: true },
    });
    expect(again).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });

    const attendeeConn = joined(await join(attendee, meetingId));
    expect(attendeeConn.role).toBe('viewer');
    // On air, a second attendee comes straight in.
    const otherConn = joined(await join(other, meetingId));
    const attendeeRoom = await enter(attendeeConn);
    const otherRoom = await enter(otherConn);
    await until('the attendee to see the stage', () => attendeeRoom.remoteParticipants.size === 2);
    expect(remoteIds(attendeeRoom)).toEqual([host.user.id, panelist.user.id].sort());
    expect(remoteIds(otherRoom)).toEqual([host.user.id, panelist.user.id].sort());
    // Nobody sees the audience, panelists included; LiveKit holds them all.
    expect(remoteIds(hostRoom)).toEqual([panelist.user.id]);
    const inRoom = (await rooms.listParticipants(`meeting-${meetingId}`)).map((p) => p.identity).sort();
    expect(inRoom).toEqual([host.user.id, panelist.user.id, attendee.user.id, other.user.id].sort());

    expect(await tryToPublish(attendeeRoom)).toBe('refused');
    expect(await tracksOf(`meeting-${meetingId}`, attendee.user.id)).toBe(0);

    const seenByAttendee = await server.api.ok('listParticipants', {
      token: attendee.tokens.accessToken,
      params: { meetingId },
    });
    expect(seenByAttendee.participants.map((p) => p.identity).sort()).toEqual([host.user.id, panelist.user.id].sort());
    const seenByHost = await server.api.ok('listParticipants', { token: hostToken, params: { meetingId } });
    expect(seenByHost.participants).toHaveLength(4);
  });

  it('brings an attendee on stage with new grants in place, and back to the audience', async () => {
    const meetingId = webinar.id;
    const room = `meeting-${meetingId}`;
    const [hostRoom, , attendeeRoom] = connected;
    if (hostRoom === undefined || attendeeRoom === undefined) throw new Error('the first test did not run');

    const byPanelist = await server.api.call('setWebinarPanelist', {
      token: panelist.tokens.accessToken,
      params: { meetingId, userId: attendee.user.id },
      body: { panelist: true },
    });
    expect(byPanelist).toMatchObject({ status: 403 });
    const invited = await server.api.call('setWebinarPanelist', {
      token: host.tokens.accessToken,
      params: { meetingId, userId: panelist.user.id },
      body: { panelist: false },
    });
    expect(invited).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });

    const promoted = await server.api.ok('setWebinarPanelist', {
      token: host.tokens.accessToken,
      params: { meetingId, userId: attendee.user.id },
      body: { panelist: true },
    });
    expect(promoted.webinar?.promoted).toEqual([attendee.user.id]);
    const audit = await server.api.ok('listAudit', {
      token: host.tokens.accessToken,
      query: { action: 'webinar.panelist_changed' },
    });
    expect(audit.entries.map((e) => [e.target?.id, e.detail['panelist']])).toEqual([[attendee.user.id, true]]);
    await attendeeWs.next('meeting.changed', (m) => m.meeting.webinar?.promoted.includes(attendee.user.id) === true);
    // LiveKit tells the attendee's own connection of its new role (and grants).
    await until(
      'the attendee to hear of its new role',
      () => attendeeRoom.localParticipant?.attributes['role'] === 'attendee',
    );
    expect((await rooms.getParticipant(room, attendee.user.id)).attributes['role']).toBe('attendee');
    // The same connection, no rejoin: it publishes now, and the stage sees it.
    expect(await tryToPublish(attendeeRoom)).toBe('published');
    await until('the host to see the new panelist', () => hostRoom.remoteParticipants.has(attendee.user.id));
    await until("LiveKit to hold the new panelist's track", async () => (await tracksOf(room, attendee.user.id)) > 0);

    const back = await server.api.ok('setWebinarPanelist', {
      token: host.tokens.accessToken,
      params: { meetingId, userId: attendee.user.id },
      body: { panelist: false },
    });
    expect(back.webinar?.promoted).toEqual([]);
    await until('the attendee to be back in the audience', async () => {
      const p = await rooms.getParticipant(room, attendee.user.id);
      return p.permission?.canPublish === false && p.permission.hidden && p.tracks.length === 0;
    });
    // LiveKit does not hide again someone the others already saw, nor tell them of what a hidden
    // participant unpublished: the stage sees them as the audience (role `viewer`), and the
    // clients leave the audience off the stage.
    await until('the host to see them in the audience', () => {
      const seen = hostRoom.remoteParticipants.get(attendee.user.id);
      return seen === undefined || seen.attributes['role'] === 'viewer';
    });
    // A rejoin keeps the seat: back in the audience.
    expect(joined(await join(attendee, meetingId)).role).toBe('viewer');
  });

  it('moderates the Q&A: an attendee asks into a queue; panelists publish, dismiss, and answer publicly or privately', async () => {
    const meetingId = webinar.id;
    const as = (who: AuthSession) => ({ token: who.tokens.accessToken, params: { meetingId } });
    const texts = async (who: AuthSession) =>
      (await server.api.ok('listQuestions', as(who))).questions.map((q) => `${q.text}:${q.moderation}`).sort();

    const asked = await server.api.ok('askQuestion', { ...as(attendee), body: { text: 'Will slides be shared?' } });
    expect(asked).toMatchObject({ moderation: 'pending', answerPrivate: false });
    const fromStage = await server.api.ok('askQuestion', { ...as(panelist), body: { text: 'Anyone from Lyon?' } });
    expect(fromStage.moderation).toBe('published');
    await drained(otherWs);
    expect(otherWs.received.some((m) => m.type === 'question.changed' && m.question.id === asked.id)).toBe(false);
    expect(await texts(other)).toEqual(['Anyone from Lyon?:published']);
    expect(await texts(attendee)).toEqual(['Anyone from Lyon?:published', 'Will slides be shared?:pending']);
    expect(await texts(panelist)).toEqual(['Anyone from Lyon?:published', 'Will slides be shared?:pending']);
    const hidden = await server.api.call('upvoteQuestion', {
      ...as(other),
      params: { meetingId, questionId: asked.id },
      body: { up: true },
    });
    expect(hidden).toMatchObject({ status: 404 });

    const byAttendee = await server.api.call('moderateQuestion', {
      ...as(other),
      params: { meetingId, questionId: asked.id },
      body: { moderation: 'published' },
    });
    expect(byAttendee).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    // A panelist who is not a host runs the Q&A too.
    await server.api.ok('moderateQuestion', {
      ...as(panelist),
      params: { meetingId, questionId: asked.id },
      body: { moderation: 'published' },
    });
    await otherWs.next('question.changed', (m) => m.question.id === asked.id && m.question.moderation === 'published');
    await server.api.ok('answerQuestion', {
      ...as(panelist),
      params: { meetingId, questionId: asked.id },
      body: { answer: 'Yes, after the session.' },
    });
    await otherWs.next('question.changed', (m) => m.question.id === asked.id && m.question.answer !== null);

    const rude = await server.api.ok('askQuestion', { ...as(other), body: { text: 'Off-topic rant' } });
    await server.api.ok('moderateQuestion', {
      ...as(host),
      params: { meetingId, questionId: rude.id },
      body: { moderation: 'dismissed' },
    });
    const personal = await server.api.ok('askQuestion', { ...as(other), body: { text: 'Is my invoice late?' } });
    const answered = await server.api.ok('answerQuestion', {
      ...as(host),
      params: { meetingId, questionId: personal.id },
      body: { answer: 'We will write to you.', private: true },
    });
    expect(answered).toMatchObject({ answered: true, answerPrivate: true, moderation: 'pending' });
    await otherWs.next('question.changed', (m) => m.question.id === personal.id && m.question.answered);
    await drained(attendeeWs);
    expect(attendeeWs.received.some((m) => m.type === 'question.changed' && m.question.id === personal.id)).toBe(false);
    expect(await texts(attendee)).toEqual(['Anyone from Lyon?:published', 'Will slides be shared?:published']);
    expect(await texts(other)).toEqual([
      'Anyone from Lyon?:published',
      'Is my invoice late?:pending',
      'Off-topic rant:dismissed',
      'Will slides be shared?:published',
    ]);
  });

  it("sends the audience's reactions into the room, rate-limited, and only in a webinar", async () => {
    const meetingId = webinar.id;
    const [hostRoom] = connected;
    if (hostRoom === undefined) throw new Error('the first test did not run');
    const heard: string[] = [];
    hostRoom.on(
      RoomEvent.DataReceived,
      (payload: Uint8Array, sender?: RemoteParticipant, _kind?: unknown, topic?: string) => {
        if (topic !== WEBINAR_REACTIONS_TOPIC.topic || sender !== undefined) return;
        heard.push(WebinarReactionMessageSchema.parse(JSON.parse(decoder.decode(payload))).emoji);
      },
    );
    const react = (emoji: string) =>
      server.api.call('webinarReaction', {
        token: other.tokens.accessToken,
        params: { meetingId },
        body: { emoji },
      });
    expect(await react('🎉')).toMatchObject({ status: 200 });
    await until('the host to see the reaction', () => heard.includes('🎉'));
    const burst = [];
    for (let i = 0; i < 6; i++) burst.push((await react('👏')).status);
    expect(burst).toContain(429);
    expect(await react('💩')).toMatchObject({ status: 400 });

    const meeting = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Plain' } });
    await join(other, meeting.id);
    const notWebinar = await server.api.call('webinarReaction', {
      token: other.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: { emoji: '🎉' },
    });
    expect(notWebinar).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  it('fifty attendees from Node wait in the backstage, come in on air, hear the stage, see nobody else and cannot publish', async () => {
    const ATTENDEES = 50;
    const hostToken = host.tokens.accessToken;
    const big = await server.api.ok('createMeeting', {
      token: hostToken,
      body: { title: 'All hands', type: 'webinar' },
    });
    const hostRoom = await enter(joined(await join(host, big.id)));
    expect(await tryToPublish(hostRoom)).toBe('published');

    const audience: { session: AuthSession; ws: WsClient }[] = [];
    for (let i = 0; i < ATTENDEES; i++) {
      const session = await server.api.ok('joinAsGuest', {
        params: { code: big.joinCode },
        body: { name: `Viewer ${i}` },
      });
      expect(session.join.status).toBe('waiting');
      const ws = await connectWs(server.url, session.session.tokens.accessToken);
      audience.push({ session: session.session, ws });
    }
    try {
      await server.api.ok('setWebinarLive', { token: hostToken, params: { meetingId: big.id }, body: { live: true } });
      // Everyone is let in at once; they connect ten at a time, as fifty WebRTC handshakes at once
      // on two cores shared with livekit-server and the suites beside it can outlast the test.
      const admitted = audience.map(({ ws }) =>
        ws.next('lobby.entry', (m) => m.entry.meetingId === big.id && m.entry.status === 'admitted'),
      );
      await Promise.all(admitted);
      const viewers: Room[] = [];
      for (let i = 0; i < audience.length; i += 10) {
        const batch = audience.slice(i, i + 10).map(async ({ session }) => {
          const conn = joined(await join(session, big.id));
          expect(conn.role).toBe('viewer');
          const room = new Room();
          const subscribed = new Promise<void>((resolve) => room.on(RoomEvent.TrackSubscribed, () => resolve()));
          await room.connect(conn.url, conn.token, { autoSubscribe: true, dynacast: false });
          connected.push(room);
          await subscribed;
          return room;
        });
        viewers.push(...(await Promise.all(batch)));
      }
      expect(viewers).toHaveLength(ATTENDEES);
      for (const room of viewers) expect(remoteIds(room)).toEqual([host.user.id]);
      expect(hostRoom.remoteParticipants.size).toBe(0);
      expect(await rooms.listParticipants(`meeting-${big.id}`)).toHaveLength(ATTENDEES + 1);
      const someone = viewers[ATTENDEES - 1];
      if (someone === undefined) throw new Error('no viewer');
      expect(await tryToPublish(someone)).toBe('refused');
      const seen = await server.api.ok('listParticipants', {
        token: audience[0]?.session.tokens.accessToken ?? '',
        params: { meetingId: big.id },
      });
      expect(seen.participants.map((p) => p.identity)).toEqual([host.user.id]);
    } finally {
      for (const { ws } of audience) ws.close();
    }
  }, 120_000);
});
