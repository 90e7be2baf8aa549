import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from '../migrate.ts';
import { useTempFolder } from '../testing.ts';
import { migration001 } from './001_initial.ts';

const tempDir = useTempFolder();

/** A database as the version before this migration left it (0: a new file). */
function atVersion0(): Database.Database {
  const db = new Database(path.join(tempDir(), `m001-${Math.random()}.db`));
  expect(migrate(db, migration001.version - 1)).toBe(0);
  return db;
}

describe('migration 001', () => {
  it('brings a new file to version 1 with every cache table', () => {
    const db = atVersion0();
    expect(migrate(db, 1)).toBe(1);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").all() as { name: string }[];
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining([
        'kv',
        'users',
        'conversations',
        'messages',
        'messages_fts',
        'meetings',
        'decisions',
        'outbox',
      ]),
    );
    db.close();
  });

  it('keeps the full-text index in step with inserts, edits and deletes', () => {
    const db = atVersion0();
    migrate(db, 1);
    const insert = db.prepare(
      "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES (?, 'c', ?, 'u', ?, 't')",
    );
    insert.run('a', 1, 'quarterly budget review');
    insert.run('b', 2, 'lunch plans');
    const hits = (q: string) =>
      (db.prepare('SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?').all(q) as unknown[]).length;
    expect(hits('budget')).toBe(1);
    db.prepare("UPDATE messages SET body = 'forecast review' WHERE client_id = 'a'").run();
    expect(hits('budget')).toBe(0);
    expect(hits('forecast')).toBe(1);
    db.prepare("DELETE FROM messages WHERE client_id = 'b'").run();
    expect(hits('lunch')).toBe(0);
    db.close();
  });

  it('refuses a cache written by a newer app instead of guessing', () => {
    const db = atVersion0();
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer/);
    expect(schemaVersion(db)).toBe(99);
    db.close();
  });
});
