import { randomUUID } from 'node:crypto';
import { redisAvailable, startRedis, type RunningRedis } from '@tandem/devstack';
import { PRESENCE_WATCH_LIMIT, type AuthSession, type Presence } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startInstance, type Instance } from './cluster/instances.ts';
import { freshPostgresDatabase, type TestPostgresDatabase } from './testDatabases.ts';
import {
  addPerson,
  connectWs,
  drained,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
} from './testSupport.ts';

const livekit = inject('livekit');
const postgres = inject('postgres');

/** Says whom the socket watches and resolves with the server's answer to it. */
async function watch(client: WsClient, userIds: readonly string[]): Promise<Presence[]> {
  const before = client.received.length;
  client.send({ type: 'presence.watch', userIds });
  return (await client.next('presence.watched', (m) => client.received.indexOf(m) >= before)).presence;
}

/** The presence messages about `userId` the socket received, once everything sent to it before now arrived. */
async function heardOf(client: WsClient, userId: string): Promise<Presence[]> {
  await drained(client);
  return client.received.flatMap((m) => (m.type === 'presence' && m.presence.userId === userId ? [m.presence] : []));
}

describe('presence by interest (presence.watch) over real WebSocket', () => {
  let server: TestServer;
  let owner: AuthSession;
  let alice: AuthSession;
  let bob: AuthSession;
  let carol: AuthSession;
  let guest: AuthSession;
  let stranger: AuthSession;
  const sockets: WsClient[] = [];
  const open = async (who: AuthSession): Promise<WsClient> => {
    const ws = await connectWs(server.url, who.tokens.accessToken);
    sockets.push(ws);
    return ws;
  };
  let said = 0;
  /** A change of the person's presence (a new status message), told apart from every other. */
  const say = async (who: AuthSession): Promise<string> => {
    said += 1;
    const statusText = `note ${said}`;
    await server.api.ok('setPresence', { token: who.tokens.accessToken, body: { statusText } });
    return statusText;
  };
  const hears = (ws: WsClient, who: AuthSession, statusText: string) =>
    ws.next('presence', (m) => m.presence.userId === who.user.id && m.presence.statusText === statusText);

  beforeAll(async () => {
    server = await startTestServer(livekit);
    owner = await signUp(server.api, 'watch-owner');
    alice = await addPerson(server.api, owner, 'alice', 'member');
    bob = await addPerson(server.api, owner, 'bob', 'member');
    carol = await addPerson(server.api, owner, 'carol', 'member');
    guest = await addPerson(server.api, owner, 'visitor', 'guest');
    stranger = await signUp(server.api, 'watch-stranger');
    // Everyone has a presence, so an answer that leaves one out means it.
    for (const who of [alice, bob, carol, guest, stranger]) await say(who);
  });
  afterAll(() => {
    for (const s of sockets) s.close();
    return server?.close();
  });

  it('sends a change to those watching the person, their own connections and connections that never watched, not to those watching others', async () => {
    const watcher = await open(owner);
    const other = await open(bob);
    const legacy = await open(carol);
    const aliceWs = await open(alice);
    await watch(watcher, [alice.user.id]);
    await watch(other, [carol.user.id]);
    const note = await say(alice);
    // Her own socket hears it too (her other devices show it).
    for (const ws of [watcher, legacy, aliceWs]) await hears(ws, alice, note);
    // (Her socket's coming online may have reached Bob's before it watched: it was an older client then.)
    expect((await heardOf(other, alice.user.id)).filter((p) => p.statusText === note)).toEqual([]);
  });

  it('answers the current presence of those watched, leaving out other organisations and unknown ids, and replaces the set', async () => {
    const watcher = await open(owner);
    const note = await say(alice);
    const answer = await watch(watcher, [alice.user.id, stranger.user.id, randomUUID(), bob.user.id]);
    expect(answer.map((p) => p.userId).sort()).toEqual([alice.user.id, bob.user.id].sort());
    expect(answer.find((p) => p.userId === alice.user.id)).toMatchObject({ statusText: note });
    expect(await watch(watcher, [])).toEqual([]);

    // Now only Bob: Alice's changes stop, Bob's come.
    await watch(watcher, [bob.user.id]);
    await say(alice);
    await hears(watcher, bob, await say(bob));
    expect((await heardOf(watcher, alice.user.id)).map((p) => p.statusText)).toEqual([note]);
  });

  it('tells a guest nothing about a member it watches, and only its own presence', async () => {
    const guestWs = await open(guest);
    expect(await watch(guestWs, [alice.user.id, guest.user.id])).toEqual([
      expect.objectContaining({ userId: guest.user.id }),
    ]);
    const watcher = await open(owner);
    await watch(watcher, [alice.user.id]);
    await hears(watcher, alice, await say(alice));
    expect(await heardOf(guestWs, alice.user.id)).toEqual([]);
    // Its own presence, changed from another device, it hears.
    await hears(guestWs, guest, await say(guest));
  });

  it('answers an invalid watch with a machine-readable error and keeps the socket usable', async () => {
    const ws = await open(owner);
    for (const bad of [
      { type: 'presence.watch' },
      { type: 'presence.watch', userIds: ['not-an-id'] },
      { type: 'presence.watch', userIds: Array.from({ length: PRESENCE_WATCH_LIMIT + 1 }, () => randomUUID()) },
      { type: 'presence.watch', userIds: [alice.user.id], extra: true },
    ]) {
      const before = ws.received.length;
      ws.send(bad);
      const error = await ws.next('error', (m) => ws.received.indexOf(m) >= before);
      expect(error.error).toMatchObject({ code: 'bad_request' });
    }
    // The most one may watch fits in a frame.
    const most = [alice.user.id, ...Array.from({ length: PRESENCE_WATCH_LIMIT - 1 }, () => randomUUID())];
    expect(await watch(ws, most)).toEqual([expect.objectContaining({ userId: alice.user.id })]);
  });
});

