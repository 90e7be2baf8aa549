import { dispose, Room } from '@livekit/rtc-node';
import { loggedSessions, redisAvailable, startRedis, type RunningRedis } from '@tandem/devstack';
import type { AuthSession } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { roomOf } from '../services/meetings.ts';
import { freshPostgresDatabase, type TestPostgresDatabase } from '../testDatabases.ts';
import { addPerson, signUp } from '../testSupport.ts';
import { startInstance, type Instance } from './instances.ts';

const livekit = inject('livekit');
const postgres = inject('postgres');

/** Reconciliation every second; a visit or a live meeting younger than 2 s waits. */
const RECONCILE = { LIVEKIT_RECONCILE_SECONDS: '1', LIVEKIT_RECONCILE_GRACE_SECONDS: '2' } as const;
/** Longer than a transcriber takes to reach LiveKit once an instance starts one (2–5 s here). */
const SETTLE_MS = 10_000;

/**
 * A meeting's transcriber (services/transcripts.ts `ensure`) runs on one instance at a time,
 * under a lease in Redis: three coordination instances as processes on one PostgreSQL, the real
 * speech sidecar in each, livekit-server's own log as the record of each transcriber session.
 */
describe.skipIf(postgres === null || !redisAvailable())(
  'one transcriber a meeting across instances, taken over when its instance dies (three processes, PostgreSQL, Redis)',
  // Never tried again: it kills a process, so a second try would act on a changed cluster.
  { retry: 0 },
  () => {
    let database: TestPostgresDatabase;
    let redis: RunningRedis;
    const instances: Instance[] = [];
    let host: AuthSession;
    const people: AuthSession[] = [];
    const rooms: Room[] = [];

    beforeAll(async () => {
      if (postgres === null) return;
      database = await freshPostgresDatabase(postgres);
      redis = await startRedis();
      const env = { DATABASE_URL: database.url, REDIS_URL: redis.url, ...RECONCILE };
      instances.push(
        ...(await Promise.all(['a', 'b', 'doomed'].map((n) => startInstance(livekit, env, `lease-instance-${n}`)))),
      );
      const [a] = instances;
      if (a === undefined) throw new Error('no instance');
      host = await signUp(a.api, 'lease-host');
      for (const name of ['lease-ada', 'lease-grace']) people.push(await addPerson(a.api, host, name, 'member'));
      await a.api.ok('updateOrganisationSettings', { token: host.tokens.accessToken, body: { transcription: true } });
    }, 180_000);

    afterAll(async () => {
      for (const room of rooms) await room.disconnect().catch(() => undefined);
      await Promise.all(instances.map((i) => i.process.stop()));
      await dispose();
      await redis?.stop();
      await database?.drop();
    }, 120_000);

    it('starts one transcriber whichever instance each join goes through, and another once the instance running it is killed', async () => {
      const [a, b, doomed] = instances;
      if (a === undefined || b === undefined || doomed === undefined) throw new Error('no instances');
      const meeting = await a.api.ok('createMeeting', {
        token: host.tokens.accessToken,
        body: { title: 'Transcribed across instances' },
      });
      const transcriber = `transcriber-${meeting.id}`;
      const started = (since: number) =>
        loggedSessions(livekit.logFile).filter(
          (s) => s.identity === transcriber && s.room === roomOf(meeting.id) && s.what === 'started' && s.at >= since,
        ).length;
      const since = Date.now() - 1_000;

      // The host joins through the instance that will die, and is in the call from Node.
      const joined = await doomed.api.ok('joinMeeting', {
        token: host.tokens.accessToken,
        params: { meetingId: meeting.id },
        body: {},
      });
      if (joined.status !== 'joined') throw new Error(`not joined: ${JSON.stringify(joined)}`);
      const room = new Room();
      await room.connect(joined.livekit.url, joined.livekit.token, { autoSubscribe: false, dynacast: false });
      rooms.push(room);
      await expect.poll(() => started(since), { timeout: 45_000, interval: 250 }).toBe(1);

      // Joins through the two other instances: each asks for the transcriber, neither starts one
      // (without the lease, each would, and LiveKit would let the newest replace the one before).
      for (const [i, on] of [a, b].entries()) {
        const person = people[i];
        if (person === undefined) throw new Error('no person');
        const result = await on.api.ok('joinMeeting', {
          token: person.tokens.accessToken,
          params: { meetingId: meeting.id },
          body: {},
        });
        expect(result.status).toBe('joined');
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
      expect(started(since)).toBe(1);

      // Its instance dies, and its transcriber with it: the lease lapses, and reconciliation on a
      // survivor finds people in the call and no transcriber, and starts one.
      const killedAt = Date.now();
      doomed.process.child.kill('SIGKILL');
      await expect.poll(() => started(killedAt), { timeout: 60_000, interval: 500 }).toBe(1);
    }, 150_000);
  },
);
