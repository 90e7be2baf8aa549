import { startLivekit, webhookPair, type RunningLivekit } from '@tandem/devstack';
import { dispose, Room } from '@livekit/rtc-node';
import type { AuthSession, BreakoutSession, JoinRequest, JoinResult, LivekitConnection, Meeting } from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BREAKOUT_GRACE } from './services/breakouts.ts';
import { addPerson, connectWs, letIn, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');

// Once for the file: rtc-node cannot connect again after its native side is disposed.
afterAll(() => dispose());

/** The LiveKit room a token grants, read from its (unverified) payload. */
const grantedRoom = (token: string): unknown => {
  const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as {
    video?: { room?: string };
  };
  return payload.video?.room;
};

/**
 * Breakout rooms end to end: real HTTP and WebSocket, participants joining the real livekit-server
 * from Node with @livekit/rtc-node, and the room service as the judge of who is where.
 */
describe('breakout rooms on the real livekit-server', () => {
  let server: TestServer;
  let rooms: RoomServiceClient;
  let host: AuthSession;
  let ann: AuthSession;
  let bob: AuthSession;
  let outsider: AuthSession;
  let hostWs: WsClient;
  let annWs: WsClient;
  let bobWs: WsClient;
  const connected: Room[] = [];

  beforeAll(async () => {
    server = await startTestServer(livekit);
    rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    host = await signUp(server.api, 'breakout-host');
    ann = await addPerson(server.api, host, 'ann', 'member');
    bob = await addPerson(server.api, host, 'bob', 'guest');
    outsider = await signUp(server.api, 'breakout-outsider');
    hostWs = await connectWs(server.url, host.tokens.accessToken);
    annWs = await connectWs(server.url, ann.tokens.accessToken);
    bobWs = await connectWs(server.url, bob.tokens.accessToken);
  });
  afterAll(async () => {
    for (const room of connected) await room.disconnect().catch(() => undefined);
    for (const ws of [hostWs, annWs, bobWs]) ws?.close();
    await server?.close();
  });

  const t = (who: AuthSession) => who.tokens.accessToken;

  async function joinMain(who: AuthSession, meetingId: string, body: JoinRequest = {}): Promise<LivekitConnection> {
    const result: JoinResult = await server.api.ok('joinMeeting', { token: t(who), params: { meetingId }, body });
    if (result.status !== 'joined') throw new Error('expected to join');
    return result.livekit;
  }

  async function enter(connection: LivekitConnection): Promise<Room> {
    const room = new Room();
    await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
    connected.push(room);
    return room;
  }

  const inRoom = async (room: string): Promise<string[]> =>
    (await rooms.listParticipants(room).catch(() => [])).map((p) => p.identity).sort();

  const roomNamed = (session: BreakoutSession, name: string) => {
    const room = session.rooms.find((r) => r.name === name);
    if (room === undefined) throw new Error(`no room ${name}`);
    return room;
  };

  it('moves each assigned person into their LiveKit room and everyone back on close', async () => {
    const meeting: Meeting = await server.api.ok('createMeeting', {
      token: t(host),
      body: { title: 'Workshop', invitees: [bob.user.id] },
    });
    const params = { meetingId: meeting.id };
    const main = await joinMain(host, meeting.id);
    const annMain = await enter(await joinMain(ann, meeting.id, { displayName: 'Ann (facilitator)' }));
    // bob is a guest: invited, and through the lobby.
    await enter(await letIn(server.api, host, bob, meeting.id));
    await enter(main);
    await expect
      .poll(() => inRoom(main.room), { timeout: 20_000 })
      .toEqual([host, ann, bob].map((p) => p.user.id).sort());

    expect(
      await server.api.call('createBreakouts', { token: t(ann), params, body: { rooms: [{ name: 'Red' }] } }),
    ).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const created = await server.api.ok('createBreakouts', {
      token: t(host),
      params,
      body: { rooms: [{ name: 'Red' }, { name: 'Blue' }] },
    });
    expect(created.status).toBe('draft');
    const red = roomNamed(created, 'Red');
    const blue = roomNamed(created, 'Blue');
    expect(red.livekitRoom).not.toBe(blue.livekitRoom);
    expect(red.livekitRoom).toContain(meeting.id);

    await server.api.ok('assignBreakouts', {
      token: t(host),
      params,
      body: {
        mode: 'manual',
        assignments: [
          { userId: ann.user.id, roomId: red.id },
          { userId: bob.user.id, roomId: blue.id },
        ],
      },
    });
    const opened = await server.api.ok('openBreakouts', { token: t(host), params, body: {} });
    expect(opened.status).toBe('open');

    const annMove = await annWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room !== null);
    const bobMove = await bobWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room !== null);
    expect(annMove.room?.id).toBe(red.id);
    expect(bobMove.room?.id).toBe(blue.id);
    expect(grantedRoom(annMove.livekit.token)).toBe(red.livekitRoom);
    expect(grantedRoom(bobMove.livekit.token)).toBe(blue.livekitRoom);
    await hostWs.next('breakout.changed', (m) => m.session.meetingId === meeting.id && m.session.status === 'open');

    // Opening removed them from the main room: their old main-room tokens do not keep them there.
    await expect.poll(() => inRoom(main.room), { timeout: 20_000 }).toEqual([host.user.id]);
    // LiveKit tells the client a moment after its room list changed.
    await expect.poll(() => annMain.isConnected, { timeout: 20_000 }).toBe(false);
    await enter(annMove.livekit);
    await enter(bobMove.livekit);
    await expect.poll(() => inRoom(red.livekitRoom), { timeout: 20_000 }).toEqual([ann.user.id]);
    await expect.poll(() => inRoom(blue.livekitRoom), { timeout: 20_000 }).toEqual([bob.user.id]);
    // The name chosen when joining the meeting goes along into the breakout room.
    expect((await rooms.listParticipants(red.livekitRoom)).map((p) => p.name)).toEqual(['Ann (facilitator)']);
    expect((await rooms.listParticipants(blue.livekitRoom)).map((p) => p.name)).toEqual([bob.user.name]);

    // No token for a room one is not assigned to, nor for the main room while assigned.
    const intoBlue = await server.api.call('joinBreakoutRoom', {
      token: t(ann),
      params: { ...params, roomId: blue.id },
    });
    expect(intoBlue).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await server.api.call('joinMeeting', { token: t(ann), params, body: {} })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    const mine = await server.api.ok('myBreakout', { token: t(ann), params });
    expect(mine).toMatchObject({ status: 'open', room: { id: red.id } });
    expect(grantedRoom(mine.livekit?.token ?? '')).toBe(red.livekitRoom);
    const visit = await server.api.ok('joinBreakoutRoom', { token: t(host), params: { ...params, roomId: blue.id } });
    expect(visit).toMatchObject({ role: 'host', room: blue.livekitRoom });

    const help = await server.api.ok('askBreakoutHelp', { token: t(bob), params });
    const heard = await hostWs.next('breakout.help', (m) => m.request.id === help.id);
    expect(heard.request).toMatchObject({ userId: bob.user.id, roomId: blue.id, name: 'bob' });
    expect((await server.api.ok('getBreakouts', { token: t(host), params })).helpRequests.map((h) => h.userId)).toEqual(
      [bob.user.id],
    );

    await server.api.ok('broadcastBreakouts', { token: t(host), params, body: { message: 'Five minutes left' } });
    for (const ws of [annWs, bobWs]) {
      expect(await ws.next('breakout.broadcast', (m) => m.meetingId === meeting.id)).toMatchObject({
        message: 'Five minutes left',
        fromUserId: host.user.id,
      });
    }

    const closed = await server.api.ok('closeBreakouts', { token: t(host), params });
    expect(closed).toMatchObject({ status: 'closed', helpRequests: [] });
    const annBack = await annWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room === null);
    const bobBack = await bobWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room === null);
    expect(annBack.livekit.room).toBe(main.room);
    expect(grantedRoom(bobBack.livekit.token)).toBe(main.room);
    await enter(annBack.livekit);
    await enter(bobBack.livekit);
    await expect
      .poll(() => inRoom(main.room), { timeout: 20_000 })
      .toEqual([host, ann, bob].map((p) => p.user.id).sort());
    await expect.poll(() => inRoom(red.livekitRoom), { timeout: 20_000 }).toEqual([]);
    expect(await server.api.ok('myBreakout', { token: t(ann), params })).toMatchObject({
      status: 'closed',
      livekit: null,
    });
    expect(
      await server.api.call('joinBreakoutRoom', { token: t(ann), params: { ...params, roomId: red.id } }),
    ).toMatchObject({ status: 403 });
  });

  it('leaves moved people time to connect before it removes them, and ends closed rooms only after the return', async () => {
    const meeting = await server.api.ok('createMeeting', { token: t(host), body: { title: 'Handover' } });
    const params = { meetingId: meeting.id };
    const main = await joinMain(ann, meeting.id);
    // Ann never leaves a room by herself: only the server's removal and room end take her out.
    await enter(main);
    await expect.poll(() => inRoom(main.room), { timeout: 20_000 }).toEqual([ann.user.id]);
    const session = await server.api.ok('createBreakouts', {
      token: t(host),
      params,
      body: { rooms: [{ name: 'H' }] },
    });
    const room = roomNamed(session, 'H');
    await server.api.ok('assignBreakouts', {
      token: t(host),
      params,
      body: { mode: 'manual', assignments: [{ userId: ann.user.id, roomId: room.id }] },
    });
    /** How long after `since` everyone had gone from `livekitRoom` (polled). */
    const goneAfter = async (livekitRoom: string, since: number): Promise<number> => {
      await expect.poll(() => inRoom(livekitRoom), { timeout: 40_000, interval: 200 }).toEqual([]);
      return Date.now() - since;
    };

    const opened = Date.now();
    await server.api.ok('openBreakouts', { token: t(host), params, body: {} });
    const move = await annWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room !== null);
    await enter(move.livekit);
    // In both rooms for a moment: the target first, the main room left afterwards.
    await expect.poll(() => inRoom(room.livekitRoom), { timeout: 20_000 }).toEqual([ann.user.id]);
    expect(await inRoom(main.room)).toEqual([ann.user.id]);
    const removedAfter = await goneAfter(main.room, opened);
    expect(removedAfter).toBeGreaterThanOrEqual(BREAKOUT_GRACE.leaveMainMs);

    const closing = Date.now();
    await server.api.ok('closeBreakouts', { token: t(host), params });
    const back = await annWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room === null);
    // Closed at once: no new way into the breakout room, while the room itself waits for the return.
    expect(
      await server.api.call('joinBreakoutRoom', { token: t(ann), params: { ...params, roomId: room.id } }),
    ).toMatchObject({
      status: 403,
    });
    expect(await server.api.ok('myBreakout', { token: t(ann), params })).toMatchObject({
      status: 'closed',
      livekit: null,
    });
    await enter(back.livekit);
    await expect.poll(() => inRoom(main.room), { timeout: 20_000 }).toEqual([ann.user.id]);
    expect(await inRoom(room.livekitRoom)).toEqual([ann.user.id]);
    const endedAfter = await goneAfter(room.livekitRoom, closing);
    expect(endedAfter).toBeGreaterThanOrEqual(BREAKOUT_GRACE.endRoomsMs);
    // Coming back in the main room is not undone by the end of the breakout room.
    expect(await inRoom(main.room)).toEqual([ann.user.id]);
  }, 90_000);

  it('spreads people evenly by seed, lets them choose when allowed, and closes when the countdown ends', async () => {
    const meeting = await server.api.ok('createMeeting', { token: t(host), body: { title: 'Auto' } });
    const params = { meetingId: meeting.id };
    const extra = await Promise.all(['c1', 'c2', 'c3'].map((n) => addPerson(server.api, host, n, 'member')));
    const people = [ann, bob, ...extra].map((p) => p.user.id);
    await server.api.ok('createBreakouts', {
      token: t(host),
      params,
      body: { rooms: [{ name: 'One' }, { name: 'Two' }], allowChoose: true },
    });
    const auto = (seed: string) =>
      server.api.ok('assignBreakouts', { token: t(host), params, body: { mode: 'auto', userIds: people, seed } });
    const first = await auto('s1');
    expect(first.rooms.map((r) => r.participantIds.length).sort()).toEqual([2, 3]);
    expect((await auto('s1')).rooms).toEqual(first.rooms);

    const two = roomNamed(first, 'Two');
    await joinMain(ann, meeting.id);
    const chosen = await server.api.ok('chooseBreakout', { token: t(ann), params, body: { roomId: two.id } });
    expect(roomNamed(chosen, 'Two').participantIds).toContain(ann.user.id);

    await server.api.ok('openBreakouts', { token: t(host), params, body: { durationSeconds: 10 } });
    // Only the timer can close it: nothing reads the session meanwhile.
    const closedByTimer = () =>
      hostWs.received.find(
        (m) => m.type === 'breakout.changed' && m.session.meetingId === meeting.id && m.session.status === 'closed',
      );
    await expect.poll(closedByTimer, { timeout: 30_000, interval: 500 }).toMatchObject({ session: { endsAt: null } });
    await annWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room === null);
  }, 60_000);

  it('closes the breakout rooms and empties them when the host ends the meeting', async () => {
    const meeting = await server.api.ok('createMeeting', { token: t(host), body: { title: 'Ends' } });
    const params = { meetingId: meeting.id };
    await joinMain(ann, meeting.id);
    const session = await server.api.ok('createBreakouts', {
      token: t(host),
      params,
      body: { rooms: [{ name: 'X' }] },
    });
    const room = roomNamed(session, 'X');
    await server.api.ok('assignBreakouts', {
      token: t(host),
      params,
      body: { mode: 'manual', assignments: [{ userId: ann.user.id, roomId: room.id }] },
    });
    await server.api.ok('openBreakouts', { token: t(host), params, body: {} });
    const move = await annWs.next('breakout.move', (m) => m.meetingId === meeting.id && m.room !== null);
    await enter(move.livekit);
    await expect.poll(() => inRoom(room.livekitRoom), { timeout: 20_000 }).toEqual([ann.user.id]);

    await server.api.ok('endMeeting', { token: t(host), params });
    await expect.poll(() => inRoom(room.livekitRoom), { timeout: 20_000 }).toEqual([]);
    expect(await server.api.ok('getBreakouts', { token: t(host), params })).toMatchObject({ status: 'closed' });
    annWs.send({ type: 'ping', nonce: 'after-end' });
    await annWs.next('pong', (m) => m.nonce === 'after-end');
    const movesBack = annWs.received.filter((m) => m.type === 'breakout.move' && m.meetingId === meeting.id);
    expect(movesBack).toHaveLength(1);
  });

  it('refuses malformed requests, strangers and other organisations without changing anything', async () => {
    const meeting = await server.api.ok('createMeeting', {
      token: t(host),
      body: { title: 'Guarded', invitees: [bob.user.id] },
    });
    const params = { meetingId: meeting.id };
    await letIn(server.api, host, bob, meeting.id);
    const session = await server.api.ok('createBreakouts', {
      token: t(host),
      params,
      body: { rooms: [{ name: 'A' }] },
    });
    const roomId = session.rooms[0]?.id ?? '';

    const bad = [
      await server.api.call('createBreakouts', { token: t(host), params, body: { rooms: [] } }),
      await server.api.call('assignBreakouts', { token: t(host), params, body: { mode: 'shuffle' } }),
      await server.api.call('assignBreakouts', {
        token: t(host),
        params,
        body: { mode: 'manual', assignments: [{ userId: outsider.user.id, roomId }] },
      }),
      await server.api.call('openBreakouts', { token: t(host), params, body: { durationSeconds: 1 } }),
    ];
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400, 400]);
    expect(bad.every((r) => 'error' in r.body && r.body.error.code === 'bad_request')).toBe(true);
    expect(await server.api.call('chooseBreakout', { token: t(ann), params, body: { roomId } })).toMatchObject({
      status: 403,
    });
    expect(await server.api.call('openBreakouts', { token: t(bob), params, body: {} })).toMatchObject({
      status: 403,
    });

    const o = outsider.tokens.accessToken;
    const foreign = await Promise.all([
      server.api.call('getBreakouts', { token: o, params }),
      server.api.call('openBreakouts', { token: o, params, body: {} }),
      server.api.call('joinBreakoutRoom', { token: o, params: { ...params, roomId } }),
      server.api.call('myBreakout', { token: o, params }),
    ]);
    expect(foreign.map((r) => r.status)).toEqual([404, 404, 404, 404]);

    expect(await server.api.ok('getBreakouts', { token: t(host), params })).toEqual(session);

    // Someone removed from the meeting keeps no way into its rooms, assignment or not; bob is a
    // guest, so the meeting now answers him as if it did not exist.
    await server.api.ok('assignBreakouts', {
      token: t(host),
      params,
      body: { mode: 'manual', assignments: [{ userId: bob.user.id, roomId }] },
    });
    await server.api.ok('openBreakouts', { token: t(host), params, body: {} });
    await server.api.ok('removeParticipant', { token: t(host), params: { ...params, userId: bob.user.id } });
    expect(await server.api.call('myBreakout', { token: t(bob), params })).toMatchObject({ status: 404 });
    expect(await server.api.call('joinBreakoutRoom', { token: t(bob), params: { ...params, roomId } })).toMatchObject({
      status: 404,
    });
    await server.api.ok('closeBreakouts', { token: t(host), params });
    // The pong comes after anything the server sent bob before it.
    bobWs.send({ type: 'ping', nonce: 'after-close' });
    await bobWs.next('pong', (m) => m.nonce === 'after-close');
    const back = bobWs.received.filter((m) => m.type === 'breakout.move' && m.meetingId === meeting.id);
    expect(back.map((m) => m.type === 'breakout.move' && m.room?.id)).toEqual([roomId]);
  });
});

