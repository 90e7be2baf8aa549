/** One item's outcome in a group: what its caller is answered, or the error it is refused with. */
export type Settled<O> = { readonly ok: true; readonly value: O } | { readonly ok: false; readonly error: unknown };

/**
 * Group commit: items asked for in the same turn of the event loop (requests that arrived
 * together) are handed to `commit` as one group, so they share one transaction; items asked for
 * while a group commits wait for it and form the next. Each caller hears its own item's outcome.
 * `commit` answers one outcome per item, in order; if it fails as a whole, every item of the
 * group fails with its error.
 */
export function groupCommit<I, O>(
  commit: (items: readonly I[]) => Promise<readonly Settled<O>[]>,
  maxGroup: number,
): (item: I) => Promise<O> {
  type Waiting = { readonly item: I; resolve(value: O): void; reject(error: unknown): void };
  const waiting: Waiting[] = [];
  let running = false;

  async function run(): Promise<void> {
    while (waiting.length > 0) {
      const group = waiting.splice(0, maxGroup);
      try {
        const outcomes = await commit(group.map((w) => w.item));
        group.forEach((w, i) => {
          const outcome = outcomes[i];
          if (outcome === undefined) w.reject(new Error('a group commit answered fewer outcomes than items'));
          else if (outcome.ok) w.resolve(outcome.value);
          else w.reject(outcome.error);
        });
      } catch (error) {
        for (const w of group) w.reject(error);
      }
    }
    running = false;
  }

  return (item) =>
    new Promise<O>((resolve, reject) => {
      waiting.push({ item, resolve, reject });
      if (running) return;
      running = true;
      // After this turn's other requests (their I/O callbacks) had their chance to join.
      setImmediate(() => void run());
    });
}
