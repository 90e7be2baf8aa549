import type { Benchmark } from './benchmark.ts';
import { fanoutFigures, POST_ON, ROOM, runFanout, runSummary } from './b2Driver.ts';
import { TANDEM_ORGANISATIONS, tandemClusterTarget } from './b2Tandem.ts';

const INSTANCES = Number(process.env['B2X_INSTANCES'] ?? 2);
const SIZES = (process.env['B2X_CLIENTS'] ?? '5000,10000').split(',').map(Number);
const SECONDS = Number(process.env['B2_SECONDS'] ?? 10);
/**
 * Posts per second. B2's 500 is more than this 2-core machine can carry when it also runs two
 * instances, PostgreSQL, Redis and the load generator (answers queue for seconds): the figure the
 * capacity model needs is what a post costs each process, at a rate all of them keep up with.
 */
const RATE = Number(process.env['B2X_RATE'] ?? 200);
/** Idle long enough for every periodic task (catch-up every 2 s, heartbeats, token checks every 30 s) to show. */
const IDLE_SECONDS = 30;

/**
 * B2X: B2's load shape (b2Driver.ts: rooms of 20, RATE posts/s, a fifth thread replies and a fifth
 * reactions) on several coordination instances as deployed beyond one machine: one PostgreSQL
 * (commits synced), one Redis, one LiveKit, everything on this machine's loopback. A room's
 * sockets alternate between the instances and its posts go to them in turn, so most deliveries
 * cross Redis. Figures per size: delivery latency, the instances' CPU (summed per post, and each
 * instance's share of a core), the largest instance's memory, idle memory per socket over all
 * instances, and PostgreSQL's and Redis's CPU per post apart; the load generator's apart too.
 * What docs/deploy/'s capacity model derives from.
 */
export const b2xCluster: Benchmark = {
  id: 'B2X',
  what: `chat fan-out as B2 on ${INSTANCES} coordination instances (PostgreSQL, Redis), rooms of 20, ${RATE} posts/s in`,
  goals: [],
  async run() {
    const figures: Record<string, number> = {};
    const runs: Readonly<Record<string, number | string>>[] = [];
    const target = tandemClusterTarget(INSTANCES);
    for (const clients of SIZES) {
      const run = await runFanout(target, clients, {
        seconds: SECONDS,
        busy: false,
        rate: RATE,
        idleSeconds: IDLE_SECONDS,
        postOn: POST_ON,
      });
      runs.push(runSummary(run));
      for (const [key, value] of Object.entries(fanoutFigures([run]))) figures[`c${clients}.${key}`] = value;
    }
    return {
      params: {
        clients: SIZES,
        instances: INSTANCES,
        room: ROOM,
        messagesPerSecond: RATE,
        seconds: SECONDS,
        idleSeconds: IDLE_SECONDS,
        postOn: POST_ON,
        tandemOrganisations: TANDEM_ORGANISATIONS,
      },
      figures,
      detail: { runs },
    };
  },
};
