import { REACTION_RATE, takeToken, type Bucket } from '@tandem/shared';

/**
 * Token buckets per sender: one for our own sends, one per remote participant on receipt, so a
 * participant who floods reactions (a misbehaving client) is cut off on everyone's screen.
 */
export function createRateLimiter(now: () => number = () => Date.now()) {
  const buckets = new Map<string, Bucket>();
  return (who: string): boolean => {
    const { allowed, bucket } = takeToken(REACTION_RATE, buckets.get(who), now());
    buckets.set(who, bucket);
    return allowed;
  };
}
