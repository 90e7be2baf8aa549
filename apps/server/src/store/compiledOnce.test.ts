import { afterEach, describe, expect, it } from 'vitest';
import { compiledOnce } from './compiledOnce.ts';
import { openDatabase, type Db } from './db.ts';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

describe('compiledOnce', () => {
  it('compiles a query once and binds each call its own values, every use of a value and the constants in place', async () => {
    db = await openDatabase(':memory:');
    const open = db;
    await open
      .insertInto('organisations')
      .values([
        { id: 'o1', name: 'First', created_at: '2026-12-04T10:00:00.000Z' },
        { id: 'o2', name: 'Second', created_at: '2026-12-04T10:00:00.000Z' },
      ])
      .execute();
    let builds = 0;
    const named = compiledOnce((v: { id: string; name: string }) => {
      builds += 1;
      return open
        .selectFrom('organisations')
        .select('id')
        .where((eb) => eb.or([eb('id', '=', v.id), eb('name', '=', v.name), eb('id', '=', v.name)]))
        .where('latest_offset', '>=', 0)
        .orderBy('id')
        .limit(5);
    });
    const first = named({ id: 'o1', name: 'nobody' });
    const second = named({ id: 'nobody', name: 'o2' });
    expect(builds).toBe(1);
    expect(second.sql).toBe(first.sql);
    expect(first.parameters).toEqual(['o1', 'nobody', 'nobody', 0, 5]);
    expect(second.parameters).toEqual(['nobody', 'o2', 'o2', 0, 5]);
    expect((await open.executeQuery(first)).rows).toEqual([{ id: 'o1' }]);
    expect((await open.executeQuery(second)).rows).toEqual([{ id: 'o2' }]);
  });

  it('refuses a value the query does not use as a parameter (a branch on it, or a list, would change its SQL)', async () => {
    db = await openDatabase(':memory:');
    const open = db;
    const branching = compiledOnce((v: { id: string; all: boolean }) =>
      open.selectFrom('organisations').select('id').where('id', '=', v.id),
    );
    expect(() => branching({ id: 'o1', all: true })).toThrow('all is not a value of the query');
  });
});
