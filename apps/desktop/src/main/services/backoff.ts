export type Backoff = { readonly initialMs: number; readonly maxMs: number };

export const DEFAULT_BACKOFF: Backoff = { initialMs: 500, maxMs: 30_000 };

/**
 * Exponential delay for the attempt-th retry (0-based), with ±20 % jitter so a thousand clients
 * that lost the server together do not come back in the same millisecond.
 */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const base = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + 0.4 * random()));
}
