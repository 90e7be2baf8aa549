/**
 * B2's load generator, shared by every server it measures (Tandem and its peers): the servers
 * differ only in a small adapter (a FanoutTarget) that starts one, opens and subscribes a room's
 * socket, posts to a room and finds a post's body in what a socket receives.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { logsDir, spawnOwned, type Spawned } from '@tandem/devstack';
import type WebSocket from 'ws';
import { cpuSecondsOf, rssOf, treeCpuSeconds } from './serverProcess.ts';
import { summarise } from './stats.ts';

/** Sockets per room: each post reaches this many. */
export const ROOM = 20;
/** Posts per second: B2's load. */
export const RATE = 500;
/**
 * Of every five posts: three messages, one thread reply, one reaction given or taken back (on the
 * room's first message), as chat traffic with threads and reactions looks.
 */
const MIX = ['message', 'message', 'reply', 'message', 'reaction'] as const;

/** A message or thread reply carries its send time in its body and is timed; a reaction is load only. */
export type Post = { readonly kind: 'message' | 'reply'; readonly body: string } | { readonly kind: 'reaction' };

/** A server under test, started, with its rooms ready. */
export type FanoutServer = {
  /**
   * The server's processes, one per instance: their CPU and memory are read from /proc, the load
   * generator's apart.
   */
  readonly pids: readonly number[];
  /** What the instances share (PostgreSQL, Redis): their process trees' CPU is reported apart. */
  readonly supportPids?: readonly number[];
  /** What its processes keep after a full garbage collection, summed (Node servers: retained.ts). */
  retainedBytes?(): Promise<number>;
  /**
   * Opens socket `member` (0 … ROOM − 1) of `room` and subscribes it; resolves once it receives
   * the room's posts. `delivered` gets the body of each message or reply the socket receives.
   */
  connect(room: number, member: number, delivered: (body: string) => void): Promise<WebSocket>;
  /** Posts to `room` as one of its members would (`PostOn`); resolves once the server accepted it. */
  post(room: number, post: Post): Promise<void>;
  stop(): Promise<void>;
};

/**
 * How posts reach a server: on a socket of the room the poster holds anyway (Tandem's apps call
 * their chat writes on their socket; Centrifugo's client publish; the floor's relay of a socket
 * message), or as an HTTP request each (Tandem's POST, Centrifugo's server API, the floor's POST).
 */
export type PostOn = 'socket' | 'http';

/** B2_POST=http (B2 and B2X): posts as HTTP requests, as before the apps wrote chat on their socket. */
export const POST_ON: PostOn = process.env['B2_POST'] === 'http' ? 'http' : 'socket';

export type FanoutTarget = {
  readonly name: string;
  start(rooms: number, postOn: PostOn): Promise<FanoutServer>;
};

const now = () => performance.timeOrigin + performance.now();

const TIMED = 'b2 ';
export const timedBody = (sentAt: number): string => `${TIMED}${sentAt}`;
/** The send time a timed body carries; undefined for any other body. */
export function sentAtOf(body: string): number | undefined {
  if (!body.startsWith(TIMED)) return undefined;
  const sentAt = Number(body.slice(TIMED.length));
  return Number.isFinite(sentAt) ? sentAt : undefined;
}

/**
 * What the peers publish for a post: the fields of Tandem's chat event (ids, author, time), so
 * every server carries a payload of about the same size. Tandem makes its own on the server.
 */
export function peerEvent(room: number, post: Post): Readonly<Record<string, unknown>> {
  const id = randomUUID();
  const base = {
    conversationId: `room-${room}`,
    clientId: id,
    messageId: id,
    authorId: `room-${room}-person-0`,
    createdAt: new Date().toISOString(),
  };
  if (post.kind === 'reaction') return { ...base, type: 'react', emoji: '👍' };
  return {
    ...base,
    type: 'message',
    body: post.body,
    ...(post.kind === 'reply' ? { threadOf: `room-${room}-root` } : {}),
  };
}

/** The body of a peer's message event (see peerEvent); undefined for anything else. */
export function peerBody(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const { type, body } = event as { type?: unknown; body?: unknown };
  return type === 'message' && typeof body === 'string' ? body : undefined;
}

