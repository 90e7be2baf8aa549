import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  const backoff = { initialMs: 500, maxMs: 30_000 };

  it('doubles from the first delay up to the ceiling', () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3].map((n) => backoffDelay(n, backoff, middle))).toEqual([500, 1000, 2000, 4000]);
    expect(backoffDelay(40, backoff, middle)).toBe(30_000);
  });

  it('spreads clients by ±20 % so they do not return at the same instant', () => {
    expect(backoffDelay(2, backoff, () => 0)).toBe(1600);
    expect(backoffDelay(2, backoff, () => 1)).toBe(2400);
  });
});
