import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freshPostgresDatabase } from '../testDatabases.ts';
import { openDatabase, type PostgresOptions } from './db.ts';
import { statementNamer } from './namedStatements.ts';

describe('statementNamer', () => {
  it('names a text once it was sent often enough, and keeps that name', () => {
    const nameOf = statementNamer({ usesBeforeNaming: 3, maxNamed: 10 });
    expect([nameOf('a'), nameOf('a')]).toEqual([undefined, undefined]);
    expect(nameOf('a')).toBe('tandem_1');
    expect(nameOf('a')).toBe('tandem_1');
    expect([nameOf('b'), nameOf('b'), nameOf('b')]).toEqual([undefined, undefined, 'tandem_2']);
  });

  it('names no more than its limit: later texts stay unnamed however often they are sent', () => {
    const nameOf = statementNamer({ usesBeforeNaming: 1, maxNamed: 2 });
    expect([nameOf('a'), nameOf('b'), nameOf('c'), nameOf('c')]).toEqual([
      'tandem_1',
      'tandem_2',
      undefined,
      undefined,
    ]);
    expect(nameOf('a')).toBe('tandem_1');
  });
});

const postgres = inject('postgres');
const drops: (() => Promise<void>)[] = [];
const opened: Kysely<unknown>[] = [];
afterAll(async () => {
  for (const db of opened) await db.destroy();
  for (const drop of drops) await drop();
});

/** A fresh migrated PostgreSQL database opened with one connection, so every statement shares it. */
async function open(options: PostgresOptions = {}): Promise<{ db: Kysely<unknown>; url: string }> {
  if (postgres === null) throw new Error('no PostgreSQL in this run');
  const database = await freshPostgresDatabase(postgres);
  drops.push(database.drop);
  const db = (await openDatabase(database.url, { poolSize: 1, ...options })) as unknown as Kysely<unknown>;
  opened.push(db);
  return { db, url: database.url };
}

const prepared = async (db: Kysely<unknown>) =>
  (await sql<{ name: string; statement: string }>`select name, statement from pg_prepared_statements`.execute(db)).rows;

describe('named statements on PostgreSQL', () => {
  it('keeps a statement prepared from its fifth use on, with each use answering its own values', async () => {
    const { db } = await open();
    const double = (n: number) => sql<{ twice: number }>`select ${n}::int * 2 as twice`.execute(db);
    for (const n of [1, 2, 3, 4]) expect((await double(n)).rows).toEqual([{ twice: 2 * n }]);
    expect(await prepared(db)).toEqual([]);
    for (const n of [5, 6, 7]) expect((await double(n)).rows).toEqual([{ twice: 2 * n }]);
    expect(await prepared(db)).toEqual([{ name: 'tandem_1', statement: 'select $1::int * 2 as twice' }]);
  });

  it('prepares nothing when turned off (DATABASE_NAMED_STATEMENTS=off)', async () => {
    const { db } = await open({ namedStatements: false });
    for (const n of [1, 2, 3, 4, 5, 6]) await sql`select ${n}::int as n`.execute(db);
    expect(await prepared(db)).toEqual([]);
  });

  it('a statement made stale by another instance changing its table fails once, then is prepared afresh', async () => {
    const { db, url } = await open();
    await sql`create table notes_t (id int primary key, body text)`.execute(db);
    await sql`insert into notes_t values (1, 'hello')`.execute(db);
    const read = () => sql`select * from notes_t where id = ${1}`.execute(db);
    for (let i = 0; i < 5; i += 1) expect((await read()).rows).toEqual([{ id: 1, body: 'hello' }]);
    // Another instance's migration adds a column: the named SELECT * no longer has its rows' shape.
    const other = await openDatabase(url, { poolSize: 1 });
    await sql`alter table notes_t add column urgent int not null default 0`.execute(other);
    await other.destroy();
    await expect(read()).rejects.toMatchObject({ code: '0A000' });
    expect((await read()).rows).toEqual([{ id: 1, body: 'hello', urgent: 0 }]);
  });
});
