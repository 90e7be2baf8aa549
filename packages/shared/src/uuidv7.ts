/**
 * Time-ordered ids (UUIDv7, RFC 9562 §5.7) for everything a client names itself: a message's
 * `clientId` above all. The desktop cache keeps a unique index on it; random (v4) ids put each new
 * row on a random leaf of that index, so a page of 2,000 messages rewrote ≈ 1,700 index pages
 * (≈ 2.9 KiB of WAL per message, BENCHMARKS.md B4). Ids that grow with time append to its end.
 * Servers accept any UUID (older clients send v4): nothing may rely on an id being v7.
 *
 * Layout: 48 bits of Unix milliseconds, the version (7), 12 bits of counter (RFC 9562 §6.2,
 * method 1), the variant (0b10), 62 random bits. Within one millisecond the counter counts up
 * from a random start below 2,048, so ids of one process sort in the order they were made; when
 * it runs out, or the clock steps back, the timestamp goes on from the last one used instead.
 */

/** Web Crypto's one function used here; every process and page has it (Node ≥ 19, browsers). */
type RandomSource = (bytes: Uint8Array) => void;

export type Uuidv7Deps = {
  readonly now?: () => number;
  readonly random?: RandomSource;
};

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const COUNTER_MAX = 0xfff;
/** Random bytes drawn at once: one Web Crypto call per 256 ids, not per id (B4 makes a million). */
const POOL_BYTES = 16 * 256;

function webRandom(bytes: Uint8Array): void {
  (globalThis as unknown as { crypto: { getRandomValues(array: Uint8Array): Uint8Array } }).crypto.getRandomValues(
    bytes,
  );
}

/** A generator of its own (its own last millisecond and counter); tests pass a clock and randomness. */
export function createUuidv7(deps: Uuidv7Deps = {}): () => string {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? webRandom;
  const pool = new Uint8Array(POOL_BYTES);
  let used = POOL_BYTES;
  let lastMs = -Infinity;
  let counter = 0;
  return () => {
    if (used === POOL_BYTES) {
      random(pool);
      used = 0;
    }
    const b = pool.subarray(used, used + 16);
    used += 16;
    const ms = now();
    if (ms > lastMs) {
      lastMs = ms;
      // Below 2,048, so at least 2,048 more fit in the same millisecond.
      counter = (((b[6] ?? 0) & 0x07) << 8) | (b[7] ?? 0);
    } else if (counter < COUNTER_MAX) {
      counter += 1;
    } else {
      lastMs += 1;
      counter = 0;
    }
    let t = lastMs;
    for (let i = 5; i >= 0; i -= 1) {
      b[i] = t % 256;
      t = Math.floor(t / 256);
    }
    b[6] = 0x70 | (counter >> 8);
    b[7] = counter & 0xff;
    b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
    let id = '';
    for (let i = 0; i < 16; i += 1) {
      id += HEX[b[i] ?? 0] ?? '';
      if (i === 3 || i === 5 || i === 7 || i === 9) id += '-';
    }
    return id;
  };
}

/** The process's generator. */
export const uuidv7: () => string = createUuidv7();
