import type { E2eeParticipantDevice } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { keyPlan } from './keyPlan.ts';

const device = (userId: string, generation: number): E2eeParticipantDevice => ({
  userId,
  deviceId: `d-${userId}`,
  publicKey: 'QUFB',
  generation,
});
const ids = (plan: ReturnType<typeof keyPlan>) => ('recipients' in plan ? plan.recipients.map((d) => d.userId) : []);

describe('who makes or shares the meeting key', () => {
  it('the first key of a call: the lowest identity present makes generation 1 for everyone present', () => {
    const facts = {
      present: new Set(['b', 'a']),
      generation: 0,
      devices: [device('a', 0), device('b', 0), device('c', 0)],
    };
    const plan = keyPlan({ ...facts, self: 'a' });
    expect(plan).toMatchObject({ kind: 'create', generation: 1 });
    expect(ids(plan)).toEqual(['a', 'b']);
    expect(keyPlan({ ...facts, self: 'b' })).toEqual({ kind: 'wait' });
  });

  it('someone joins: the lowest holder shares the newest generation with them only, nobody makes a new one', () => {
    const facts = {
      present: new Set(['a', 'b', 'c']),
      generation: 2,
      devices: [device('a', 1), device('b', 2), device('c', 2)],
    };
    const plan = keyPlan({ ...facts, self: 'b' });
    expect(plan).toMatchObject({ kind: 'share', generation: 2 });
    expect(ids(plan)).toEqual(['a']);
    // `a` is lowest but does not hold the key: it waits for it.
    expect(keyPlan({ ...facts, self: 'a' })).toEqual({ kind: 'wait' });
    expect(keyPlan({ ...facts, self: 'c' })).toEqual({ kind: 'wait' });
  });

  it('a holder leaves: the lowest remaining holder makes the next generation for those still present', () => {
    const facts = {
      present: new Set(['b', 'c']),
      generation: 2,
      devices: [device('a', 2), device('b', 2), device('c', 2)],
    };
    const plan = keyPlan({ ...facts, self: 'b' });
    expect(plan).toMatchObject({ kind: 'create', generation: 3 });
    expect(ids(plan)).toEqual(['b', 'c']);
    expect(keyPlan({ ...facts, self: 'c' })).toEqual({ kind: 'wait' });
  });

  it('after the new generation nothing more happens, and a leaver with an older key changes nothing', () => {
    const facts = {
      present: new Set(['b', 'c']),
      generation: 3,
      devices: [device('a', 2), device('b', 3), device('c', 3)],
    };
    expect(keyPlan({ ...facts, self: 'b' })).toEqual({ kind: 'wait' });
    expect(keyPlan({ ...facts, self: 'c' })).toEqual({ kind: 'wait' });
  });

  it('nobody present holds the newest key (an earlier call of the meeting): a new generation', () => {
    const plan = keyPlan({
      self: 'c',
      present: new Set(['c', 'd']),
      generation: 5,
      devices: [device('c', 4), device('d', 0)],
    });
    expect(plan).toMatchObject({ kind: 'create', generation: 6 });
    expect(ids(plan)).toEqual(['c', 'd']);
  });

  it('someone in the call without an announced device is neither an actor nor a recipient', () => {
    const plan = keyPlan({ self: 'b', present: new Set(['a', 'b']), generation: 0, devices: [device('b', 0)] });
    expect(plan).toMatchObject({ kind: 'create', generation: 1 });
    expect(ids(plan)).toEqual(['b']);
  });
});
