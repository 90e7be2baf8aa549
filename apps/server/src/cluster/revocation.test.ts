import { redisAvailable, startRedis, type RunningRedis } from '@tandem/devstack';
import { WS_CLOSE, WS_PATH, type AuthSession } from '@tandem/shared';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshPostgresDatabase, type TestPostgresDatabase } from '../testDatabases.ts';
import { addPerson, connectWs, drained, PASSWORD, signUp, type WsClient } from '../testSupport.ts';
import { instanceAt, startInstance, type Instance } from './instances.ts';

const livekit = inject('livekit');
const postgres = inject('postgres');

/** Whether the socket is still open: it answers a ping (or closes first). */
async function open(client: WsClient): Promise<boolean> {
  return Promise.race([drained(client).then(() => true), client.closed.then(() => false)]);
}

/**
 * Revocation of sockets across coordination instances (issue 17): a socket lives until its token
 * expires unless word of a revocation ends it, on the instance that revoked and, by the bus, on
 * the others; word lost while the bus was away is made up for by checking every socket's token
 * again once it is back.
 */
describe.skipIf(postgres === null || !redisAvailable())(
  'revoked sessions end sockets on two instances as processes on one PostgreSQL and one Redis',
  // Never tried again: a test restarts Redis, so a second try would act on a changed cluster.
  { retry: 0 },
  () => {
    let database: TestPostgresDatabase;
    let redis: RunningRedis;
    const instances: Instance[] = [];
    let owner: AuthSession;

    const at = (i: 0 | 1): Instance => instanceAt(instances, i);

    beforeAll(async () => {
      if (postgres === null) return;
      database = await freshPostgresDatabase(postgres);
      redis = await startRedis();
      const env = {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SIGNIN_RATE_PER_MINUTE: '1000',
        SIGNUP_RATE_PER_MINUTE: '1000',
      };
      instances.push(
        ...(await Promise.all([0, 1].map((i) => startInstance(livekit, env, `revocation-instance-${i}`)))),
      );
      owner = await signUp(at(0).api, 'revocation-owner');
    }, 120_000);

    afterAll(async () => {
      await Promise.all(instances.map((i) => i.process.stop()));
      await redis?.stop();
      await database?.drop();
    });

    it('a sign-out ends that session’s sockets at once on this instance and another, and only that session’s', async () => {
      const person = await addPerson(at(0).api, owner, 'leaver', 'member');
      const other = await at(1).api.ok('signIn', { body: { email: person.user.email, password: PASSWORD } });
      const here = await connectWs(at(0).url, person.tokens.accessToken);
      const there = await connectWs(at(1).url, person.tokens.accessToken);
      const otherSession = await connectWs(at(1).url, other.tokens.accessToken);
      const started = Date.now();
      await at(0).api.ok('signOut', { token: person.tokens.accessToken });
      expect(await Promise.all([here.closed, there.closed])).toEqual([
        WS_CLOSE.unauthenticated,
        WS_CLOSE.unauthenticated,
      ]);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(await open(otherSession)).toBe(true);
      otherSession.close();
    });

    it('a socket closed while its token is looked up leaves no connection behind (its person shows offline)', async () => {
      const people = await Promise.all([0, 1, 2, 3, 4].map((i) => addPerson(at(0).api, owner, `hasty-${i}`, 'member')));
      // Each token new to instance B: its lookup waits on PostgreSQL while the close arrives.
      await Promise.all(
        people.map(
          (person) =>
            new Promise<void>((resolve, reject) => {
              const socket = new WebSocket(`${at(1).url.replace(/^http/, 'ws')}${WS_PATH}`);
              socket.once('open', () => {
                socket.send(JSON.stringify({ type: 'auth', accessToken: person.tokens.accessToken }));
                socket.close();
              });
              socket.once('close', () => resolve());
              socket.once('error', reject);
            }),
        ),
      );
      await new Promise((r) => setTimeout(r, 1_000));
      const { presence } = await at(1).api.ok('listPresence', { token: owner.tokens.accessToken });
      for (const person of people)
        expect(presence.find((p) => p.userId === person.user.id)?.status ?? 'offline').toBe('offline');
    });

    it('after the bus was away, a sign-out and a role change made meanwhile on one instance still end the sockets on the other', async () => {
      const leaver = await addPerson(at(0).api, owner, 'quiet-leaver', 'member');
      const promoted = await addPerson(at(0).api, owner, 'quiet-promoted', 'member');
      const bystander = await addPerson(at(0).api, owner, 'bystander', 'member');
      const [leaving, promoting, staying] = await Promise.all(
        [leaver, promoted, bystander].map((p) => connectWs(at(1).url, p.tokens.accessToken)),
      );
      if (leaving === undefined || promoting === undefined || staying === undefined) throw new Error('no sockets');

      const port = redis.port;
      await redis.stop(true);
      // Both instances hear the bus go (their subscriber's connection closes at once); give them a moment.
      await new Promise((r) => setTimeout(r, 500));
      await at(0).api.ok('signOut', { token: leaver.tokens.accessToken });
      await at(0).api.ok('updateUser', {
        token: owner.tokens.accessToken,
        params: { userId: promoted.user.id },
        body: { role: 'admin' },
      });
      // The word was lost with the bus: the other instance's sockets are still open.
      await new Promise((r) => setTimeout(r, 1_000));
      expect(await Promise.all([open(leaving), open(promoting), open(staying)])).toEqual([true, true, true]);

      redis = await startRedis({ port });
      const codes = await Promise.race([
        Promise.all([leaving.closed, promoting.closed]),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('not closed within 15 s')), 15_000)),
      ]);
      expect(codes).toEqual([WS_CLOSE.unauthenticated, WS_CLOSE.unauthenticated]);
      expect(await open(staying)).toBe(true);
      staying.close();
    }, 60_000);
  },
);
