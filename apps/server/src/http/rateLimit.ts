import type { Cluster } from '../cluster/cluster.ts';
import { HttpError } from './errors.ts';

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per key, counted where every instance counts (Redis with several,
 * this process's memory alone), so a limit holds however requests are spread over instances.
 * `what` names the limit in the error and keeps its keys apart from other limits'.
 */
export function rateLimiter(cluster: Cluster, perMinute: number, what: string) {
  return async (key: string): Promise<void> => {
    if ((await cluster.hit(`${what}:${key}`, WINDOW_MS)) > perMinute)
      throw new HttpError('rate_limited', `too many ${what}; try again in a minute`);
  };
}

/**
 * Attempts that make or test a credential from one address (sign-ins, guests' knocks, sign-on
 * steps, registrations), counted together wherever they arrive (HTTP or a socket's first message):
 * many accounts tried from one address are capped more loosely than one account's guesses.
 */
export const signInsPerAddress = (cluster: Cluster, signInPerMinute: number) =>
  rateLimiter(cluster, signInPerMinute * 10, 'sign-in attempts');
