import type WebSocket from 'ws';
import type { Benchmark } from './benchmark.ts';
import { connect, createOrganisation } from './orgClient.ts';
import { startBenchServer } from './serverProcess.ts';
import { summarise } from './stats.ts';

const MEMBERS = Number(process.env['B3_MEMBERS'] ?? 1000);
const CHANGES = 30;

/**
 * B3: presence. MEMBERS people of one organisation are connected (one WebSocket each, in
 * this process; the server in its own); one of them changes status CHANGES times, and each
 * change is timed to its arrival at every other member.
 */
export const b3Presence: Benchmark = {
  id: 'B3',
  what: 'presence change to its arrival at every member of the organisation',
  goals: [{ figure: 'arrival.p99', below: 25, unit: 'ms' }],
  async run() {
    const server = await startBenchServer();
    const sockets: WebSocket[] = [];
    try {
      const { members } = await createOrganisation(server.url, MEMBERS);
      const [changer] = members;
      if (changer === undefined) throw new Error('no members');
      let expected: { status: string; at: number } | undefined;
      const arrivals: number[] = [];
      const lastArrivals: number[] = [];
      let arrivedThisRound = 0;
      for (const member of members) {
        sockets.push(
          await connect(server.url, member.accessToken, (m) => {
            if (m.type !== 'presence' || expected === undefined) return;
            if (m.presence.userId !== changer.userId || m.presence.status !== expected.status) return;
            const latency = performance.now() - expected.at;
            arrivals.push(latency);
            arrivedThisRound += 1;
            if (arrivedThisRound === members.length) lastArrivals.push(latency);
          }),
        );
      }
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
        params: { members: MEMBERS, changes: CHANGES, connectionsPerMember: 1 },
        figures: {
          'arrival.p50': a.p50,
          'arrival.p99': a.p99,
          'lastMember.p50': last.p50,
          'lastMember.p95': last.p95,
          'arrivals.received': arrivals.length,
          'arrivals.expected': CHANGES * members.length,
        },
      };
    } finally {
      for (const s of sockets) s.terminate();
      await server.stop();
    }
  },
};