describe.skipIf(postgres === null || !redisAvailable())(
  'presence by interest across two coordination instances as processes on one PostgreSQL and one Redis',
  { retry: 0 },
  () => {
    let database: TestPostgresDatabase;
    let redis: RunningRedis;
    let a: Instance;
    let b: Instance;
    const sockets: WsClient[] = [];

    beforeAll(async () => {
      if (postgres === null) return;
      database = await freshPostgresDatabase(postgres);
      redis = await startRedis();
      const env = { DATABASE_URL: database.url, REDIS_URL: redis.url };
      [a, b] = await Promise.all([
        startInstance(livekit, env, 'watch-instance-a'),
        startInstance(livekit, env, 'watch-instance-b'),
      ]);
    }, 120_000);
    afterAll(async () => {
      for (const s of sockets) s.close();
      await Promise.all([a?.process.stop(), b?.process.stop()]);
      await redis?.stop();
      await database?.drop();
    });

    it('brings a change made on A to a watcher on B, and not to a socket on B watching someone else', async () => {
      const owner = await signUp(a.api, 'cluster-watch-owner');
      const ada = await addPerson(a.api, owner, 'ada', 'member');
      const linus = await addPerson(a.api, owner, 'linus', 'member');
      const watcher = await connectWs(b.url, owner.tokens.accessToken);
      const other = await connectWs(b.url, linus.tokens.accessToken);
      sockets.push(watcher, other);
      expect(await watch(watcher, [ada.user.id])).toEqual([]);
      await watch(other, [owner.user.id]);
      const adaWs = await connectWs(a.url, ada.tokens.accessToken);
      sockets.push(adaWs);
      await watcher.next('presence', (m) => m.presence.userId === ada.user.id && m.presence.status === 'online');
      await a.api.ok('setPresence', { token: ada.tokens.accessToken, body: { status: 'away' } });
      await watcher.next('presence', (m) => m.presence.userId === ada.user.id && m.presence.status === 'away');
      expect(await heardOf(other, ada.user.id)).toEqual([]);
    });
  },
);