describe('breakout rooms with LiveKit webhooks posting to the server', () => {
  let withHooks: RunningLivekit;
  let server: TestServer;
  let rooms: RoomServiceClient;
  const connected: Room[] = [];

  beforeAll(async () => {
    [withHooks, server] = await webhookPair(
      '/livekit/webhook',
      (url) => startLivekit({ webhookUrls: [url] }),
      (livekit, port) => startTestServer(livekit, { port }),
    );
    rooms = new RoomServiceClient(withHooks.httpUrl, withHooks.apiKey, withHooks.apiSecret);
  });
  afterAll(async () => {
    for (const room of connected) await room.disconnect().catch(() => undefined);
    await server?.close();
    await withHooks?.stop();
  });

  it('drops someone who comes back to the main room with an old token while their breakout room is open', async () => {
    const host = await signUp(server.api, 'hooks-host');
    const ann = await addPerson(server.api, host, 'ann', 'member');
    const meeting = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Hooks' } });
    const params = { meetingId: meeting.id };
    const joined = await server.api.ok('joinMeeting', { token: ann.tokens.accessToken, params, body: {} });
    if (joined.status !== 'joined') throw new Error('expected to join');
    const inMain = async () =>
      (await rooms.listParticipants(joined.livekit.room).catch(() => [])).map((p) => p.identity);
    const enter = async (token: string) => {
      const room = new Room();
      connected.push(room);
      await room.connect(joined.livekit.url, token, { autoSubscribe: false, dynacast: false }).catch(() => undefined);
    };
    await enter(joined.livekit.token);
    await expect.poll(inMain, { timeout: 20_000 }).toEqual([ann.user.id]);

    const session = await server.api.ok('createBreakouts', {
      token: host.tokens.accessToken,
      params,
      body: { rooms: [{ name: 'Only' }] },
    });
    await server.api.ok('assignBreakouts', {
      token: host.tokens.accessToken,
      params,
      body: { mode: 'manual', assignments: [{ userId: ann.user.id, roomId: session.rooms[0]?.id ?? '' }] },
    });
    await server.api.ok('openBreakouts', { token: host.tokens.accessToken, params, body: {} });
    await expect.poll(inMain, { timeout: 20_000 }).toEqual([]);

    await enter(joined.livekit.token);
    const annVisits = async () =>
      (await server.api.ok('attendance', { token: host.tokens.accessToken, params })).attendance
        .filter((a) => a.userId === ann.user.id)
        .map((a) => a.leftAt !== null);
    // Two visits, both over: the comeback got in and was dropped again.
    await expect.poll(annVisits, { timeout: 20_000 }).toEqual([true, true]);
    expect(await inMain()).toEqual([]);
  }, 60_000);

  it('drops someone who brings a breakout token back after they were moved or the rooms closed; a visiting host stays', async () => {
    const host = await signUp(server.api, 'old-breakout-host');
    const ann = await addPerson(server.api, host, 'ann', 'member');
    const meeting = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Old' } });
    const params = { meetingId: meeting.id };
    const asHost = { token: host.tokens.accessToken, params };
    const session = await server.api.ok('createBreakouts', {
      ...asHost,
      body: { rooms: [{ name: 'First' }, { name: 'Second' }] },
    });
    const [first, second] = session.rooms;
    if (first === undefined || second === undefined) throw new Error('expected two rooms');
    const assign = (roomId: string) =>
      server.api.ok('assignBreakouts', {
        ...asHost,
        body: { mode: 'manual', assignments: [{ userId: ann.user.id, roomId }] },
      });
    await assign(first.id);
    await server.api.ok('openBreakouts', { ...asHost, body: {} });
    const annFirst = await server.api.ok('joinBreakoutRoom', {
      token: ann.tokens.accessToken,
      params: { meetingId: meeting.id, roomId: first.id },
      body: {},
    });
    const hostSecond = await server.api.ok('joinBreakoutRoom', {
      token: host.tokens.accessToken,
      params: { meetingId: meeting.id, roomId: second.id },
      body: {},
    });
    const inRoom = async (room: string) =>
      (await rooms.listParticipants(room).catch(() => [])).map((p) => p.identity).sort();
    const enter = async (connection: LivekitConnection) => {
      const room = new Room();
      connected.push(room);
      await room.connect(connection.url, connection.token, { autoSubscribe: false, dynacast: false });
      return room;
    };
    const annRoom = await enter(annFirst);
    await expect.poll(() => inRoom(first.livekitRoom), { timeout: 20_000 }).toEqual([ann.user.id]);

    // Moved to Second: her token for First no longer lets her sit there.
    await assign(second.id);
    await annRoom.disconnect();
    await enter(annFirst).catch(() => undefined);
    await expect.poll(() => inRoom(first.livekitRoom), { timeout: 20_000 }).toEqual([]);

    // The rooms closed: neither room takes her old token, while the host may visit any room.
    await server.api.ok('closeBreakouts', { ...asHost, body: {} });
    await expect.poll(() => inRoom(first.livekitRoom), { timeout: 30_000 }).toEqual([]);
    await enter(annFirst).catch(() => undefined);
    await enter(hostSecond);
    await expect.poll(() => inRoom(second.livekitRoom), { timeout: 20_000 }).toEqual([host.user.id]);
    await expect.poll(() => inRoom(first.livekitRoom), { timeout: 20_000 }).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await inRoom(second.livekitRoom)).toEqual([host.user.id]);
  }, 90_000);
});
