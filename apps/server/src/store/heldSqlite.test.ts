import path from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { heldSqlite, openDatabase, type Db } from './db.ts';
import { scratchDir } from './testMigrations.ts';

const dir = scratchDir('tandem-held-sqlite-');
const at = '2026-12-06T10:00:00.000Z';

let db: Db | undefined;
afterEach(async () => {
  await db?.destroy();
  db = undefined;
});

const names = CompiledQuery.raw('select name from organisations order by id');

describe('heldSqlite', () => {
  it('runs its work only while nothing else holds the connection: after a transaction under way, before queries asked meanwhile', async () => {
    db = await openDatabase(path.join(dir, 'held.db'));
    const open = db;
    const held = heldSqlite(open);
    if (held === undefined) throw new Error('a SQLite file has a held connection');
    const order: string[] = [];
    let release = (): void => {};
    const paused = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transaction = open.transaction().execute(async (tx) => {
      await tx.insertInto('organisations').values({ id: 'o1', name: 'First', created_at: at }).execute();
      await paused;
      await tx.insertInto('organisations').values({ id: 'o2', name: 'Second', created_at: at }).execute();
      order.push('transaction');
    });
    // Asked while the transaction waits: it must neither see its rows nor run its statements inside it.
    const seen = held.hold((execute) => {
      order.push('hold');
      return execute(names).rows;
    });
    const after = open
      .selectFrom('organisations')
      .select('name')
      .execute()
      .then((rows) => {
        order.push('query');
        return rows.length;
      });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(order).toEqual([]);
    release();
    await transaction;
    expect(await seen).toEqual([{ name: 'First' }, { name: 'Second' }]);
    expect(await after).toBe(2);
    expect(order).toEqual(['transaction', 'hold', 'query']);
  });

  it('answers statements as Kysely does (rows, or the rows changed) and lets the connection go when its work throws', async () => {
    db = await openDatabase(path.join(dir, 'answers.db'));
    const open = db;
    const held = heldSqlite(open);
    if (held === undefined) throw new Error('a SQLite file has a held connection');
    const inserted = await held.hold((execute) =>
      execute(open.insertInto('organisations').values({ id: 'o1', name: 'First', created_at: at }).compile()),
    );
    expect(inserted.rows).toEqual([]);
    expect(inserted.numAffectedRows).toBe(1n);
    const returned = await held.hold((execute) =>
      execute(
        open.updateTable('organisations').set({ name: 'Renamed' }).where('id', '=', 'o1').returning('name').compile(),
      ),
    );
    expect(returned.rows).toEqual([{ name: 'Renamed' }]);
    await expect(held.hold((execute) => execute(CompiledQuery.raw('select name from nowhere')))).rejects.toThrow(
      'no such table',
    );
    expect(await open.selectFrom('organisations').select('name').execute()).toEqual([{ name: 'Renamed' }]);
  });
});
