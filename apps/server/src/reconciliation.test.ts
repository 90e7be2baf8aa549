import { dispose, Room } from '@livekit/rtc-node';
import { freeTcpPort, startLivekit, type RunningLivekit } from '@tandem/devstack';
import type { AuthSession, Meeting, Presence } from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createLivekit } from './livekit/index.ts';
import { breakoutRoomName } from './services/breakouts.ts';
import { roomOf } from './services/meetings.ts';
import { openStore, type Store } from './store/index.ts';
import { addPerson, connectWs, letIn, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

/**
 * Reconciliation with LiveKit (services/reconciliation.ts) against a real livekit-server that
 * posts no webhooks to the server under test: visits and presence are written as the webhooks
 * would have (through a second handle on the server's own database), so every left-open visit
 * is one whose participant_left never arrived.
 */

const livekit = inject('livekit');
const POLL = { timeout: 20_000, interval: 100 } as const;
/** Checked every second; a visit younger than 30 s is left alone. */
const RECONCILE = { everySeconds: 1, graceSeconds: 30 } as const;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const token = (who: AuthSession) => who.tokens.accessToken;

/**
 * What LiveKit's participant_joined webhook writes: an open visit (`phone`: of a SIP participant,
 * a phone call), and presence in the meeting.
 */
async function visiting(
  store: Store,
  who: AuthSession,
  meeting: Meeting,
  joinedAt: string,
  phone = false,
): Promise<void> {
  await store.activity.joined(meeting.id, who.user.id, who.user.id, joinedAt, { phone });
  await store.activity.setPresence(who.user.organisationId, {
    userId: who.user.id,
    status: 'in_meeting',
    meetingId: meeting.id,
    updatedAt: joinedAt,
  });
}

async function openVisits(store: Store, meeting: Meeting, who: AuthSession): Promise<number> {
  return (await store.activity.attendance(meeting.id)).filter((v) => v.userId === who.user.id && v.leftAt === null)
    .length;
}

const presenceOf = async (store: Store, who: AuthSession) => store.activity.presenceOf(who.user.id);

/** What LiveKit's room_started webhook writes, `at`: the meeting is live. */
async function wentLive(store: Store, meeting: Meeting, at: string): Promise<void> {
  await store.meetings.roomChanged(meeting.id, 'room_started', at);
}

// Node's WebRTC goes once every suite of the file is done with it.
afterAll(() => dispose());

const statusOf = async (store: Store, meeting: Meeting) =>
  (await store.meetings.get(meeting.organisationId, meeting.id))?.status;

describe('reconciliation with one livekit-server', () => {
  let server: TestServer;
  let store: Store;
  let ada: AuthSession;
  let grace: AuthSession;
  let alan: AuthSession;
  let bob: AuthSession;
  let carol: AuthSession;
  const rooms: Room[] = [];
  const sockets: WsClient[] = [];

  beforeAll(async () => {
    server = await startTestServer(livekit, { reconcile: RECONCILE });
    store = await openStore(server.databasePath);
    ada = await signUp(server.api, 'ada');
    grace = await addPerson(server.api, ada, 'grace', 'member');
    alan = await addPerson(server.api, ada, 'alan', 'member');
    bob = await addPerson(server.api, ada, 'bob', 'member');
    carol = await addPerson(server.api, ada, 'carol', 'member');
  });

  afterAll(async () => {
    for (const room of rooms) await room.disconnect().catch(() => undefined);
    for (const socket of sockets) socket.close();
    await store?.close();
    await server?.close();
  });

  it('ends the visits LiveKit no longer has, and presence leaves the meeting; who is connected, or joined a moment ago, stays in it', async () => {
    const meeting = await server.api.ok('createMeeting', { token: token(ada), body: { title: 'Stand-up' } });
    // A meeting whose room LiveKit never held (or no longer does): its open visits all end.
    const gone = await server.api.ok('createMeeting', { token: token(ada), body: { title: 'Yesterday' } });

    // Grace really is in the room.
    const graceRoom = new Room();
    const connection = await letIn(server.api, ada, grace, meeting.id);
    await graceRoom.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
    rooms.push(graceRoom);
    const watcher = await connectWs(server.url, token(grace));
    const adaSocket = await connectWs(server.url, token(ada));
    sockets.push(watcher, adaSocket);
    await expect.poll(async () => (await presenceOf(store, ada))?.status, POLL).toBe('online');

    // Alan joined a moment ago (LiveKit may not list him yet); Carol too, after a visit whose
    // participant_left never came; the others long ago.
    await visiting(store, alan, meeting, new Date().toISOString());
    await visiting(store, carol, meeting, minutesAgo(10));
    await visiting(store, carol, meeting, new Date().toISOString());
    await visiting(store, grace, meeting, minutesAgo(10));
    await visiting(store, bob, gone, minutesAgo(10));
    await visiting(store, ada, meeting, minutesAgo(10));

    // Ada's participant_left never came: her visit ends, and she is back online (her socket is open).
    const adaBack = watcher.next(
      'presence',
      (m: { presence: Presence }) => m.presence.userId === ada.user.id && m.presence.status === 'online',
    );
    await expect.poll(() => openVisits(store, meeting, ada), POLL).toBe(0);
    expect((await adaBack).presence.meetingId).toBeNull();
    expect(await presenceOf(store, ada)).toMatchObject({ status: 'online', meetingId: null });
    // Bob's room is unknown to LiveKit: his visit ends too, and without a socket he is offline.
    await expect.poll(() => openVisits(store, gone, bob), POLL).toBe(0);
    expect(await presenceOf(store, bob)).toMatchObject({ status: 'offline', meetingId: null });

    // A few more runs change nothing for Grace (connected) and Alan (within the grace).
    await new Promise((r) => setTimeout(r, 3 * RECONCILE.everySeconds * 1000));
    expect(await openVisits(store, meeting, grace)).toBe(1);
    expect(await presenceOf(store, grace)).toMatchObject({ status: 'in_meeting', meetingId: meeting.id });
    expect(await openVisits(store, meeting, alan)).toBe(1);
    expect(await presenceOf(store, alan)).toMatchObject({ status: 'in_meeting', meetingId: meeting.id });
    // Carol's old visit ended; her new one, and her presence in the meeting, stay.
    expect(await openVisits(store, meeting, carol)).toBe(1);
    expect(await presenceOf(store, carol)).toMatchObject({ status: 'in_meeting', meetingId: meeting.id });
    // The attendance report shows Ada's visit ended, as participant_left would have.
    const { attendance } = await server.api.ok('attendance', { token: token(ada), params: { meetingId: meeting.id } });
    expect(attendance.find((v) => v.userId === ada.user.id)?.leftAt).not.toBeNull();
  });

  it('ends a live meeting whose room LiveKit no longer holds, as room_finished would; one whose room it holds, or one of whose breakout rooms, stays live', async () => {
    // LiveKit itself, behind the server's back (no webhook reaches the server here).
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const make = (title: string) => server.api.ok('createMeeting', { token: token(ada), body: { title } });
    const gone = await make('Room on a dead node');
    const held = await make('Room held');
    const split = await make('All in breakout rooms');
    for (const m of [gone, held]) await rooms.createRoom({ name: roomOf(m.id), emptyTimeout: 300 });
    await rooms.createRoom({ name: breakoutRoomName(split.id, crypto.randomUUID()), emptyTimeout: 300 });
    for (const m of [gone, held, split]) await wentLive(store, m, minutesAgo(10));
    const dave = await addPerson(server.api, ada, 'dave', 'member');
    await visiting(store, dave, gone, minutesAgo(10));
    const watcher = await connectWs(server.url, token(ada));
    sockets.push(watcher);
    const daveLeft = watcher.next(
      'presence',
      (m: { presence: Presence }) => m.presence.userId === dave.user.id && m.presence.status === 'offline',
    );

    // The room goes as it does with its node: no participant_left, no room_finished.
    await rooms.deleteRoom(roomOf(gone.id));
    await expect.poll(() => statusOf(store, gone), POLL).toBe('scheduled');
    expect((await store.activity.roomEvents(gone.id)).map((e) => e.event)).toEqual(['room_started', 'room_finished']);
    // Its visits ended first, and everyone was told Dave is no longer in it.
    expect(await openVisits(store, gone, dave)).toBe(0);
    expect((await daveLeft).presence.meetingId).toBeNull();

    // A few more runs change nothing for the others.
    await new Promise((r) => setTimeout(r, 3 * RECONCILE.everySeconds * 1000));
    expect(await statusOf(store, held)).toBe('live');
    expect(await statusOf(store, split)).toBe('live');
    expect((await store.activity.roomEvents(held.id)).map((e) => e.event)).toEqual(['room_started']);
    expect((await store.activity.roomEvents(gone.id)).map((e) => e.event)).toEqual(['room_started', 'room_finished']);
  });

  it('retires the guest account of a phone call whose visit it ends, as participant_left does; a guest by link keeps theirs', async () => {
    const meeting = await server.api.ok('createMeeting', { token: token(ada), body: { title: 'Call me' } });
    const guest = async (name: string): Promise<AuthSession> =>
      (await server.api.ok('joinAsGuest', { params: { code: meeting.joinCode }, body: { name } })).session;
    // Made like a dial-out's callee (an external guest); the call went with its node.
    const caller = await guest('+44 •••• ••01 23');
    const visitor = await guest('Carol Customer');
    await visiting(store, caller, meeting, minutesAgo(10), true);
    await visiting(store, visitor, meeting, minutesAgo(10));

    const statusOfUser = async (who: AuthSession) =>
      (await store.identity.getUser(who.user.organisationId, who.user.id))?.status;
    await expect.poll(() => statusOfUser(caller), POLL).toBe('deactivated');
    expect(await openVisits(store, meeting, caller)).toBe(0);
    expect(await server.api.call('listMeetings', { token: token(caller) })).toMatchObject({ status: 401 });
    await expect.poll(() => openVisits(store, meeting, visitor), POLL).toBe(0);
    expect(await statusOfUser(visitor)).toBe('active');
  });
});

describe('reconciliation while LiveKit does not answer', () => {
  let port: number;
  let server: TestServer;
  let store: Store;
  let lateLivekit: RunningLivekit | undefined;

  beforeAll(async () => {
    // Nothing listens on this port until the test starts a livekit-server there.
    port = await freeTcpPort();
    server = await startTestServer(
      { ...livekit, wsUrl: `ws://127.0.0.1:${port}`, httpUrl: `http://127.0.0.1:${port}` },
      { reconcile: RECONCILE },
    );
    store = await openStore(server.databasePath);
  });

  afterAll(async () => {
    await store?.close();
    await server?.close();
    await lateLivekit?.stop();
  });

  it('changes nothing until LiveKit answers, then ends what it does not have', async () => {
    const ada = await signUp(server.api, 'ada');
    const meeting = await server.api.ok('createMeeting', { token: token(ada), body: { title: 'Offline' } });
    await visiting(store, ada, meeting, minutesAgo(10));
    await wentLive(store, meeting, minutesAgo(10));
    await new Promise((r) => setTimeout(r, 3 * RECONCILE.everySeconds * 1000));
    expect(await openVisits(store, meeting, ada)).toBe(1);
    expect(await presenceOf(store, ada)).toMatchObject({ status: 'in_meeting', meetingId: meeting.id });
    expect(await statusOf(store, meeting)).toBe('live');

    // LiveKit comes (back) on its address: the next run finds no such room, the visit ends, and the meeting.
    lateLivekit = await startLivekit({ port });
    await expect.poll(() => openVisits(store, meeting, ada), POLL).toBe(0);
    expect(await presenceOf(store, ada)).toMatchObject({ status: 'offline', meetingId: null });
    await expect.poll(() => statusOf(store, meeting), POLL).toBe('scheduled');
  });
});

describe('reconciliation with joins LiveKit reported to nobody', () => {
  let server: TestServer;
  let store: Store;
  const rooms: Room[] = [];

  beforeAll(async () => {
    // A second a run, and a join older than a second counts: what every instance being down while
    // LiveKit tried (and gave up) leaves, with no webhook reaching the server here at all.
    server = await startTestServer(livekit, { reconcile: { everySeconds: 1, graceSeconds: 1 } });
    store = await openStore(server.databasePath);
  });

  afterAll(async () => {
    for (const room of rooms) await room.disconnect().catch(() => undefined);
    await store?.close();
    await server?.close();
  });

  it('records the visit, presence and the start of a meeting whose joins never arrived; someone refused is removed', async () => {
    const ada = await signUp(server.api, 'ada');
    const grace = await addPerson(server.api, ada, 'grace', 'member');
    const ivan = await addPerson(server.api, ada, 'ivan', 'member');
    const meeting = await server.api.ok('createMeeting', { token: token(ada), body: { title: 'Unannounced' } });
    const connect = async (who: AuthSession): Promise<Room> => {
      const connection = await letIn(server.api, ada, who, meeting.id);
      const room = new Room();
      await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
      rooms.push(room);
      return room;
    };
    await connect(grace);
    const ivanRoom = await connect(ivan);
    // Ivan is denied after his token was minted (a webhook would have removed him at his join).
    const { entries } = await server.api.ok('listLobby', { token: token(ada), params: { meetingId: meeting.id } });
    expect(entries).toEqual([]);
    await store.meetings.putEntry(crypto.randomUUID(), meeting.id, ivan.user.id, 'denied', new Date().toISOString());

    await expect.poll(() => openVisits(store, meeting, grace), POLL).toBe(1);
    expect(await presenceOf(store, grace)).toMatchObject({ status: 'in_meeting', meetingId: meeting.id });
    await expect.poll(() => statusOf(store, meeting), POLL).toBe('live');
    expect((await store.activity.roomEvents(meeting.id)).map((e) => e.event)).toEqual(['room_started']);
    // Ivan may not be there: removed from the room, and his visit ends at the next runs.
    await expect.poll(() => ivanRoom.isConnected, POLL).toBe(false);
    await expect.poll(() => openVisits(store, meeting, ivan), POLL).toBe(0);

    // Found once: more runs record nothing more.
    await new Promise((r) => setTimeout(r, 3_000));
    const { attendance } = await server.api.ok('attendance', { token: token(ada), params: { meetingId: meeting.id } });
    expect(attendance.filter((v) => v.userId === grace.user.id)).toHaveLength(1);
  });

  it('still finds a join nobody recorded in a room whose transcriber LiveKit counts, after runs that found nobody missing', async () => {
    const ada = await signUp(server.api, 'ada-helper');
    const grace = await addPerson(server.api, ada, 'grace-helper', 'member');
    const linus = await addPerson(server.api, ada, 'linus-helper', 'member');
    const meeting = await server.api.ok('createMeeting', { token: token(ada), body: { title: 'Transcribed' } });
    const connect = async (connection: { url: string; token: string }): Promise<void> => {
      const room = new Room();
      await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
      rooms.push(room);
    };
    // The transcriber: hidden, no visit, yet in LiveKit's count of the room.
    const helpers = createLivekit({ ...livekit, tokenTtlSeconds: 600 });
    await connect({ url: livekit.wsUrl, token: await helpers.mintTranscriber(roomOf(meeting.id), meeting.id) });
    await connect(await letIn(server.api, ada, grace, meeting.id));
    await expect.poll(() => openVisits(store, meeting, grace), POLL).toBe(1);
    // Runs that list the room and find nobody missing, then trust its numbers.
    await new Promise((r) => setTimeout(r, 3_000));
    await connect(await letIn(server.api, ada, linus, meeting.id));
    await expect.poll(() => openVisits(store, meeting, linus), POLL).toBe(1);
    const { attendance } = await server.api.ok('attendance', { token: token(ada), params: { meetingId: meeting.id } });
    expect(attendance.map((v) => v.userId).sort()).toEqual([grace.user.id, linus.user.id].sort());
  });
});
