import { randomUUID } from 'node:crypto';
import { dispose, Room } from '@livekit/rtc-node';
import { ACCOUNT_DEACTIVATED, WS_CLOSE, type AuthSession, type JoinResult } from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, PASSWORD, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

// Once for the file: rtc-node cannot connect again after its native side is disposed.
afterAll(() => dispose());

const t = (who: AuthSession): string => who.tokens.accessToken;

/** The promise's value, or a rejection naming the wait when it takes longer. */
function withinSeconds<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${seconds} s`)), seconds * 1000)),
  ]);
}

describe('managing people over real HTTP, WebSocket and the real livekit-server', () => {
  let server: TestServer;
  let rooms: RoomServiceClient;
  let owner: AuthSession;
  let admin: AuthSession;
  let outsider: AuthSession;
  const connected: Room[] = [];

  beforeAll(async () => {
    server = await startTestServer(livekit);
    rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    owner = await signUp(server.api, 'people-owner');
    admin = await addPerson(server.api, owner, 'people-admin', 'admin');
    outsider = await signUp(server.api, 'people-outsider');
  });
  afterAll(async () => {
    for (const room of connected) await room.disconnect().catch(() => undefined);
    await server?.close();
  });

  const update = (by: AuthSession, userId: string, body: object) =>
    server.api.call('updateUser', { token: t(by), params: { userId }, body });
  const deactivate = (by: AuthSession, userId: string) =>
    server.api.call('deactivateUser', { token: t(by), params: { userId }, body: {} });
  const reactivate = (by: AuthSession, userId: string) =>
    server.api.call('reactivateUser', { token: t(by), params: { userId }, body: {} });

  it('owners and admins change roles and names; members cannot; another organisation’s person is not found', async () => {
    const member = await addPerson(server.api, owner, 'people-member', 'member');
    expect(await update(owner, member.user.id, { role: 'admin', name: 'Mia Admin' })).toMatchObject({
      status: 200,
      body: { id: member.user.id, role: 'admin', name: 'Mia Admin', status: 'active' },
    });
    expect(await update(admin, member.user.id, { role: 'member' })).toMatchObject({
      status: 200,
      body: { role: 'member' },
    });
    const listed = await server.api.ok('getUser', { token: t(owner), params: { userId: member.user.id } });
    expect(listed).toMatchObject({ role: 'member', name: 'Mia Admin' });

    expect(await update(member, admin.user.id, { role: 'member' })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await update(outsider, member.user.id, { role: 'member' })).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect(await deactivate(outsider, member.user.id)).toMatchObject({ status: 404 });
    expect(await reactivate(outsider, member.user.id)).toMatchObject({ status: 404 });
    expect(await update(owner, member.user.id, {})).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
    expect(await update(owner, member.user.id, { role: 'superuser' })).toMatchObject({ status: 400 });
  });

  it('pages the directory from a cursor: only who changed since, a page at a time; guests see themselves', async () => {
    const list = (who: AuthSession, query: Record<string, string>) =>
      server.api.raw('GET', `/users?${new URLSearchParams(query).toString()}`, {
        headers: { authorization: `Bearer ${t(who)}` },
      });
    const everyone = await server.api.ok('listUsers', { token: t(owner) });
    expect(everyone).toMatchObject({ hasMore: false, reset: false });
    // Nothing changed: nothing to read again.
    expect(await server.api.ok('listUsers', { token: t(owner), query: { since: everyone.cursor } })).toEqual({
      users: [],
      cursor: everyone.cursor,
      hasMore: false,
      reset: false,
    });
    // A person added, another renamed, one deactivated: those three, in that order; nothing of
    // another organisation's changes.
    const added = await addPerson(server.api, owner, 'people-directory', 'member');
    await update(owner, admin.user.id, { name: 'Ada Admin' });
    await addPerson(server.api, outsider, 'people-elsewhere', 'member');
    await deactivate(owner, added.user.id);
    const since = await server.api.ok('listUsers', { token: t(owner), query: { since: everyone.cursor } });
    expect(since.users.map((u) => [u.id, u.name, u.status])).toEqual([
      [admin.user.id, 'Ada Admin', 'active'],
      [added.user.id, added.user.name, 'deactivated'],
    ]);
    expect(since.cursor).toBeGreaterThan(everyone.cursor);
    // A page at a time, over the query string as any client sends it: everyone once.
    const paged: string[] = [];
    let cursor: number | undefined;
    for (;;) {
      const reply = await list(owner, { limit: '2', ...(cursor === undefined ? {} : { since: String(cursor) }) });
      expect(reply.status).toBe(200);
      const page = (await reply.json()) as { users: { id: string }[]; cursor: number; hasMore: boolean };
      paged.push(...page.users.map((u) => u.id));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    const now = await server.api.ok('listUsers', { token: t(owner) });
    expect(paged).toEqual(now.users.map((u) => u.id));
    expect(new Set(paged).size).toBe(paged.length);
    const refused: Record<string, string>[] = [
      { limit: '0' },
      { limit: '1001' },
      { since: '-1' },
      { since: 'x' },
      { other: '1' },
    ];
    for (const bad of refused) expect((await list(owner, bad)).status).toBe(400);
    // A guest's directory is themselves, whatever it asks.
    const guest = await addPerson(server.api, owner, 'people-guest', 'guest');
    expect((await server.api.ok('listUsers', { token: t(guest), query: { since: 0 } })).users.map((u) => u.id)).toEqual(
      [guest.user.id],
    );
  });

  it('only an owner makes or unmakes an owner, and the last owner cannot be demoted', async () => {
    const person = await addPerson(server.api, owner, 'people-rising', 'member');
    expect(await update(admin, person.user.id, { role: 'owner' })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await update(admin, admin.user.id, { role: 'owner' })).toMatchObject({ status: 403 });
    expect(await update(admin, owner.user.id, { role: 'member' })).toMatchObject({ status: 403 });
    expect(await update(admin, owner.user.id, { name: 'Renamed' })).toMatchObject({ status: 403 });
    expect(await deactivate(admin, owner.user.id)).toMatchObject({ status: 403 });

    expect(await update(owner, owner.user.id, { role: 'admin' })).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    // With a second owner, either may step down; the one left is the last again.
    expect(await update(owner, person.user.id, { role: 'owner' })).toMatchObject({
      status: 200,
      body: { role: 'owner' },
    });
    const second = await server.api.ok('signIn', { body: { email: person.user.email, password: PASSWORD } });
    expect(await update(second, owner.user.id, { role: 'admin' })).toMatchObject({ status: 200 });
    expect(await update(second, second.user.id, { role: 'member' })).toMatchObject({ status: 409 });
    const restored = await server.api.call('updateUser', {
      token: t(second),
      params: { userId: owner.user.id },
      body: { role: 'owner' },
    });
    expect(restored).toMatchObject({ status: 200 });
    expect(await update(owner, second.user.id, { role: 'member' })).toMatchObject({ status: 200 });
  });

  it('nobody deactivates themselves; members deactivate nobody', async () => {
    const member = await addPerson(server.api, owner, 'people-bystander', 'member');
    expect(await deactivate(admin, admin.user.id)).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
    expect(await deactivate(owner, owner.user.id)).toMatchObject({ status: 400 });
    expect(await deactivate(member, admin.user.id)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await reactivate(member, admin.user.id)).toMatchObject({ status: 403 });
  });

  it('deactivation is immediate and total: sessions, WebSockets, the LiveKit room, sign-in, presence', async () => {
    const leaver = await addPerson(server.api, owner, 'people-leaver', 'member');
    const laptop = await server.api.ok('signIn', { body: { email: leaver.user.email, password: PASSWORD } });
    const channel = await server.api.ok('createChannel', { token: t(owner), body: { name: 'offboarding' } });
    await server.api.ok('sendMessage', {
      token: t(leaver),
      params: { conversationId: channel.id },
      body: { clientId: randomUUID(), body: 'handing over my notes' },
    });

    const watcher = await connectWs(server.url, t(owner));
    const socket = await connectWs(server.url, t(leaver));
    const laptopSocket = await connectWs(server.url, t(laptop));
    const meeting = await server.api.ok('createMeeting', { token: t(owner), body: { title: 'Last call' } });
    const joined: JoinResult = await server.api.ok('joinMeeting', {
      token: t(leaver),
      params: { meetingId: meeting.id },
      body: {},
    });
    if (joined.status !== 'joined') throw new Error('expected to join');
    const room = new Room();
    await room.connect(joined.livekit.url, joined.livekit.token, { autoSubscribe: false, dynacast: false });
    connected.push(room);
    const inRoom = async () =>
      (await rooms.listParticipants(joined.livekit.room).catch(() => [])).map((p) => p.identity);
    await expect.poll(inRoom, { timeout: 20_000 }).toEqual([leaver.user.id]);

    const answer = await deactivate(admin, leaver.user.id);
    expect(answer).toMatchObject({ status: 200, body: { id: leaver.user.id, status: 'deactivated' } });

    // Every open WebSocket of every session closes at once, with the deactivated code.
    expect(await withinSeconds(socket.closed, 5)).toBe(WS_CLOSE.deactivated);
    expect(await withinSeconds(laptopSocket.closed, 5)).toBe(WS_CLOSE.deactivated);
    // LiveKit no longer has them in the meeting's room.
    await expect.poll(inRoom, { timeout: 10_000 }).toEqual([]);
    // Access tokens are dead; refresh and sign-in say why, machine-readably.
    expect(await server.api.call('me', { token: t(leaver) })).toMatchObject({ status: 401 });
    expect(await server.api.call('me', { token: t(laptop) })).toMatchObject({ status: 401 });
    expect(await server.api.call('refresh', { body: { refreshToken: laptop.tokens.refreshToken } })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: ACCOUNT_DEACTIVATED } },
    });
    expect(await server.api.call('signIn', { body: { email: leaver.user.email, password: PASSWORD } })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: ACCOUNT_DEACTIVATED } },
    });
    // A wrong password learns nothing about the account.
    expect(
      await server.api.call('signIn', { body: { email: leaver.user.email, password: 'not the password' } }),
    ).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    // Offline for those watching, then gone from presence; still a person with a history.
    await watcher.next('presence', (m) => m.presence.userId === leaver.user.id && m.presence.status === 'offline');
    const presence = await server.api.ok('listPresence', { token: t(owner) });
    expect(presence.presence.map((p) => p.userId)).not.toContain(leaver.user.id);
    expect(presence.presence.map((p) => p.userId)).toContain(owner.user.id);
    const people = await server.api.ok('listUsers', { token: t(owner) });
    expect(people.users.find((u) => u.id === leaver.user.id)).toMatchObject({ status: 'deactivated' });
    const history = await server.api.ok('history', {
      token: t(owner),
      params: { conversationId: channel.id },
      query: { since: 0 },
    });
    expect(history.events.map((e) => e.authorId)).toEqual([leaver.user.id]);
    // Again is harmless.
    expect(await deactivate(admin, leaver.user.id)).toMatchObject({ status: 200, body: { status: 'deactivated' } });
    watcher.close();

    // Reactivated, they sign in again; the old sessions stay revoked.
    expect(await reactivate(admin, leaver.user.id)).toMatchObject({ status: 200, body: { status: 'active' } });
    const back = await server.api.ok('signIn', { body: { email: leaver.user.email, password: PASSWORD } });
    expect(back.user.status).toBe('active');
    expect(await server.api.call('me', { token: t(back) })).toMatchObject({ status: 200 });
    expect(await server.api.call('me', { token: t(laptop) })).toMatchObject({ status: 401 });
  });

  it('deactivation takes the person out of every lobby they wait in, live for the hosts', async () => {
    const waiter = await addPerson(server.api, owner, 'people-waiter', 'member');
    const lobbied = await server.api.ok('createMeeting', {
      token: t(owner),
      body: { title: 'Waiting room', settings: { lobby: true } },
    });
    const open = await server.api.ok('createMeeting', { token: t(owner), body: { title: 'Open door' } });
    const hostSocket = await connectWs(server.url, t(owner));
    const join = (meetingId: string) =>
      server.api.ok('joinMeeting', { token: t(waiter), params: { meetingId }, body: {} });
    expect(await join(lobbied.id)).toMatchObject({ status: 'waiting' });
    expect(await join(open.id)).toMatchObject({ status: 'joined' });
    await hostSocket.next('lobby.entry', (m) => m.entry.meetingId === lobbied.id && m.entry.status === 'waiting');

    await server.api.ok('deactivateUser', { token: t(admin), params: { userId: waiter.user.id }, body: {} });

    const gone = await hostSocket.next(
      'lobby.entry',
      (m) => m.entry.userId === waiter.user.id && m.entry.status !== 'waiting',
    );
    expect(gone.entry).toMatchObject({ meetingId: lobbied.id, status: 'removed' });
    const lobby = await server.api.ok('listLobby', { token: t(owner), params: { meetingId: lobbied.id } });
    expect(lobby.entries).toEqual([]);
    // Only a waiting entry changes: the one already let in elsewhere was not a lobby wait.
    hostSocket.send({ type: 'ping', nonce: 'after-deactivation' });
    await hostSocket.next('pong');
    expect(hostSocket.received.filter((m) => m.type === 'lobby.entry' && m.entry.meetingId === open.id)).toEqual([]);
    // Reactivated, they are not let in by the old wait: removed is final for that meeting.
    await reactivate(admin, waiter.user.id);
    const back = await server.api.ok('signIn', { body: { email: waiter.user.email, password: PASSWORD } });
    expect(
      await server.api.call('joinMeeting', { token: t(back), params: { meetingId: lobbied.id }, body: {} }),
    ).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    hostSocket.close();
  });

  it('a role change ends the person’s open WebSockets, so they come back with the new role', async () => {
    const person = await addPerson(server.api, owner, 'people-demoted', 'member');
    const socket = await connectWs(server.url, t(person));
    await server.api.ok('updateUser', { token: t(owner), params: { userId: person.user.id }, body: { name: 'Same' } });
    socket.send({ type: 'ping', nonce: 'name-only' });
    expect(await socket.next('pong')).toMatchObject({ nonce: 'name-only' });
    await server.api.ok('updateUser', { token: t(owner), params: { userId: person.user.id }, body: { role: 'guest' } });
    expect(await withinSeconds(socket.closed, 5)).toBe(WS_CLOSE.unauthenticated);
    // The same token still works: only the connection was renewed, as a guest now.
    const again = await connectWs(server.url, t(person));
    await server.api.ok('createChannel', { token: t(owner), body: { name: 'members only' } });
    // Sent after the channel was announced: on one socket, the announcement would come first.
    again.send({ type: 'ping', nonce: 'after-channel' });
    await again.next('pong');
    expect(again.received.map((m) => m.type)).not.toContain('conversation.created');
    const users = await server.api.ok('listUsers', { token: t(person) });
    expect(users.users.map((u) => u.id)).toEqual([person.user.id]);
    again.close();
  });
});

describe('managing people is rate-limited', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 1000, messagesPerMinute: 3 } });
  });
  afterAll(() => server?.close());

  it('per administrator, like other writes', async () => {
    const owner = await signUp(server.api, 'limited-owner');
    const person = await addPerson(server.api, owner, 'limited-person', 'member');
    const statuses: number[] = [];
    for (const name of ['One', 'Two', 'Three']) {
      const reply = await server.api.call('updateUser', {
        token: t(owner),
        params: { userId: person.user.id },
        body: { name },
      });
      statuses.push(reply.status);
    }
    // addPerson's createUser counted as the first.
    expect(statuses).toEqual([200, 200, 429]);
    expect(
      await server.api.call('deactivateUser', { token: t(owner), params: { userId: person.user.id }, body: {} }),
    ).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
  });
});
