import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachingStatements } from './statementCache.ts';

function counted() {
  const sqlite = new SqliteDatabase(':memory:');
  let prepared = 0;
  const database = {
    close: () => sqlite.close(),
    prepare: (sql: string) => {
      prepared += 1;
      return sqlite.prepare(sql);
    },
  };
  return { sqlite, database, prepared: () => prepared };
}

describe('cachingStatements', () => {
  it('prepares a query text once and runs it again with new parameters', () => {
    const { sqlite, database, prepared } = counted();
    sqlite.exec('create table t (n integer)');
    const db = cachingStatements(database);
    for (const n of [1, 2, 3]) db.prepare('insert into t (n) values (?)').run([n]);
    expect(db.prepare('select n from t order by n').all([])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(prepared()).toBe(2);
    db.close();
  });

  it('hands out a fresh statement while the cached one is still being iterated', () => {
    const { sqlite, database, prepared } = counted();
    sqlite.exec('create table t (n integer); insert into t values (1), (2)');
    const db = cachingStatements(database);
    const first = db.prepare('select n from t').iterate([]);
    first.next();
    expect(db.prepare('select n from t').all([])).toHaveLength(2);
    expect(prepared()).toBe(2);
    first.return?.();
    db.close();
  });

  it('keeps at most its capacity, dropping the oldest text', () => {
    const { database, prepared } = counted();
    const db = cachingStatements(database, 2);
    for (const sql of ['select 1', 'select 2', 'select 3', 'select 3', 'select 1']) db.prepare(sql);
    expect(prepared()).toBe(4);
    db.close();
  });
});
