import { randomUUID } from 'node:crypto';
import { redisAvailable, startRedis, type RunningRedis } from '@tandem/devstack';
import { SPECIAL_PATHS, WS_CLOSE, type AuthSession } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freshPostgresDatabase, type TestPostgresDatabase } from '../testDatabases.ts';
import { addPerson, connectWs, onDatabase, postLivekitWebhook, resume, signUp, type WsClient } from '../testSupport.ts';
import { instanceAt, startInstance, type Instance } from './instances.ts';

const livekit = inject('livekit');
const postgres = inject('postgres');

const MESSAGES = 1_000;
const SENDERS = 4;
/** Per account; three instances counting apart would let three times as many through. */
const SIGN_INS_PER_MINUTE = 10;
const COUNTDOWN_SECONDS = 10;

/** Each client's chat events so far, as offsets in arrival order. */
const offsetsOf = (client: WsClient): number[] =>
  client.received.flatMap((m) => (m.type === 'chat.event' ? [m.offset] : []));
const bodiesOf = (client: WsClient): string[] =>
  client.received.flatMap((m) => (m.type === 'chat.event' && m.event.type === 'message' ? [m.event.body] : []));

async function until(what: string, done: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The run's offsets are one unbroken, increasing run with no repeats. */
function expectUnbroken(offsets: readonly number[]): void {
  const first = offsets[0] ?? 0;
  expect(offsets).toEqual(Array.from({ length: offsets.length }, (_, i) => first + i));
}

describe.skipIf(postgres === null || !redisAvailable())(
  'three coordination instances as processes on one PostgreSQL and one Redis, over real HTTP and WebSocket',
  // Never tried again: its tests kill processes, so a second try would act on a changed cluster.
  { retry: 0 },
  () => {
    let database: TestPostgresDatabase;
    let redis: RunningRedis;
    const instances: Instance[] = [];
    let owner: AuthSession;
    const senders: AuthSession[] = [];
    let channelId: string;
    let env: Record<string, string>;

    const at = (i: number): Instance => instanceAt(instances, i);

    beforeAll(async () => {
      if (postgres === null) return;
      database = await freshPostgresDatabase(postgres);
      redis = await startRedis();
      env = {
        DATABASE_URL: database.url,
        REDIS_URL: redis.url,
        SIGNIN_RATE_PER_MINUTE: String(SIGN_INS_PER_MINUTE),
        SIGNUP_RATE_PER_MINUTE: '1000',
        MESSAGE_RATE_PER_MINUTE: '100000',
        LOBBY_ABANDON_SECONDS: '1',
      };
      instances.push(
        ...(await Promise.all([0, 1, 2].map((i) => startInstance(livekit, env, `cluster-instance-${i}`)))),
      );
      owner = await signUp(at(0).api, 'cluster-owner');
      for (let i = 0; i < SENDERS; i += 1) senders.push(await addPerson(at(i).api, owner, `sender-${i}`, 'member'));
      const channel = await at(1).api.ok('createChannel', {
        token: owner.tokens.accessToken,
        body: { name: 'everyone' },
      });
      channelId = channel.id;
    }, 180_000);

    afterAll(async () => {
      await Promise.all(instances.map((i) => i.process.stop()));
      await redis?.stop();
      await database?.drop();
    });

    /** Sends `count` messages, round-robin over senders and instances (each sender on its own). */
    async function send(count: number, prefix: string, onSent: (i: number) => Promise<void> = async () => {}) {
      let next = 0;
      await Promise.all(
        senders.map(async (sender, s) => {
          for (;;) {
            const i = next++;
            if (i >= count) return;
            const clientId = randomUUID();
            // An instance killed mid-request fails it: the same clientId again, on the next
            // instance, is idempotent (stored once whichever attempt committed).
            for (let attempt = 0; ; attempt += 1) {
              const reply = await at(i + s + attempt)
                .api.call('sendMessage', {
                  token: sender.tokens.accessToken,
                  params: { conversationId: channelId },
                  body: { clientId, body: `${prefix} ${i}` },
                })
                .catch(() => undefined);
              if (reply?.status === 201 || reply?.status === 200) break;
              if (attempt > 5) throw new Error(`message ${prefix} ${i} was not accepted: ${JSON.stringify(reply)}`);
            }
            await onSent(i);
          }
        }),
      );
    }

    it(`delivers ${MESSAGES} interleaved messages from ${SENDERS} senders to clients on every instance in one order, with no gap or repeat`, async () => {
      const clients = await Promise.all(
        [0, 1, 2, 0, 1, 2].map(async (i) => {
          const c = await connectWs(at(i).url, owner.tokens.accessToken);
          await resume(c, null);
          return c;
        }),
      );
      await send(MESSAGES, 'burst');
      await until('every client has every message', () =>
        clients.every((c) => bodiesOf(c).filter((b) => b.startsWith('burst ')).length >= MESSAGES),
      );
      const reference = offsetsOf(clients[0] as WsClient);
      expect(reference).toHaveLength(MESSAGES);
      expectUnbroken(reference);
      for (const c of clients) {
        expect(offsetsOf(c)).toEqual(reference);
        expect(new Set(bodiesOf(c)).size).toBe(MESSAGES);
      }
      for (const c of clients) c.close();
    }, 180_000);

    it('passes typing signals, which only the bus carries, to clients on other instances', async () => {
      const writer = await connectWs(at(0).url, senders[0]?.tokens.accessToken);
      const reader = await connectWs(at(1).url, owner.tokens.accessToken);
      await resume(reader, null);
      writer.send({ type: 'typing', conversationId: channelId, typing: true });
      const signal = await reader.next('typing');
      expect(signal).toMatchObject({ conversationId: channelId, userId: senders[0]?.user.id, typing: true });
      writer.close();
      reader.close();
    });

    it('is ready with its Redis, and measures how late events from other instances arrive', async () => {
      const ready = await at(1).api.raw('GET', SPECIAL_PATHS.ready);
      expect(await ready.json()).toMatchObject({ ready: true, database: true, redis: true });
      const metrics = await (await at(1).api.raw('GET', SPECIAL_PATHS.metrics)).text();
      const arrived = Number(/^tandem_fanout_lag_seconds_count (\d+)$/m.exec(metrics)?.[1] ?? 0);
      // Two thirds of the burst was sent on other instances.
      expect(arrived).toBeGreaterThan(MESSAGES / 2);
    });

    it('records a LiveKit webhook once when it is delivered again to another instance', async () => {
      const meeting = await at(0).api.ok('createMeeting', { token: owner.tokens.accessToken, body: { title: 'W' } });
      const event = {
        id: `EV_${randomUUID()}`,
        event: 'participant_joined',
        room: { name: `meeting-${meeting.id}` },
        participant: { identity: owner.user.id },
        createdAt: String(Math.floor(Date.now() / 1000)),
      };
      for (const instance of [at(0), at(1), at(2)]) {
        expect((await postLivekitWebhook(instance, livekit, event)).status).toBe(200);
      }
      const { attendance } = await at(1).api.ok('attendance', {
        token: owner.tokens.accessToken,
        params: { meetingId: meeting.id },
      });
      expect(attendance).toHaveLength(1);
    });

    it("makes a meeting's notes once when every instance hears its end: the host's on one, LiveKit's room_finished on the others", async () => {
      const token = owner.tokens.accessToken;
      const meeting = await at(0).api.ok('createMeeting', { token, body: { title: 'Ended everywhere' } });
      const said = Date.now() - 60_000;
      await onDatabase(
        { databasePath: database.url },
        `INSERT INTO transcript_segments (id, organisation_id, meeting_id, speaker_user_id, speaker_name, started_at, ended_at, text)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
        randomUUID(),
        owner.user.organisationId,
        meeting.id,
        owner.user.id,
        owner.user.name,
        new Date(said).toISOString(),
        new Date(said + 4_000).toISOString(),
        "I'll send the minutes tomorrow.",
      );
      const finished = (i: number) =>
        postLivekitWebhook(at(i), livekit, {
          id: `EV_${randomUUID()}`,
          event: 'room_finished',
          room: { name: `meeting-${meeting.id}` },
          createdAt: String(Math.floor(Date.now() / 1000)),
        });
      const [, ...hooks] = await Promise.all([
        at(0).api.ok('endMeeting', { token, params: { meetingId: meeting.id } }),
        finished(1),
        finished(2),
      ]);
      expect(hooks.map((r) => r.status)).toEqual([200, 200]);
      const count = async (text: string) =>
        Number((await onDatabase<{ n: string }>({ databasePath: database.url }, text, meeting.id))[0]?.n);
      await expect
        .poll(() => count('SELECT count(*) AS n FROM notes_due WHERE meeting_id = ?'), { timeout: 20_000 })
        .toBe(0);
      // Every instance had its own chance to make them by now (each runs the job at least every 2 s).
      await new Promise((r) => setTimeout(r, 2_500));
      expect(await count('SELECT count(*) AS n FROM meeting_notes WHERE meeting_id = ?')).toBe(1);
      const history = await at(1).api.ok('history', {
        token,
        params: { conversationId: meeting.conversationId },
        query: { since: 0 },
      });
      const posted = history.events.filter((e) => e.type === 'message' && e.body.startsWith('Meeting notes are ready'));
      expect(posted).toHaveLength(1);
    });

    it('closes a person’s sockets on other instances within a second when they sign out on one', async () => {
      const person = await addPerson(at(0).api, owner, 'leaver', 'member');
      const elsewhere = await connectWs(at(1).url, person.tokens.accessToken);
      const third = await connectWs(at(2).url, person.tokens.accessToken);
      const started = Date.now();
      await at(0).api.ok('signOut', { token: person.tokens.accessToken });
      const codes = await Promise.all([elsewhere.closed, third.closed]);
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(codes).toEqual([WS_CLOSE.unauthenticated, WS_CLOSE.unauthenticated]);
    });

    it("refuses writes on every instance at once after a channel is archived, a member removed or a meeting's chat turned off on one, and takes them again once undone", async () => {
      const [member, other] = senders;
      if (member === undefined || other === undefined) throw new Error('no senders');
      const group = await at(0).api.ok('createGroup', {
        token: owner.tokens.accessToken,
        body: { name: 'kept in memory', memberIds: [member.user.id, other.user.id] },
      });
      const channel = await at(0).api.ok('createChannel', {
        token: owner.tokens.accessToken,
        body: { name: 'closing' },
      });
      const meeting = await at(0).api.ok('createMeeting', {
        token: owner.tokens.accessToken,
        body: { title: 'chat going quiet' },
      });
      const setChat = (chat: boolean) =>
        at(0).api.ok('updateMeeting', {
          token: owner.tokens.accessToken,
          params: { meetingId: meeting.id },
          body: { settings: { chat } },
        });
      const post = (i: number, conversationId: string) =>
        at(i).api.call('sendMessage', {
          token: member.tokens.accessToken,
          params: { conversationId },
          body: { clientId: randomUUID(), body: 'still here?' },
        });
      // Every instance writes to each once, so each has read (and keeps) their records and members.
      const all = [group.id, channel.id, meeting.conversationId];
      for (const i of [0, 1, 2]) for (const id of all) expect((await post(i, id)).status).toBe(200);
      await at(0).api.ok('removeMember', {
        token: owner.tokens.accessToken,
        params: { conversationId: group.id, userId: member.user.id },
      });
      await at(0).api.ok('updateConversation', {
        token: owner.tokens.accessToken,
        params: { conversationId: channel.id },
        body: { archived: true },
      });
      await setChat(false);
      // The other instances hear of it over the bus: within a few hundred milliseconds, far sooner
      // than their periodic catch-up would read everything again.
      const answers = async (expected: readonly (readonly [string, number])[]) => {
        const started = Date.now();
        for (const [id, wanted] of expected)
          for (const i of [1, 2]) {
            let status = (await post(i, id)).status;
            while (status !== wanted && Date.now() - started < 300) {
              await new Promise((r) => setTimeout(r, 20));
              status = (await post(i, id)).status;
            }
            expect(status).toBe(wanted);
          }
      };
      await answers([
        [group.id, 404],
        [channel.id, 403],
        [meeting.conversationId, 403],
      ]);
      // Unarchived, or chat on again: every instance takes posts again as soon.
      await at(0).api.ok('updateConversation', {
        token: owner.tokens.accessToken,
        params: { conversationId: channel.id },
        body: { archived: false },
      });
      await setChat(true);
      await answers([
        [channel.id, 200],
        [meeting.conversationId, 200],
      ]);
    });

    it('holds a rate limit over all instances together', async () => {
      // Attempts at one account spread over the three instances: counted in Redis, the eleventh
      // in a minute is refused wherever it lands (counted apart, each instance would allow ten).
      const email = `cluster-limit-${randomUUID()}@tandem.example`;
      const statuses: number[] = [];
      for (let i = 0; i < SIGN_INS_PER_MINUTE * 2 + 1; i += 1) {
        statuses.push((await at(i).api.call('signIn', { body: { email, password: 'not the password' } })).status);
      }
      // A minute boundary may fall among them: then the two windows allow ten each.
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(1);
      expect(statuses.slice(0, SIGN_INS_PER_MINUTE).every((s) => s === 401)).toBe(true);
      // Each attempt checks a password hash: 21 of them took over 30 s at a load average of 15.
    }, 120_000);

    it('loses nothing when an instance is SIGKILLed mid-stream: its clients reconnect to another and resume', async () => {
      const victim = at(2);
      const reader = await connectWs(victim.url, owner.tokens.accessToken);
      const resumed = await resume(reader, null);
      const watcher = await connectWs(at(0).url, owner.tokens.accessToken);
      await resume(watcher, resumed.cursor);
      let moved: WsClient | undefined;
      let killed = false;
      await send(300, 'kill', async (i) => {
        if (i === 100 && !killed) {
          killed = true;
          victim.process.child.kill('SIGKILL');
          instances.splice(instances.indexOf(victim), 1);
          await reader.closed;
          // The client's reconnect: another instance, from the last offset it has.
          const last = offsetsOf(reader).at(-1) ?? resumed.cursor;
          moved = await connectWs(at(0).url, owner.tokens.accessToken);
          await resume(moved, last);
        }
      });
      await until(
        'the watcher has all 300',
        () => bodiesOf(watcher).filter((b) => b.startsWith('kill ')).length >= 300,
      );
      // The moved reader may get the last ones a moment after the watcher.
      const seenNow = () => [...offsetsOf(reader), ...(moved === undefined ? [] : offsetsOf(moved))];
      await until('the moved reader has caught up', () => seenNow().length >= offsetsOf(watcher).length);
      const seen = seenNow();
      expect(seen).toEqual(offsetsOf(watcher));
      expectUnbroken(seen);
      reader.close();
      moved?.close();
      watcher.close();
    }, 120_000);

    it('recovers by offset when Redis restarts mid-stream', async () => {
      const clients = await Promise.all(
        [0, 1].map(async (i) => {
          const c = await connectWs(at(i).url, owner.tokens.accessToken);
          await resume(c, null);
          return c;
        }),
      );
      let restarted = false;
      await send(200, 'redis', async (i) => {
        if (i === 60 && !restarted) {
          restarted = true;
          const port = redis.port;
          await redis.stop(true);
          redis = await startRedis({ port });
        }
      });
      await until(
        'both clients have all 200',
        () => clients.every((c) => bodiesOf(c).filter((b) => b.startsWith('redis ')).length >= 200),
        20_000,
      );
      const [a, b] = clients.map(offsetsOf);
      expect(a).toEqual(b);
      expectUnbroken(a ?? []);
      for (const c of clients) c.close();
    }, 120_000);

    it('shows a person offline, and takes them out of the lobby they waited in, when the instance holding their only connection is killed', async () => {
      const doomed = await startInstance(livekit, env, 'cluster-instance-doomed');
      const person = await addPerson(at(0).api, owner, 'orphan', 'member');
      const watcher = await connectWs(at(0).url, owner.tokens.accessToken);
      await resume(watcher, null);
      const socket = await connectWs(doomed.url, person.tokens.accessToken);
      await resume(socket, null);
      const meeting = await at(0).api.ok('createMeeting', {
        token: owner.tokens.accessToken,
        body: { title: 'lobby left behind', settings: { lobby: true } },
      });
      const knocked = await doomed.api.ok('joinMeeting', {
        token: person.tokens.accessToken,
        params: { meetingId: meeting.id },
        body: {},
      });
      expect(knocked.status).toBe('waiting');
      const saw = (status: string) => () =>
        watcher.received.some(
          (m) => m.type === 'presence' && m.presence.userId === person.user.id && m.presence.status === status,
        );
      await until('the person is online', saw('online'));
      doomed.process.child.kill('SIGKILL');
      // Dead 10 s after its last heartbeat, then the next sweep (every 3 s) on whichever instance holds it.
      await until('the person is offline', saw('offline'), 25_000);
      const listed = await at(1).api.ok('listPresence', { token: owner.tokens.accessToken });
      expect(listed.presence.find((p) => p.userId === person.user.id)?.status).toBe('offline');
      // Offline for LOBBY_ABANDON_SECONDS (1 s), then the lobby's sweep, on whichever instance holds it.
      await watcher.next('lobby.entry', (m) => m.entry.userId === person.user.id && m.entry.status === 'removed');
      const lobby = await at(1).api.ok('listLobby', {
        token: owner.tokens.accessToken,
        params: { meetingId: meeting.id },
      });
      expect(lobby.entries).toEqual([]);
      socket.close();
      watcher.close();
      await doomed.process.stop();
    }, 60_000);

    it(
      'settles the recording and the live stream of an instance that died, which no instance would finish otherwise; those of no known instance stay',
      { timeout: 60_000 },
      async () => {
        const watcher = await connectWs(at(0).url, owner.tokens.accessToken);
        await resume(watcher, null);
        const meeting = (title: string) =>
          at(0).api.ok('createMeeting', { token: owner.tokens.accessToken, body: { title } });
        const [orphaned, older] = [await meeting('recorded by the dead'), await meeting('recorded before 056')];
        /** A recording as an instance leaves it when it dies mid-way (`instanceId`: its own, now dead). */
        const recording = async (meetingId: string, instanceId: string | null) => {
          const id = randomUUID();
          const at = new Date().toISOString();
          await onDatabase(
            { databasePath: database.url },
            `INSERT INTO recordings (id, organisation_id, meeting_id, status, started_by, started_by_name, created_at, started_at, instance_id)
           VALUES (?, ?, ?, 'recording', ?, ?, ?, ?, ?)`,
            id,
            owner.user.organisationId,
            meetingId,
            owner.user.id,
            owner.user.name,
            at,
            at,
            instanceId,
          );
          return id;
        };
        /** A live stream as an instance leaves it when it dies. */
        const stream = async (meetingId: string, instanceId: string | null) => {
          const at = new Date().toISOString();
          await onDatabase(
            { databasePath: database.url },
            `INSERT INTO meeting_streams (meeting_id, organisation_id, run_id, status, url, started_by_id, started_by_name, started_at, live_since, instance_id)
           VALUES (?, ?, ?, 'live', 'rtmp://live.example/app', ?, ?, ?, ?, ?)`,
            meetingId,
            owner.user.organisationId,
            randomUUID(),
            owner.user.id,
            owner.user.name,
            at,
            at,
            instanceId,
          );
        };
        const kept = await recording(older.id, null);
        await stream(older.id, null);
        const dead = randomUUID();
        const lost = await recording(orphaned.id, dead);
        await stream(orphaned.id, dead);
        const settled = () => watcher.received.find((m) => m.type === 'recording.changed' && m.recording.id === lost);
        // The sweep's lease may have been a killed instance's: it lapses within 20 s.
        await until('the recording is settled', () => settled() !== undefined, 30_000);
        expect(settled()).toMatchObject({
          recording: { status: 'failed', failure: 'the server recording it stopped' },
        });
        const streamEnded = () =>
          watcher.received.find((m) => m.type === 'stream.changed' && m.stream.meetingId === orphaned.id);
        await until('the stream is settled', () => streamEnded() !== undefined, 10_000);
        expect(streamEnded()).toMatchObject({
          stream: { status: 'failed', failure: 'the server streaming it stopped' },
        });
        const list = await at(1).api.ok('listRecordings', {
          token: owner.tokens.accessToken,
          params: { meetingId: older.id },
        });
        expect(list.recordings.map((r) => [r.id, r.status])).toEqual([[kept, 'recording']]);
        const { stream: still } = await at(1).api.ok('getStream', {
          token: owner.tokens.accessToken,
          params: { meetingId: older.id },
        });
        expect(still).toMatchObject({ status: 'live' });
        watcher.close();
      },
    );

    it('ends a breakout countdown on time when the instance that started it is killed', async () => {
      const starter = at(1);
      const survivor = at(0);
      const watcher = await connectWs(survivor.url, owner.tokens.accessToken);
      await resume(watcher, null);
      const meeting = await starter.api.ok('createMeeting', { token: owner.tokens.accessToken, body: { title: 'B' } });
      const params = { meetingId: meeting.id };
      await starter.api.ok('createBreakouts', {
        token: owner.tokens.accessToken,
        params,
        body: { rooms: [{ name: 'One' }] },
      });
      const opened = await starter.api.ok('openBreakouts', {
        token: owner.tokens.accessToken,
        params,
        body: { durationSeconds: COUNTDOWN_SECONDS },
      });
      starter.process.child.kill('SIGKILL');
      instances.splice(instances.indexOf(starter), 1);
      const closedMessage = () =>
        watcher.received.find(
          (m) => m.type === 'breakout.changed' && m.session.meetingId === meeting.id && m.session.status === 'closed',
        );
      await until('the rooms closed', () => closedMessage() !== undefined, (COUNTDOWN_SECONDS + 10) * 1000);
      const late = Date.now() - Date.parse(opened.endsAt ?? '');
      // The lease of the one who sweeps may have been the dead instance's: it lapses within 2 s.
      expect(late).toBeLessThan(3_000);
      expect(closedMessage()).toMatchObject({ session: { endsAt: null } });
      watcher.close();
    }, 60_000);
  },
);
