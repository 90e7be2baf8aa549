import { HttpError } from './errors.ts';

/**
 * Fixed one-minute windows per key. In memory, like the rest of one instance's state; with
 * several instances this moves to Redis together with fan-out.
 */
export function rateLimiter(perMinute: number, what: string) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  return (key: string): void => {
    const now = Date.now();
    if (windows.size > 10_000) for (const [k, w] of windows) if (w.resetAt <= now) windows.delete(k);
    const w = windows.get(key);
    if (w === undefined || w.resetAt <= now) {
      windows.set(key, { count: 1, resetAt: now + 60_000 });
      return;
    }
    w.count += 1;
    if (w.count > perMinute) throw new HttpError('rate_limited', `too many ${what}; try again in a minute`);
  };
}