/** One measured run of one target: the raw samples and counters, pooled by fanoutFigures. */
export type FanoutRun = {
  readonly target: string;
  readonly clients: number;
  /** 1-minute load average when this run started. */
  readonly loadAverage1m: number;
  /** Send → receive at every recipient of the warm-up's posts (WARM_UP_SECONDS), ms. */
  readonly warmUpLatencies: readonly number[];
  /** Send → receive at every recipient, ms. */
  readonly latencies: readonly number[];
  /** Each post's HTTP answer time, ms. */
  readonly posts: readonly number[];
  readonly sent: number;
  readonly reactions: number;
  readonly failed: number;
  readonly windowSeconds: number;
  /** Summed over the instances. */
  readonly serverCpuSeconds: number;
  readonly instances: number;
  /** PostgreSQL's and Redis's, when the instances share them. */
  readonly supportCpuSeconds: number;
  readonly loadgenCpuSeconds: number;
  /** The largest instance's. */
  readonly serverRssBytes: number;
  readonly idleBytesPerConnection: number;
  /**
   * The same from what the server keeps after a full garbage collection (heap in use and memory
   * outside it: retained.ts), where it can be asked: RSS also counts the sockets' handshakes'
   * garbage not yet collected and pages the heap keeps for later, which swing it by more than a
   * socket's whole cost from run to run.
   */
  readonly idleRetainedBytesPerConnection?: number;
  /** The instances' CPU while every socket sat idle, in cores (summed over instances). */
  readonly idleCores: number;
};

/** A process spinning on a core: "one competing busy process" (B2_BUSY=1). */
function startBusyProcess(): Spawned {
  fs.mkdirSync(logsDir, { recursive: true });
  return spawnOwned(process.execPath, ['-e', 'for (;;) {}'], path.join(logsDir, 'b2-busy.log'));
}

/**
 * Seconds of posting at the run's rate before the measured window, for every target alike: a server is
 * measured as it runs for days, not in its first seconds (code compiled on first use, caches and
 * heaps grown, the load generator's own receive path warmed). At 1 s, seconds 0–4 of Tandem's
 * window still held most of its stalls of 40–55 ms (per-second p99 from then on: 9–15 ms). What
 * the warm-up's deliveries took is reported apart (`warmUp.p99`), so a slow start stays visible.
 */
const WARM_UP_SECONDS = 3;

type Posting = { sent: number; reactions: number; failed: number; readonly posts: number[] };

const cpuOfAll = (pids: readonly number[], cpuOf: (pid: number) => number): number =>
  pids.reduce((total, pid) => total + cpuOf(pid), 0);
const rssOfAll = (pids: readonly number[]): number => pids.reduce((total, pid) => total + rssOf(pid), 0);

/**
 * Posts `rate` per second to `server` for `seconds` (every 10 ms what is due, round-robin over the
 * rooms, MIX) and waits for every answer. A message's or reply's body carries its send time.
 */
