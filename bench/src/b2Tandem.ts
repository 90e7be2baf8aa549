import { randomUUID } from 'node:crypto';
import {
  createSocketCalls,
  type ChatEvent,
  type Conversation,
  type ServerMessage,
  type SocketCalls,
  watchSet,
} from '@tandem/shared';
import type { FanoutServer, FanoutTarget, PostOn } from './b2Driver.ts';
import { call, connect, createChannel, type Member } from './orgClient.ts';
import { retainedBytes } from './retained.ts';
import { seedOrganisations } from './seed.ts';
import { startBenchCluster, startBenchServer, type BenchServer } from './serverProcess.ts';

/** Each room is an organisation of this many people, each connected ROOM / PEOPLE times. */
const PEOPLE = 2;
/** Rooms whose channel is set up at once. */
const SETUP_CONCURRENCY = 8;

/**
 * How Tandem's rooms are laid out: `room` (default), each room an organisation of its own, so a
 * message's organisation is its room; `one` (`B2_ORG=one`), every room a private channel of one
 * organisation, as one company's chat is: each message then reaches its room's sockets among
 * every socket of the organisation (the peers have no organisations: their rooms are the same).
 */
export const TANDEM_ORGANISATIONS: 'room' | 'one' = process.env['B2_ORG'] === 'one' ? 'one' : 'room';

/** The body of a message or thread reply in what the server sent; undefined for anything else. */
export function tandemBody(message: ServerMessage): string | undefined {
  return message.type === 'chat.event' && message.event.type === 'message' ? message.event.body : undefined;
}

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

type Room = {
  readonly token: string;
  readonly members: Member[];
  readonly conversationId: string;
  readonly base: string;
  readonly root: string;
};

/**
 * A room: a channel made by its first person (a seeded organisation's owner, or with `B2_ORG=one`
 * a private channel of the room's people), and the thread root replies go to.
 */
async function setUpRoom(url: string, members: Member[], name: string): Promise<Room> {
  const token = members[0]?.accessToken;
  if (token === undefined) throw new Error('an organisation without people');
  const channel =
    TANDEM_ORGANISATIONS === 'one'
      ? await call<Conversation>(url, 'POST', '/conversations', token, {
          name,
          private: true,
          memberIds: members.slice(1).map((m) => m.userId),
        })
      : await createChannel(url, token, name);
  const root = await call<ChatEvent>(url, 'POST', `/conversations/${channel.id}/messages`, token, {
    clientId: randomUUID(),
    body: 'thread root',
  });
  return {
    token,
    members,
    conversationId: channel.id,
    base: `/conversations/${channel.id}/messages`,
    root: root.messageId,
  };
}

/**
 * The rooms on `servers` (instances of one deployment: any of them serves any room), socket
 * `member` of a room on instance `member % servers.length`. Posts go as the apps send them
 * (`postOn: 'socket'`): a `call` on one of the room's sockets (member `room % servers.length`, so
 * rooms post through every instance), through the apps' own SocketCalls; or (`'http'`) as POSTs
 * round-robin over the instances. With several instances most
 * deliveries cross instances either way.
 */
