import { describe, expect, it } from 'vitest';
import { ClientIdSchema } from './api/common.ts';
import { createUuidv7, uuidv7 } from './uuidv7.ts';

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit millisecond timestamp at the front of an id. */
const msOf = (id: string) => parseInt(id.replaceAll('-', '').slice(0, 12), 16);
/** The 12-bit counter after the version nibble. */
const counterOf = (id: string) => parseInt(id.slice(15, 18), 16);

describe('uuidv7', () => {
  it('carries version 7, the RFC 9562 variant and the time it was made', () => {
    const before = Date.now();
    const id = uuidv7();
    expect(id).toMatch(SHAPE);
    expect(msOf(id)).toBeGreaterThanOrEqual(before);
    expect(msOf(id)).toBeLessThanOrEqual(Date.now());
    // What servers check a client id against.
    expect(ClientIdSchema.safeParse(id).success).toBe(true);
  });

  it('sets the version and variant whatever the random bytes are', () => {
    for (const fill of [0x00, 0xff]) {
      const id = createUuidv7({ now: () => 1_700_000_000_000, random: (bytes) => bytes.fill(fill) })();
      expect(id).toMatch(SHAPE);
      expect(msOf(id)).toBe(1_700_000_000_000);
    }
  });

  it('counts up within one millisecond, so ids sort in the order they were made', () => {
    const next = createUuidv7({ now: () => 1_700_000_000_000 });
    const ids = Array.from({ length: 5000 }, next);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(SHAPE);
    // 5,000 exceed one millisecond's counter: the timestamp went on by one, never back.
    expect(msOf(ids.at(-1) ?? '')).toBe(1_700_000_000_001);
  });

  it('starts each millisecond below half the counter, so a burst has room', () => {
    let ms = 1_700_000_000_000;
    const next = createUuidv7({ now: () => (ms += 1), random: (bytes) => bytes.fill(0xff) });
    expect(counterOf(next())).toBe(0x7ff);
  });

  it('never goes back when the clock does', () => {
    const clock = [1_700_000_000_005, 1_700_000_000_001, 1_700_000_000_009];
    const next = createUuidv7({ now: () => clock.shift() ?? 0 });
    const ids = [next(), next(), next()];
    expect([...ids].sort()).toEqual(ids);
    expect(ids.map(msOf)).toEqual([1_700_000_000_005, 1_700_000_000_005, 1_700_000_000_009]);
  });

  it('sorts across milliseconds as the clock does', () => {
    let ms = 1_700_000_000_000;
    const next = createUuidv7({ now: () => (ms += 7) });
    const ids = Array.from({ length: 1000 }, next);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });
});
