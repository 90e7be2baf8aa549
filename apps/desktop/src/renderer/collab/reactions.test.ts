import { REACTION_RATE } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './reactions.ts';

describe('reaction rate limit', () => {
  it('lets a burst through, then one a second, per sender', () => {
    let now = 0;
    const allow = createRateLimiter(() => now);
    const burst = Array.from({ length: REACTION_RATE.capacity + 2 }, () => allow('ada'));
    expect(burst.filter(Boolean)).toHaveLength(REACTION_RATE.capacity);
    expect(allow('grace')).toBe(true);
    now += 1000 / REACTION_RATE.perSecond;
    expect(allow('ada')).toBe(true);
    expect(allow('ada')).toBe(false);
  });
});
