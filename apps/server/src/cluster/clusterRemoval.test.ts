import { randomUUID } from 'node:crypto';
import { redisAvailable, startRedis, type RunningRedis } from '@tandem/devstack';
import type { AuthSession } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshPostgresDatabase, type TestPostgresDatabase } from '../testDatabases.ts';
import { addPerson, connectWs, resume, signUp } from '../testSupport.ts';
import { instanceAt, startInstance, type Instance } from './instances.ts';

const livekit = inject('livekit');
const postgres = inject('postgres');

/**
 * How late instance B hears the others' word of changed conversations (TEST_LATE_BUS_MESSAGES, the
 * seam this test needs): far longer than a post made after a removal takes to reach it.
 */
const LATE_MS = 5_000;

describe.skipIf(postgres === null || !redisAvailable())(
  'a removal on instance A and a post or typing on instance C, delivered by instance B that hears of the removal late (three processes, PostgreSQL, Redis)',
  { retry: 0 },
  () => {
    let database: TestPostgresDatabase;
    let redis: RunningRedis;
    /** A removes, B delivers (and hears of changed conversations late), C takes the posts. */
    const instances: Instance[] = [];
    const instance = (i: 0 | 1 | 2): Instance => instanceAt(instances, i);
    let ada: AuthSession;
    let grace: AuthSession;
    let linus: AuthSession;

    beforeAll(async () => {
      if (postgres === null) return;
      database = await freshPostgresDatabase(postgres);
      redis = await startRedis();
      const env = { DATABASE_URL: database.url, REDIS_URL: redis.url };
      instances.push(
        ...(await Promise.all([
          startInstance(livekit, env, 'removal-instance-a'),
          startInstance(
            livekit,
            { ...env, TEST_LATE_BUS_MESSAGES: `conversationChanged:${LATE_MS}` },
            'removal-instance-b',
          ),
          startInstance(livekit, env, 'removal-instance-c'),
        ])),
      );
      ada = await signUp(instance(0).api, 'removal-ada');
      grace = await addPerson(instance(0).api, ada, 'removal-grace', 'member');
      linus = await addPerson(instance(0).api, ada, 'removal-linus', 'member');
    }, 180_000);

    afterAll(async () => {
      await Promise.all(instances.map((i) => i.process.stop()));
      await redis?.stop();
      await database?.drop();
    });

    const send = (on: Instance, conversationId: string, body: string) =>
      on.api.ok('sendMessage', {
        token: linus.tokens.accessToken,
        params: { conversationId },
        body: { clientId: randomUUID(), body },
      });

    it("sends the removed person's socket on B nothing posted after the removal committed", async () => {
      const [a, b, c] = [instance(0), instance(1), instance(2)];
      const group = await a.api.ok('createGroup', {
        token: ada.tokens.accessToken,
        body: { name: 'removal across instances', memberIds: [grace.user.id, linus.user.id] },
      });
      const channel = await a.api.ok('createChannel', { token: ada.tokens.accessToken, body: { name: 'markers' } });
      const graceOnB = await connectWs(b.url, grace.tokens.accessToken);
      await resume(graceOnB, null);
      await send(c, group.id, 'before');
      // Delivered on B: B read the group's members, Grace among them, and keeps them.
      await graceOnB.next('chat.event', (m) => m.event.type === 'message' && m.event.body === 'before');

      await a.api.ok('removeMember', {
        token: ada.tokens.accessToken,
        params: { conversationId: group.id, userId: grace.user.id },
      });
      const after = await send(c, group.id, 'after');
      // B delivers Grace's stream one offset at a time: once the channel's message after it reached
      // her, the group's message was judged (well before B hears of the removal itself).
      await send(c, channel.id, 'marker');
      await graceOnB.next('chat.event', (m) => m.event.type === 'message' && m.event.body === 'marker');
      const heard = graceOnB.received.flatMap((m) =>
        m.type === 'chat.event' && m.event.conversationId === group.id ? [m.event.seq] : [],
      );
      expect(heard).not.toContain(after.seq);
      expect(heard).toEqual([1]);
      expect(
        await b.api.call('history', { token: grace.tokens.accessToken, params: { conversationId: group.id } }),
      ).toMatchObject({ status: 404 });
      graceOnB.close();
    }, 60_000);

    it("sends the removed person's socket on B no typing signal sent after the removal committed", async () => {
      const [a, b, c] = [instance(0), instance(1), instance(2)];
      const group = await a.api.ok('createGroup', {
        token: ada.tokens.accessToken,
        body: { name: 'typing across instances', memberIds: [grace.user.id, linus.user.id] },
      });
      const graceOnB = await connectWs(b.url, grace.tokens.accessToken);
      await resume(graceOnB, null);
      const adaOnB = await connectWs(b.url, ada.tokens.accessToken);
      await resume(adaOnB, null);
      const linusOnC = await connectWs(c.url, linus.tokens.accessToken);
      const typing = (on: boolean): void => linusOnC.send({ type: 'typing', conversationId: group.id, typing: on });
      typing(true);
      // Heard on B: B read the group's members, Grace among them, and keeps them.
      await graceOnB.next('typing', (m) => m.conversationId === group.id && m.typing);

      await a.api.ok('removeMember', {
        token: ada.tokens.accessToken,
        params: { conversationId: group.id, userId: grace.user.id },
      });
      typing(false);
      // Ada, on B as well, hears it: B judged Grace's socket in the same pass (well before B hears
      // of the removal itself), and sends to both at once; a moment's margin for the other socket.
      await adaOnB.next('typing', (m) => m.conversationId === group.id && !m.typing);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(graceOnB.received.filter((m) => m.type === 'typing' && !m.typing)).toEqual([]);
      for (const socket of [graceOnB, adaOnB, linusOnC]) socket.close();
    }, 60_000);
  },
);
