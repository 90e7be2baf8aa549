import type { Log } from '../services/realtime.ts';
import type { Cluster } from './cluster.ts';

/**
 * Work that must happen once however many instances run: each job runs every `everyMs` on the
 * instance holding its lease (see Cluster.hold). The lease outlives a few runs, so a holder that
 * dies is replaced within `leaseMs`; alone, this instance always holds it.
 */
export function leasedJobs(cluster: Cluster, log: Log) {
  const timers: NodeJS.Timeout[] = [];
  return {
    every(name: string, everyMs: number, work: () => Promise<unknown>): void {
      const leaseMs = everyMs * 4;
      let running = false;
      const timer = setInterval(() => {
        if (running) return;
        running = true;
        cluster
          .hold(name, leaseMs)
          .then((held) => (held ? work() : undefined))
          .catch((e: unknown) => log(`the ${name} job failed`, e))
          .finally(() => {
            running = false;
          });
      }, everyMs);
      timer.unref();
      timers.push(timer);
    },
    stop(): void {
      for (const timer of timers.splice(0)) clearInterval(timer);
    },
  };
}
