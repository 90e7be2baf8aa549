import { randomUUID } from 'node:crypto';
import type { ChatEvent } from '@tandem/shared';
import type WebSocket from 'ws';
import type { Benchmark } from './benchmark.ts';
import { call, connect, createChannel, createOrganisation } from './orgClient.ts';
import { cpuSecondsOf, rssOf, startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const ROOM = 20;
/** Each room is an organisation of this many people, each connected ROOM / PEOPLE times. */
const PEOPLE = 2;
const RATE = 500;
const SECONDS = Number(process.env['B2_SECONDS'] ?? 10);
const SIZES = (process.env['B2_CLIENTS'] ?? '1000,5000').split(',').map(Number);
/**
 * Of every five posts: three messages, one thread reply, one reaction given or taken back (on the
 * room's first message), as chat traffic with threads and reactions looks.
 */
const MIX = ['message', 'message', 'reply', 'message', 'reaction'] as const;

const now = () => performance.timeOrigin + performance.now();

async function measure(clients: number): Promise<Record<string, number>> {
  const server = await startBenchServer();
  const sockets: WebSocket[] = [];
  try {
    // A connection follows every conversation of its organisation, so a room of 20 is an
    // organisation with one channel: each message reaches exactly its room.
    const rooms = [];
    for (let c = 0; c < clients / ROOM; c += 1) {
      const { owner, members } = await createOrganisation(server.url, PEOPLE);
      const token = owner.tokens.accessToken;
      const channel = await createChannel(server.url, token, `room-${c}`);
      const root = await call<ChatEvent>(server.url, 'POST', `/conversations/${channel.id}/messages`, token, {
        clientId: randomUUID(),
        body: 'thread root',
      });
      rooms.push({ token, members, channel, root: root.messageId, reacted: false, reacting: false });
    }
    const latencies: number[] = [];
    let inWindow = true;
    const rssBefore = rssOf(server.pid);
    for (let i = 0; i < clients; i += 1) {
      const room = rooms[Math.floor(i / ROOM)];
      const member = room?.members[i % PEOPLE];
      if (member === undefined) throw new Error('bad layout');
      const socket = await connect(server.url, member.accessToken, (m) => {
        if (m.type !== 'chat.event' || m.event.type !== 'message' || !m.event.body.startsWith('b2 ') || !inWindow)
          return;
        const sentAt = Number(m.event.body.slice(3));
        latencies.push(now() - sentAt);
      });
      socket.send(JSON.stringify({ type: 'resume', cursor: 0 }));
      sockets.push(socket);
    }
    await new Promise((r) => setTimeout(r, 2000));
    const rssIdle = rssOf(server.pid);

    const cpuServer0 = cpuSecondsOf(server.pid);
    const cpuSelf0 = process.cpuUsage();
    const started = now();
    let sent = 0;
    const posts: number[] = [];
    let failed = 0;
    let reactions = 0;
    const inflight = new Set<Promise<void>>();
    // 500 messages/s as 5 every 10 ms, round-robin over the rooms.
    while (now() - started < SECONDS * 1000) {
      const due = Math.floor(((now() - started) / 1000) * RATE);
      while (sent < due) {
        const room = rooms[sent % rooms.length];
        if (room === undefined) break;
        const postedAt = now();
        // One reaction in flight per room: its state flips when the server answers (a second
        // one sent before would ask for the same change and be refused with 409).
        const mixed = MIX[sent % MIX.length];
        const kind = mixed === 'reaction' && room.reacting ? 'message' : mixed;
        const base = `/conversations/${room.channel.id}/messages`;
        const request =
          kind === 'reaction'
            ? call(server.url, 'POST', `${base}/${room.root}/${room.reacted ? 'unreact' : 'react'}`, room.token, {
                clientId: randomUUID(),
                emoji: '👍',
              })
            : call(server.url, 'POST', base, room.token, {
                clientId: randomUUID(),
                body: `b2 ${postedAt}`,
                ...(kind === 'reply' ? { threadOf: room.root } : {}),
              });
        if (kind === 'reaction') {
          reactions += 1;
          room.reacting = true;
          void request
            .then(() => {
              room.reacted = !room.reacted;
            })
            .finally(() => {
              room.reacting = false;
            })
            .catch(() => undefined);
        }
        const p = request.then(
          () => {
            posts.push(now() - postedAt);
          },
          (e: unknown) => {
            failed += 1;
            // The first few say why (a refused request's answer, or the connection's error).
            if (failed <= 5) console.error('B2 post failed:', e instanceof Error ? (e.cause ?? e.message) : e);
          },
        );
        inflight.add(p);
        void p.finally(() => inflight.delete(p));
        sent += 1;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    await Promise.all(inflight);
    await new Promise((r) => setTimeout(r, 1000));
    inWindow = false;
    const windowSeconds = (now() - started) / 1000;
    const serverCpu = cpuSecondsOf(server.pid) - cpuServer0;
    const self = process.cpuUsage(cpuSelf0);
    const l = summarise(latencies);
    const post = summarise(posts);
    return {
      [`c${clients}.latency.p50`]: l.p50,
      [`c${clients}.latency.p99`]: l.p99,
      [`c${clients}.httpPost.p50`]: post.p50,
      [`c${clients}.httpPost.p99`]: post.p99,
      [`c${clients}.deliveriesPerSecond`]: Math.round(latencies.length / windowSeconds),
      [`c${clients}.deliveriesExpected`]: (sent - reactions) * ROOM,
      [`c${clients}.deliveriesReceived`]: latencies.length,
      [`c${clients}.sendFailures`]: failed,
      [`c${clients}.serverCpuPercent`]: Math.round((serverCpu / windowSeconds) * 100),
      // What each post costs the server whatever else the machine runs: the figure to compare.
      [`c${clients}.serverCpuMsPerPost`]: Math.round((serverCpu * 1000 * 100) / sent) / 100,
      [`c${clients}.loadgenCpuPercent`]: Math.round(((self.user + self.system) / 1e6 / windowSeconds) * 100),
      [`c${clients}.serverRssMiB`]: Math.round(rssOf(server.pid) / 2 ** 20),
      [`c${clients}.idleKiBPerConnection`]: Math.round((rssIdle - rssBefore) / 1024 / clients),
    };
  } finally {
    for (const s of sockets) s.terminate();
    await server.stop();
  }
}

/**
 * B2: chat fan-out. The server runs in its own process; this process is the load generator:
 * `clients` WebSockets in rooms of 20 (an organisation of 2 people, each connected 10 times, with
 * one channel: a connection follows all its organisation's conversations), and 500 posts/s over
 * HTTP, one in five a thread reply and one in five a reaction (MIX). Latency is send-to-receive
 * of messages and replies at every recipient (same clock); reactions are load only.
 */
export const b2Fanout: Benchmark = {
  id: 'B2',
  what: 'chat fan-out over WebSocket, rooms of 20, 500 posts/s in (a fifth thread replies, a fifth reactions)',
  goals: [
    { figure: 'c1000.latency.p50', below: 3, unit: 'ms' },
    { figure: 'c1000.latency.p99', below: 15, unit: 'ms' },
    { figure: 'c1000.idleKiBPerConnection', below: 30, unit: 'KiB' },
  ],
  async run() {
    let figures: Record<string, number> = {};
    for (const clients of SIZES) figures = { ...figures, ...(await measure(clients)) };
    return { params: { clients: SIZES, room: ROOM, messagesPerSecond: RATE, seconds: SECONDS }, figures };
  },
};
