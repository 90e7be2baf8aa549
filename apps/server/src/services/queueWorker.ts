import type { Log } from './realtime.ts';

/** No wait between attempts is longer than this, whatever the doubling says. */
const MAX_RETRY_WAIT_MS = 6 * 60 * 60 * 1000;

/** Exponential with "equal jitter": half the doubled wait, plus up to as much again at random. */
export function retryDelayMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  const doubled = Math.min(MAX_RETRY_WAIT_MS, baseMs * 2 ** (attempt - 1));
  return Math.round(doubled / 2 + (random() * doubled) / 2);
}

/**
 * A persisted queue that instances share: `claimDue` takes what is due off it for a while (a claim
 * not settled by then makes the item due again: its instance stopped or died mid-way), and
 * `nextDueAt` says when anything waiting is due next (null when nothing waits).
 */
export type ClaimingQueue<T> = {
  claimDue(now: string, limit: number, claimUntil: string): Promise<readonly T[]>;
  nextDueAt(): Promise<string | null>;
};

/**
 * The in-process worker over such a queue: each round handles what is due, `batch` at a time and
 * each batch's items at once, then sleeps until the next one is due. `handle` settles each item
 * (done, or due again later) in the queue itself; what it throws is logged, and the item comes
 * back when its claim runs out. One round at a time; a poke during one asks for another after it.
 */
export function queueWorker<T>(
  name: string,
  queue: ClaimingQueue<T>,
  options: { readonly batch: number; readonly claimMs: number },
  handle: (item: T) => Promise<void>,
  log: Log,
) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;

  /** Handles everything due, then sleeps until the next item is due. */
  async function round(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const due = await queue.claimDue(
        new Date(now).toISOString(),
        options.batch,
        new Date(now + options.claimMs).toISOString(),
      );
      if (due.length === 0) break;
      await Promise.all(due.map((item) => handle(item).catch((e: unknown) => log(`${name}: an item not settled`, e))));
      if (stopped) return;
    }
    const next = await queue.nextDueAt();
    if (next === null || stopped) return;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(poke, Math.max(0, Date.parse(next) - Date.now()));
    timer.unref();
  }

  /** Something may be due now (a new item, a timer): one round at a time, another after it if asked. */
  function poke(): void {
    if (stopped) return;
    if (running !== null) {
      again = true;
      return;
    }
    running = round()
      .catch((e: unknown) => log(`${name}: a round failed`, e))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          poke();
        }
      });
  }

  return {
    poke,
    start(): void {
      stopped = false;
      poke();
    },
    /** Stops planning rounds and waits for the one under way (its items are settled). */
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}

export type QueueWorker = ReturnType<typeof queueWorker>;
