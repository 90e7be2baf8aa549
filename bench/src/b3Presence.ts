import type WebSocket from 'ws';
import type { Benchmark } from './benchmark.ts';
import { connect } from './orgClient.ts';
import { seedOrganisations } from './seed.ts';
import { rssOf, startBenchCluster, startBenchServer, type BenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const MEMBERS = Number(process.env['B3_MEMBERS'] ?? 1000);
const CHANGES = 30;
/** Besides the changer, each member watches this many others (a realistic sidebar). */
const SIDEBAR = 20;

/**
 * MEMBERS people of one organisation (seeded: seed.ts), connected one WebSocket each from this
 * process, member i to `servers[i % servers.length]`, each watching right after connecting the
 * changer and the SIDEBAR members after it (`presence.watch`, as the app's sidebar does); the
 * changer changes status CHANGES times, and each change is timed to its arrival at every member
 * (all watch the changer; the changer's own socket hears it as its own).
 */
async function measurePresence(servers: readonly BenchServer[], count: number): Promise<Record<string, number>> {
  const [first] = servers;
  if (first === undefined) throw new Error('no server');
  const sockets: WebSocket[] = [];
  try {
    const [members = []] = await seedOrganisations(first.databasePath, 1, count);
    const [changer] = members;
    if (changer === undefined) throw new Error('no members');
    let expected: { status: string; at: number } | undefined;
    const arrivals: number[] = [];
    const lastArrivals: number[] = [];
    let arrivedThisRound = 0;
    let answered = 0;
    for (const [i, member] of members.entries()) {
      const server = servers[i % servers.length] ?? first;
      const socket = await connect(server.url, member.accessToken, (m) => {
        if (m.type === 'presence.watched') answered += 1;
        if (m.type !== 'presence' || expected === undefined) return;
        if (m.presence.userId !== changer.userId || m.presence.status !== expected.status) return;
        const latency = performance.now() - expected.at;
        arrivals.push(latency);
        arrivedThisRound += 1;
        if (arrivedThisRound === members.length) lastArrivals.push(latency);
      });
      const sidebar = Array.from(
        { length: Math.min(SIDEBAR, count - 1) },
        (_, k) => members[(i + 1 + k) % count]?.userId ?? changer.userId,
      );
      socket.send(JSON.stringify({ type: 'presence.watch', userIds: [...new Set([changer.userId, ...sidebar])] }));
      sockets.push(socket);
    }
    const watchedBy = Date.now() + 60_000;
    while (answered < members.length && Date.now() < watchedBy) await new Promise((r) => setTimeout(r, 50));
    if (answered < members.length) throw new Error(`${members.length - answered} watches unanswered`);
    await new Promise((r) => setTimeout(r, 2000));
    const changerSocket = sockets[0];
    if (changerSocket === undefined) throw new Error('no socket');
    for (let i = 0; i < CHANGES; i += 1) {
      const status = i % 2 === 0 ? 'away' : 'online';
      arrivedThisRound = 0;
      expected = { status, at: performance.now() };
      changerSocket.send(JSON.stringify({ type: 'presence.set', status }));
      const deadline = Date.now() + 10_000;
      while (arrivedThisRound < members.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, 100));
    }
    const a = summarise(arrivals);
    const last = summarise(lastArrivals);
    return {
      'arrival.p50': a.p50,
      'arrival.p99': a.p99,
      'lastMember.p50': last.p50,
      'lastMember.p95': last.p95,
      'arrivals.received': arrivals.length,
      'arrivals.expected': CHANGES * members.length,
      // The largest instance's memory with every socket open.
      serverRssMiB: Math.round(Math.max(...servers.map((s) => rssOf(s.pid))) / 2 ** 20),
    };
  } finally {
    for (const s of sockets) s.terminate();
  }
}

/** B3: presence, one instance, MEMBERS people. */
export const b3Presence: Benchmark = {
  id: 'B3',
  what: 'presence change to its arrival at every member of the organisation watching the changer',
  goals: [{ figure: 'arrival.p99', below: 25, unit: 'ms' }],
  async run() {
    const server = await startBenchServer();
    try {
      const figures = await measurePresence([server], MEMBERS);
      return {
        params: { members: MEMBERS, changes: CHANGES, connectionsPerMember: 1, watchesPerMember: SIDEBAR + 1 },
        figures,
      };
    } finally {
      await server.stop();
    }
  },
};

const INSTANCES = Number(process.env['B3X_INSTANCES'] ?? 2);
const SIZES = (process.env['B3X_MEMBERS'] ?? '5000,10000').split(',').map(Number);

/**
 * B3X: B3 on several coordination instances sharing PostgreSQL and Redis (startBenchCluster),
 * members alternating between them, so a change crosses Redis to reach half of them.
 */
export const b3xPresence: Benchmark = {
  id: 'B3X',
  what: `presence change to its arrival at every member watching the changer, ${INSTANCES} coordination instances (PostgreSQL, Redis)`,
  goals: [],
  async run() {
    const figures: Record<string, number> = {};
    for (const members of SIZES) {
      const cluster = await startBenchCluster(INSTANCES);
      try {
        const measured = await measurePresence(cluster.servers, members);
        for (const [key, value] of Object.entries(measured)) figures[`m${members}.${key}`] = value;
      } finally {
        await cluster.stop();
      }
    }
    return {
      params: {
        members: SIZES,
        instances: INSTANCES,
        changes: CHANGES,
        connectionsPerMember: 1,
        watchesPerMember: SIDEBAR + 1,
      },
      figures,
    };
  },
};
