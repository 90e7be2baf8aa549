import type { Log } from '../services/realtime.ts';
import type { Cluster } from './cluster.ts';

/**
 * Work that must happen once however many instances run: each job runs every `everyMs` on the
 * instance holding its lease (see Cluster.hold). The lease outlives a few runs, so a holder that
 * dies is replaced within `leaseMs`; alone, this instance always holds it.
 */
export function leasedJobs(cluster: Cluster, log: Log) {
  const timers: NodeJS.Timeout[] = [];
  /** Runs under way, which stopping waits for (they use the store, which closes next). */
  const running = new Set<Promise<unknown>>();
  return {
    /**
     * `options.atStart`: a first run now, not one period later. `options.able`: asked before the
     * lease; an instance that cannot do the work now (say, its LiveKit does not answer) neither
     * takes nor keeps it, so that another does the work once it lapses. Answers a function that
     * runs it now (on this instance if it holds the lease; after the run under way if one is).
     */
    every(
      name: string,
      everyMs: number,
      work: () => Promise<unknown>,
      options: { readonly atStart?: boolean; readonly able?: () => Promise<boolean> } = {},
    ): () => void {
      const leaseMs = everyMs * 4;
      const able = options.able ?? (async () => true);
      let run: Promise<unknown> | null = null;
      /** Asked to run now while a run was under way: once more after it. */
      let again = false;
      const stopped = () => !timers.includes(timer);
      const start = (): void => {
        const started = able()
          .then(async (can) => can && (await cluster.hold(name, leaseMs)))
          .then((held) => (held ? work() : undefined))
          .catch((e: unknown) => log(`the ${name} job failed`, e))
          .finally(() => {
            run = null;
            running.delete(started);
            if (again && !stopped()) {
              again = false;
              start();
            }
          });
        run = started;
        running.add(started);
      };
      const timer = setInterval(() => {
        if (run === null) start();
      }, everyMs);
      timer.unref();
      timers.push(timer);
      if (options.atStart === true) start();
      return () => {
        if (stopped()) return;
        if (run === null) start();
        else again = true;
      };
    },
    /** No new runs; resolves once the runs under way ended. */
    async stop(): Promise<void> {
      for (const timer of timers.splice(0)) clearInterval(timer);
      await Promise.all(running);
    },
  };
}
