import type { Benchmark, Goal } from './benchmark.ts';
import { centrifugoTarget } from './b2Centrifugo.ts';
import {
  fanoutFigures,
  RATE,
  ratios,
  ROOM,
  runFanout,
  runSummary,
  type FanoutRun,
  type FanoutTarget,
  POST_ON,
} from './b2Driver.ts';
import { floorTarget } from './b2Floor.ts';
import { TANDEM_ORGANISATIONS, tandemTarget } from './b2Tandem.ts';

/**
 * Each run's measured window. A p99 over 10 s is its worst 100 ms of traffic, and one stall of the
 * machine moved a run's p99 between 9 and 27 ms for every target alike; over 30 s it held to
 * 11–14 ms run after run.
 */
const SECONDS = Number(process.env['B2_SECONDS'] ?? 30);
const SIZES = (process.env['B2_CLIENTS'] ?? '1000,5000').split(',').map(Number);
/** The peers (Centrifugo, the floor) run beside Tandem unless B2_PEERS=0. */
const PEERS = process.env['B2_PEERS'] !== '0';
/** B2_BUSY=1: a process spinning on a core during every run (issue 17's "one competing busy process"). */
const BUSY = process.env['B2_BUSY'] === '1';

const TARGETS: Readonly<Record<string, FanoutTarget>> = {
  tandem: tandemTarget,
  centrifugo: centrifugoTarget,
  floor: floorTarget,
};
/**
 * Each target twice, the second round in reverse, so a drift of the machine's load during the run
 * falls on every target alike; Tandem alone (as before the peers) with B2_PEERS=0.
 */
const ORDER = PEERS ? ['tandem', 'centrifugo', 'floor', 'floor', 'centrifugo', 'tandem'] : ['tandem'];

const ms = (figure: string, bound: { below: number } | { atMost: number }): Goal => ({ figure, ...bound, unit: 'ms' });

/**
 * B2: chat fan-out, Tandem beside Centrifugo and a bare Node floor under the same load in the same
 * run (b2Driver.ts): `clients` WebSockets in rooms of 20 and 500 posts/s (on a socket of the room,
 * as Tandem's apps post; over HTTP with B2_POST=http), one in five a
 * thread reply and one in five a reaction. Latency is send-to-receive of messages and replies at
 * every recipient (same clock); reactions are load only. Each server runs in its own process;
 * its CPU per post and idle memory per socket come from /proc, the load generator's CPU apart.
 * Tandem's figures keep their keys (`c1000.latency.p50`); the peers' are `c1000.centrifugo.…`,
 * `c1000.floor.…`, and `c1000.tandemOverCentrifugo.{p50,p99,cpuPerPost}` compares them.
 */
export const b2Fanout: Benchmark = {
  id: 'B2',
  what:
    'chat fan-out over WebSocket, rooms of 20, 500 posts/s in (a fifth thread replies, a fifth reactions)' +
    (PEERS ? ', beside Centrifugo and a bare Node floor' : ''),
  goals: [
    ms('c1000.latency.p50', { below: 3 }),
    // Issue 17: < 15 ms with one competing busy process (B2_BUSY=1), < 10 ms on a quiet machine.
    ms('c1000.latency.p99', { below: 15 }),
    ...(BUSY ? [] : [ms('c1000.latency.p99', { below: 10 })]),
    { figure: 'c1000.idleKiBPerConnection', below: 30, unit: 'KiB' },
    // Issue 17's bound, on what the server keeps (RSS swings by more than a socket's cost: b2Driver.ts).
    { figure: 'c1000.idleRetainedKiBPerConnection', below: 16, unit: 'KiB' },
    ms('c1000.serverCpuMsPerPost', { atMost: 0.3 }),
    ...(PEERS
      ? [
          { figure: 'c1000.tandemOverCentrifugo.p50', atMost: 1, unit: '×' },
          { figure: 'c1000.tandemOverCentrifugo.p99', atMost: 1, unit: '×' },
        ]
      : []),
  ],
  async run() {
    const figures: Record<string, number> = {};
    const runs: Readonly<Record<string, number | string>>[] = [];
    for (const clients of SIZES) {
      const byTarget = new Map<string, FanoutRun[]>();
      for (const name of ORDER) {
        const target = TARGETS[name];
        if (target === undefined) throw new Error(`no B2 target ${name}`);
        const run = await runFanout(target, clients, { seconds: SECONDS, busy: BUSY, postOn: POST_ON });
        byTarget.set(name, [...(byTarget.get(name) ?? []), run]);
        runs.push(runSummary(run));
      }
      const pooled = new Map([...byTarget].map(([name, r]) => [name, fanoutFigures(r)]));
      for (const [name, f] of pooled) {
        const prefix = name === 'tandem' ? `c${clients}.` : `c${clients}.${name}.`;
        for (const [key, value] of Object.entries(f)) figures[`${prefix}${key}`] = value;
      }
      const tandem = pooled.get('tandem');
      for (const [peer, label] of [
        ['centrifugo', 'tandemOverCentrifugo'],
        ['floor', 'tandemOverFloor'],
      ] as const) {
        const other = pooled.get(peer);
        if (tandem === undefined || other === undefined) continue;
        for (const [key, value] of Object.entries(ratios(tandem, other)))
          figures[`c${clients}.${label}.${key}`] = value;
      }
    }
    return {
      params: {
        clients: SIZES,
        room: ROOM,
        messagesPerSecond: RATE,
        seconds: SECONDS,
        order: ORDER,
        busyProcess: BUSY,
        postOn: POST_ON,
        tandemOrganisations: TANDEM_ORGANISATIONS,
      },
      figures,
      detail: { runs },
    };
  },
};
