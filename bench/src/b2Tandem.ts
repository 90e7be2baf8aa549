import { randomUUID } from 'node:crypto';
import { startLivekit, startPostgres, startRedis } from '@tandem/devstack';
import type { ChatEvent, ServerMessage } from '@tandem/shared';
import type { FanoutServer, FanoutTarget } from './b2Driver.ts';
import { call, connect, createChannel, createOrganisation, type Member } from './orgClient.ts';
import { startBenchServer, type BenchServer } from './serverProcess.ts';

/** Each room is an organisation of this many people, each connected ROOM / PEOPLE times. */
const PEOPLE = 2;
/** Rooms set up at once (sign-ups hash passwords: the server's thread pool works in parallel). */
const SETUP_CONCURRENCY = 8;

/** The body of a message or thread reply in what the server sent; undefined for anything else. */
export function tandemBody(message: ServerMessage): string | undefined {
  return message.type === 'chat.event' && message.event.type === 'message' ? message.event.body : undefined;
}

type Room = { readonly token: string; readonly members: Member[]; readonly base: string; readonly root: string };

/** One room: an organisation of PEOPLE with one channel and the thread root replies go to. */
async function setUpRoom(url: string, name: string): Promise<Room> {
  const { owner, members } = await createOrganisation(url, PEOPLE);
  const token = owner.tokens.accessToken;
  const channel = await createChannel(url, token, name);
  const root = await call<ChatEvent>(url, 'POST', `/conversations/${channel.id}/messages`, token, {
    clientId: randomUUID(),
    body: 'thread root',
  });
  return { token, members, base: `/conversations/${channel.id}/messages`, root: root.messageId };
}

/**
 * The rooms on `servers` (instances of one deployment: any of them serves any room), socket
 * `member` of a room on instance `member % servers.length` and a room's posts round-robin over the
 * instances, so with several most deliveries cross instances.
 */
async function roomsOn(
  servers: readonly BenchServer[],
  rooms: number,
  extra: Pick<FanoutServer, 'supportPids' | 'stop'>,
): Promise<FanoutServer> {
  const [first] = servers;
  if (first === undefined) throw new Error('no server');
  const setup: Room[] = [];
  for (let c = 0; c < rooms; c += SETUP_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(SETUP_CONCURRENCY, rooms - c) }, (_, i) =>
      setUpRoom(first.url, `room-${c + i}`),
    );
    setup.push(...(await Promise.all(batch)));
  }
  const reacted = new Array<boolean>(rooms).fill(false);
  const posted = new Array<number>(rooms).fill(0);
  const roomOf = (room: number): Room => {
    const r = setup[room];
    if (r === undefined) throw new Error(`no room ${room}`);
    return r;
  };
  const serverOf = (n: number): BenchServer => {
    const server = servers[n % servers.length];
    if (server === undefined) throw new Error('no server');
    return server;
  };
  return {
    ...extra,
    pids: servers.map((s) => s.pid),
    async connect(room, member, delivered) {
      const person = roomOf(room).members[member % PEOPLE];
      if (person === undefined) throw new Error('bad layout');
      const socket = await connect(serverOf(member).url, person.accessToken, (m) => {
        const body = tandemBody(m);
        if (body !== undefined) delivered(body);
      });
      socket.send(JSON.stringify({ type: 'resume', cursor: 0 }));
      return socket;
    },
    async post(room, post) {
      const r = roomOf(room);
      const n = posted[room] ?? 0;
      posted[room] = n + 1;
      const { url } = serverOf(n);
      if (post.kind === 'reaction') {
        const verb = reacted[room] === true ? 'unreact' : 'react';
        await call(url, 'POST', `${r.base}/${r.root}/${verb}`, r.token, { clientId: randomUUID(), emoji: '👍' });
        reacted[room] = reacted[room] !== true;
        return;
      }
      await call(url, 'POST', r.base, r.token, {
        clientId: randomUUID(),
        body: post.body,
        ...(post.kind === 'reply' ? { threadOf: r.root } : {}),
      });
    },
  };
}

/**
 * The coordination server in its own process (serverProcess.ts), on its own SQLite file. A
 * connection follows every conversation of its organisation, so a room of 20 is an organisation of
 * two people with one channel: each message reaches exactly its room. Posts are
 * `POST /conversations/:id/messages` (a reply names the room's first message as its thread) and
 * react/unreact on that message, each with a fresh clientId, as the owner.
 */
export const tandemTarget: FanoutTarget = {
  name: 'tandem',
  async start(rooms) {
    const server = await startBenchServer();
    try {
      return await roomsOn([server], rooms, { stop: () => server.stop() });
    } catch (e) {
      await server.stop();
      throw e;
    }
  },
};

/**
 * The same rooms on `instances` coordination servers as deployed beyond one machine
 * (docs/deploy/): one PostgreSQL with its own durability defaults (every commit synced), one
 * Redis, one LiveKit. A committed event reaches the other instances' sockets over Redis.
 */
export function tandemClusterTarget(instances: number): FanoutTarget {
  return {
    name: `tandem×${instances}`,
    async start(rooms) {
      const stops: (() => Promise<void>)[] = [];
      const stop = async () => {
        for (const s of [...stops].reverse()) await s();
      };
      try {
        const postgres = await startPostgres({ durable: true });
        stops.push(() => postgres.stop());
        const redis = await startRedis();
        stops.push(() => redis.stop());
        const livekit = await startLivekit();
        stops.push(() => livekit.stop());
        const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url };
        const servers: BenchServer[] = [];
        // One after another: the first migrates the database, the others find it current.
        for (let i = 0; i < instances; i += 1) {
          const server = await startBenchServer(env, livekit);
          servers.push(server);
          stops.push(() => server.stop());
        }
        return await roomsOn(servers, rooms, { supportPids: [postgres.pid, redis.pid], stop });
      } catch (e) {
        await stop();
        throw e;
      }
    },
  };
}