async function postFor(
  server: FanoutServer,
  target: string,
  rooms: number,
  { seconds, rate }: { readonly seconds: number; readonly rate: number },
): Promise<Posting> {
  const posting: Posting = { sent: 0, reactions: 0, failed: 0, posts: [] };
  // One reaction in flight per room: Tandem flips its state when the server answers (a second
  // one sent before would ask for the same change and be refused with 409).
  const reacting = new Array<boolean>(rooms).fill(false);
  const inflight = new Set<Promise<void>>();
  const started = now();
  while (now() - started < seconds * 1000) {
    const due = Math.floor(((now() - started) / 1000) * rate);
    while (posting.sent < due) {
      const room = posting.sent % rooms;
      const postedAt = now();
      const mixed = MIX[posting.sent % MIX.length] ?? 'message';
      const kind = mixed === 'reaction' && reacting[room] === true ? 'message' : mixed;
      const request = server.post(room, kind === 'reaction' ? { kind } : { kind, body: timedBody(postedAt) });
      if (kind === 'reaction') {
        posting.reactions += 1;
        reacting[room] = true;
        void request
          .finally(() => {
            reacting[room] = false;
          })
          .catch(() => undefined);
      }
      const p = request.then(
        () => {
          posting.posts.push(now() - postedAt);
        },
        (e: unknown) => {
          posting.failed += 1;
          // The first few say why (a refused request's answer, or the connection's error).
          if (posting.failed <= 5)
            console.error(`B2 ${target} post failed:`, e instanceof Error ? (e.cause ?? e.message) : e);
        },
      );
      inflight.add(p);
      void p.finally(() => inflight.delete(p));
      posting.sent += 1;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await Promise.all(inflight);
  return posting;
}

/**
 * Starts `target`, opens `clients` sockets in rooms of ROOM, lets them idle (`idleSeconds`: idle CPU
 * and memory), posts for WARM_UP_SECONDS, then measures `seconds` of posting (postFor, at `rate`:
 * RATE unless given) and 1 s more for deliveries, and stops the target.
 */
export async function runFanout(
  target: FanoutTarget,
  clients: number,
  options: {
    readonly seconds: number;
    readonly busy: boolean;
    readonly rate?: number;
    /** How long the sockets sit idle before posting starts (idle CPU and memory): 2 s unless given. */
    readonly idleSeconds?: number;
    /** On the sockets (as the apps post) unless given. */
    readonly postOn?: PostOn;
  },
): Promise<FanoutRun> {
  const rate = options.rate ?? RATE;
  const rooms = clients / ROOM;
  if (!Number.isInteger(rooms) || rooms < 2)
    throw new Error(`clients (${clients}) must be a multiple of ${ROOM}, at least two rooms' worth`);
  const loadAverage1m = Math.round((os.loadavg()[0] ?? 0) * 100) / 100;
  const server = await target.start(rooms, options.postOn ?? 'socket');
  const sockets: WebSocket[] = [];
  let busy: Spawned | undefined;
  try {
    const warmUpLatencies: number[] = [];
    const latencies: number[] = [];
    // Deliveries of posts sent from `measuredFrom` on, until the window closes, are the figure.
    let measuredFrom = Number.POSITIVE_INFINITY;
    let inWindow = true;
    // The first room's sockets go in before memory is read: what a server builds once, on its
    // first sockets (code compiled on first use, caches, message schemas), is no socket's cost.
    let rssBefore = 0;
    let retainedBefore = 0;
    for (let i = 0; i < clients; i += 1) {
      if (i === ROOM) {
        await new Promise((r) => setTimeout(r, 500));
        retainedBefore = (await server.retainedBytes?.()) ?? 0;
        rssBefore = rssOfAll(server.pids);
      }
      const socket = await server.connect(Math.floor(i / ROOM), i % ROOM, (body) => {
        const sentAt = sentAtOf(body);
        if (sentAt === undefined || !inWindow) return;
        (sentAt >= measuredFrom ? latencies : warmUpLatencies).push(now() - sentAt);
      });
      sockets.push(socket);
    }
    if (options.busy) busy = startBusyProcess();
    const idleSeconds = options.idleSeconds ?? 2;
    const idleCpu0 = cpuOfAll(server.pids, cpuSecondsOf);
    await new Promise((r) => setTimeout(r, idleSeconds * 1000));
    const idleCpuSeconds = cpuOfAll(server.pids, cpuSecondsOf) - idleCpu0;
    // Both RSS readings follow a full collection where the server can be asked for one, so
    // neither counts the garbage of the handshakes before it.
    const retainedIdle = await server.retainedBytes?.();
    const rssIdle = rssOfAll(server.pids);

    await postFor(server, target.name, rooms, { seconds: WARM_UP_SECONDS, rate });
    const supportPids = server.supportPids ?? [];
    const cpuServer0 = cpuOfAll(server.pids, cpuSecondsOf);
    const cpuSupport0 = cpuOfAll(supportPids, treeCpuSeconds);
    const cpuSelf0 = process.cpuUsage();
    const started = now();
    measuredFrom = started;
    const { sent, reactions, failed, posts } = await postFor(server, target.name, rooms, {
      seconds: options.seconds,
      rate,
    });
    await new Promise((r) => setTimeout(r, 1000));
    inWindow = false;
    const windowSeconds = (now() - started) / 1000;
    const serverCpuSeconds = cpuOfAll(server.pids, cpuSecondsOf) - cpuServer0;
    const supportCpuSeconds = cpuOfAll(supportPids, treeCpuSeconds) - cpuSupport0;
    const self = process.cpuUsage(cpuSelf0);
    return {
      target: target.name,
      clients,
      loadAverage1m,
      warmUpLatencies,
      latencies,
      posts,
      sent,
      reactions,
      failed,
      windowSeconds,
      serverCpuSeconds,
      instances: server.pids.length,
      supportCpuSeconds,
      loadgenCpuSeconds: (self.user + self.system) / 1e6,
      serverRssBytes: Math.max(...server.pids.map(rssOf)),
      idleBytesPerConnection: (rssIdle - rssBefore) / (clients - ROOM),
      ...(retainedIdle === undefined
        ? {}
        : { idleRetainedBytesPerConnection: (retainedIdle - retainedBefore) / (clients - ROOM) }),
      idleCores: idleCpuSeconds / idleSeconds,
    };
  } finally {
    await busy?.stop();
    for (const s of sockets) s.terminate();
    await server.stop();
  }
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/**
 * The figures of one target's runs (one or several of the same size): latencies pooled over the
 * runs, CPU and deliveries summed over them, memory averaged.
 */
export function fanoutFigures(runs: readonly FanoutRun[]): Record<string, number> {
  const latencies = summarise(runs.flatMap((r) => r.latencies));
  const warmUp = summarise(runs.flatMap((r) => r.warmUpLatencies));
  const posts = summarise(runs.flatMap((r) => r.posts));
  const seconds = sum(runs.map((r) => r.windowSeconds));
  const sent = sum(runs.map((r) => r.sent));
  const received = sum(runs.map((r) => r.latencies.length));
  const serverCpu = sum(runs.map((r) => r.serverCpuSeconds));
  const supportCpu = sum(runs.map((r) => r.supportCpuSeconds));
  const instances = Math.max(...runs.map((r) => r.instances));
  return {
    'latency.p50': latencies.p50,
    'latency.p99': latencies.p99,
    'warmUp.p99': warmUp.p99,
    // A post sent to the server's answer (on the socket or over HTTP, as the run posted).
    'post.p50': posts.p50,
    'post.p99': posts.p99,
    deliveriesPerSecond: Math.round(received / seconds),
    deliveriesExpected: sum(runs.map((r) => (r.sent - r.reactions) * ROOM)),
    deliveriesReceived: received,
    sendFailures: sum(runs.map((r) => r.failed)),
    serverCpuPercent: Math.round((serverCpu / seconds) * 100),
    ...(instances > 1 ? { instanceCpuPercent: Math.round((serverCpu / seconds / instances) * 100) } : {}),
    // What each post costs the server whatever else the machine runs: the figure to compare.
    serverCpuMsPerPost: round2((serverCpu * 1000) / sent),
    ...(supportCpu > 0 ? { supportCpuMsPerPost: round2((supportCpu * 1000) / sent) } : {}),
    loadgenCpuPercent: Math.round((sum(runs.map((r) => r.loadgenCpuSeconds)) / seconds) * 100),
    serverRssMiB: Math.round(Math.max(...runs.map((r) => r.serverRssBytes)) / 2 ** 20),
    idleKiBPerConnection: Math.round(sum(runs.map((r) => r.idleBytesPerConnection)) / runs.length / 1024),
    ...retainedKiB(runs),
    // What holding the sockets costs with nobody posting (timers, heartbeats, catch-up), % of a core.
    idleCpuPercent: round2((sum(runs.map((r) => r.idleCores)) / runs.length) * 100),
  };
}

/** `idleRetainedKiBPerConnection` (one decimal), averaged over the runs, when every run could measure it. */
function retainedKiB(runs: readonly FanoutRun[]): { idleRetainedKiBPerConnection?: number } {
  const retained = runs.flatMap((r) =>
    r.idleRetainedBytesPerConnection === undefined ? [] : [r.idleRetainedBytesPerConnection],
  );
  if (retained.length === 0 || retained.length < runs.length) return {};
  return { idleRetainedKiBPerConnection: Math.round((sum(retained) / retained.length / 1024) * 10) / 10 };
}

/** Tandem's figures over another server's: below 1 where Tandem is faster or cheaper. */
export function ratios(tandem: Readonly<Record<string, number>>, other: Readonly<Record<string, number>>) {
  const over = (key: string) => round2((tandem[key] ?? Number.NaN) / (other[key] ?? Number.NaN));
  return { p50: over('latency.p50'), p99: over('latency.p99'), cpuPerPost: over('serverCpuMsPerPost') };
}

/** One run in the result's detail, to see the spread behind the pooled figures. */
export function runSummary(run: FanoutRun): Readonly<Record<string, number | string>> {
  const f = fanoutFigures([run]);
  return {
    target: run.target,
    clients: run.clients,
    loadAverage1m: run.loadAverage1m,
    p50: f['latency.p50'] ?? Number.NaN,
    p99: f['latency.p99'] ?? Number.NaN,
    serverCpuMsPerPost: f['serverCpuMsPerPost'] ?? Number.NaN,
    idleKiBPerConnection: f['idleKiBPerConnection'] ?? Number.NaN,
    ...(f['idleRetainedKiBPerConnection'] === undefined
      ? {}
      : { idleRetainedKiBPerConnection: f['idleRetainedKiBPerConnection'] }),
    sendFailures: run.failed,
    deliveriesMissing: (f['deliveriesExpected'] ?? 0) - run.latencies.length,
  };
}
