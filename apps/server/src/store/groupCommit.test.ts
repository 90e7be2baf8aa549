import { describe, expect, it } from 'vitest';
import { groupCommit, type Settled } from './groupCommit.ts';

/** A commit that records its groups and answers each item doubled, refusing negative ones. */
function recording(hold: () => Promise<void> = async () => {}) {
  const groups: number[][] = [];
  const commit = async (items: readonly number[]): Promise<Settled<number>[]> => {
    groups.push([...items]);
    await hold();
    return items.map((n) => (n < 0 ? { ok: false, error: new Error(`refused ${n}`) } : { ok: true, value: n * 2 }));
  };
  return { groups, commit };
}

describe('group commit', () => {
  it('commits what is asked for in one turn as one group, each caller hearing its own outcome', async () => {
    const { groups, commit } = recording();
    const append = groupCommit(commit, 64);
    const outcomes = await Promise.allSettled([append(1), append(-2), append(3)]);
    expect(groups).toEqual([[1, -2, 3]]);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 2 },
      { status: 'rejected', reason: new Error('refused -2') },
      { status: 'fulfilled', value: 6 },
    ]);
  });

  it('gathers what arrives while a group commits into the next group, and splits groups at the maximum', async () => {
    let release = (): void => {};
    const { groups, commit } = recording(() => new Promise<void>((r) => (release = r)));
    const append = groupCommit(commit, 2);
    const first = append(1);
    await new Promise((r) => setImmediate(r));
    // The first group is committing: these wait, and form groups of at most two.
    const later = [append(2), append(3), append(4)];
    release();
    await first;
    for (let i = 0; i < 2; i += 1) {
      await new Promise((r) => setImmediate(r));
      release();
    }
    expect(await Promise.all(later)).toEqual([4, 6, 8]);
    expect(groups).toEqual([[1], [2, 3], [4]]);
  });

  it('fails every item of a group whose commit fails as a whole, and goes on with the next group', async () => {
    let fail = true;
    const append = groupCommit(async (items: readonly number[]): Promise<Settled<number>[]> => {
      if (fail) {
        fail = false;
        throw new Error('database gone');
      }
      return items.map((n) => ({ ok: true, value: n }));
    }, 64);
    const outcomes = await Promise.allSettled([append(1), append(2)]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    expect(await append(3)).toBe(3);
  });
});