async function roomsOn(
  servers: readonly BenchServer[],
  rooms: number,
  postOn: PostOn,
  extra: Pick<FanoutServer, 'supportPids' | 'stop'>,
): Promise<FanoutServer> {
  const [first] = servers;
  if (first === undefined) throw new Error('no server');
  const people =
    TANDEM_ORGANISATIONS === 'one'
      ? chunks((await seedOrganisations(first.databasePath, 1, rooms * PEOPLE)).flat(), PEOPLE)
      : await seedOrganisations(first.databasePath, rooms, PEOPLE);
  const setup: Room[] = [];
  for (let c = 0; c < rooms; c += SETUP_CONCURRENCY) {
    const batch = people
      .slice(c, c + SETUP_CONCURRENCY)
      .map((members, i) => setUpRoom(first.url, members, `room-${c + i}`));
    setup.push(...(await Promise.all(batch)));
  }
  const reacted = new Array<boolean>(rooms).fill(false);
  const posted = new Array<number>(rooms).fill(0);
  /**
   * Each room's calls on its sender's socket (member `room % instances`: posts spread over
   * instances), and that person's token, with which a call made again over HTTP is sent.
   */
  const calls: ({ readonly calls: SocketCalls; readonly token: string } | undefined)[] = [];
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
    async retainedBytes() {
      const each = await Promise.all(servers.map((s) => retainedBytes(s.inspectorPort)));
      return each.reduce((a, b) => a + b, 0);
    },
    async connect(room, member, delivered) {
      const person = roomOf(room).members[member % PEOPLE];
      if (person === undefined) throw new Error('bad layout');
      const answers: { calls?: SocketCalls } = {};
      const socket = await connect(serverOf(member).url, person.accessToken, (m) => {
        if (answers.calls?.answer(m) === true) return;
        const body = tandemBody(m);
        if (body !== undefined) delivered(body);
      });
      socket.send(JSON.stringify({ type: 'resume', cursor: 0 }));
      // As the apps do at each connect: hear the presence of the people shown (the room's), not
      // of everyone in the organisation (which only clients from before presence.watch hear).
      const shown = roomOf(room).members.map((m) => m.userId);
      socket.send(JSON.stringify({ type: 'presence.watch', userIds: watchSet(person.userId, shown) }));
      if (member === room % servers.length) {
        answers.calls = createSocketCalls((message) => {
          if (socket.readyState !== socket.OPEN) return false;
          socket.send(JSON.stringify(message));
          return true;
        });
        calls[room] = { calls: answers.calls, token: person.accessToken };
      }
      return socket;
    },
    async post(room, post) {
      const r = roomOf(room);
      const n = posted[room] ?? 0;
      posted[room] = n + 1;
      const { url } = serverOf(n);
      const { conversationId } = r;
      const sender = postOn === 'socket' ? calls[room] : undefined;
      const onSocket = sender?.calls;
      const token = sender?.token ?? r.token;
      if (post.kind === 'reaction') {
        const verb = reacted[room] === true ? 'unreact' : 'react';
        const body = { clientId: randomUUID(), emoji: '👍' as const };
        const http = () => call<ChatEvent>(url, 'POST', `${r.base}/${r.root}/${verb}`, token, body);
        const params = { conversationId, messageId: r.root };
        await (onSocket?.call(verb === 'react' ? 'reactToMessage' : 'unreactToMessage', { params, body }, http) ??
          http());
        reacted[room] = reacted[room] !== true;
        return;
      }
      const body = { clientId: randomUUID(), body: post.body, ...(post.kind === 'reply' ? { threadOf: r.root } : {}) };
      const http = () => call<ChatEvent>(url, 'POST', r.base, token, body);
      await (onSocket?.call('sendMessage', { params: { conversationId }, body }, http) ?? http());
    },
  };
}

/**
 * The coordination server in its own process (serverProcess.ts), on its own SQLite file. A
 * connection follows every conversation of its organisation, so a room of 20 is an organisation of
 * two people (seeded: seed.ts) with one channel: each message reaches exactly its room. Posts are
 * `POST /conversations/:id/messages` (a reply names the room's first message as its thread) and
 * react/unreact on that message, each with a fresh clientId, as the owner.
 */
export const tandemTarget: FanoutTarget = {
  name: 'tandem',
  async start(rooms, postOn) {
    const server = await startBenchServer();
    try {
      return await roomsOn([server], rooms, postOn, { stop: () => server.stop() });
    } catch (e) {
      await server.stop();
      throw e;
    }
  },
};

/** The same rooms on `instances` coordination servers sharing PostgreSQL and Redis (startBenchCluster). */
export function tandemClusterTarget(instances: number): FanoutTarget {
  return {
    name: `tandem×${instances}`,
    async start(rooms, postOn) {
      const cluster = await startBenchCluster(instances);
      try {
        return await roomsOn(cluster.servers, rooms, postOn, {
          supportPids: cluster.supportPids,
          stop: cluster.stop,
        });
      } catch (e) {
        await cluster.stop();
        throw e;
      }
    },
  };
}
