import { describe, expect, it } from 'vitest';
import {
  AssignBreakoutsRequestSchema,
  REACTION_RATE,
  ReactionMessageSchema,
  VotePollRequestSchema,
  autoAssign,
  takeToken,
  type Bucket,
} from './index.ts';

const people = Array.from({ length: 11 }, (_, i) => `user-${String(i).padStart(2, '0')}`);
const rooms = ['room-a', 'room-b', 'room-c'];

describe('autoAssign', () => {
  it('spreads people so room sizes differ by at most one, everyone once', () => {
    const assigned = autoAssign(people, rooms, 'seed');
    expect(assigned.map((a) => a.userId).sort()).toEqual(people);
    const sizes = rooms.map((r) => assigned.filter((a) => a.roomId === r).length);
    expect(sizes.sort()).toEqual([3, 4, 4]);
  });

  it('gives the same rooms for the same seed whatever the input order, other rooms for another seed', () => {
    const byUser = (seed: string, input: readonly string[]) =>
      Object.fromEntries(autoAssign(input, rooms, seed).map((a) => [a.userId, a.roomId]));
    const once = byUser('workshop', people);
    expect(byUser('workshop', [...people].reverse())).toEqual(once);
    expect(byUser('another seed', people)).not.toEqual(once);
  });

  it('assigns a repeated person once and nobody when there are no rooms', () => {
    expect(autoAssign(['x', 'x', 'y'], rooms, 's')).toHaveLength(2);
    expect(autoAssign(people, [], 's')).toEqual([]);
  });
});

describe('takeToken', () => {
  it('lets a burst of `capacity` through, refuses the next, and refills with time', () => {
    let bucket: Bucket | undefined;
    const results: boolean[] = [];
    for (let i = 0; i < REACTION_RATE.capacity + 1; i++) {
      const r = takeToken(REACTION_RATE, bucket, 1_000);
      results.push(r.allowed);
      bucket = r.bucket;
    }
    expect(results).toEqual([true, true, true, true, true, false]);
    expect(takeToken(REACTION_RATE, bucket, 1_500).allowed).toBe(false);
    expect(takeToken(REACTION_RATE, bucket, 2_000).allowed).toBe(true);
  });

  it('refills nothing when the clock goes backwards and never above capacity', () => {
    const empty: Bucket = { tokens: 0, at: 10_000 };
    expect(takeToken(REACTION_RATE, empty, 5_000).allowed).toBe(false);
    expect(takeToken(REACTION_RATE, empty, 1_000_000).bucket.tokens).toBe(REACTION_RATE.capacity - 1);
  });
});

describe('collaboration schemas', () => {
  it('refuses repeated poll options and unknown reactions', () => {
    expect(VotePollRequestSchema.safeParse({ options: [1, 1] }).success).toBe(false);
    expect(VotePollRequestSchema.safeParse({ options: [0, 2] }).success).toBe(true);
    expect(ReactionMessageSchema.safeParse({ t: 'reaction', emoji: '👍' }).success).toBe(true);
    expect(ReactionMessageSchema.safeParse({ t: 'reaction', emoji: '<script>' }).success).toBe(false);
  });

  it('tells manual and automatic assignment apart', () => {
    expect(AssignBreakoutsRequestSchema.safeParse({ mode: 'auto', userIds: [], seed: 's' }).success).toBe(false);
    expect(AssignBreakoutsRequestSchema.safeParse({ mode: 'manual', userIds: ['x'] }).success).toBe(false);
  });
});
