import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { useTempFolder } from '../testing.ts';
import { migration003 } from './003_read_positions.ts';

const tempDir = useTempFolder();

/** A database as the version before this migration left it: one synced conversation, one never synced. */
function atVersion2(): Database.Database {
  const db = new Database(path.join(tempDir(), `m003-${Math.random()}.db`));
  expect(migrate(db, migration003.version - 1)).toBe(2);
  db.prepare(
    "INSERT INTO conversations (id, kind, name, synced_seq, last_opened_at) VALUES ('general', 'channel', 'General', 7, 't')",
  ).run();
  db.prepare("INSERT INTO conversations (id, kind, name) VALUES ('new', 'channel', 'New')").run();
  return db;
}

describe('migration 003', () => {
  it('counts what the cache already held as read, and leaves the creation time to the next list', () => {
    const db = atVersion2();
    expect(migrate(db, 3)).toBe(3);
    expect(db.prepare('SELECT id, synced_seq, read_seq, created_at FROM conversations ORDER BY id').all()).toEqual([
      { id: 'general', synced_seq: 7, read_seq: 7, created_at: null },
      { id: 'new', synced_seq: 0, read_seq: 0, created_at: null },
    ]);
    db.close();
  });

  it('gives a conversation inserted afterwards read position 0', () => {
    const db = atVersion2();
    migrate(db, 3);
    db.prepare("INSERT INTO conversations (id, kind, name, synced_seq) VALUES ('later', 'meeting', '', 3)").run();
    expect(db.prepare("SELECT read_seq FROM conversations WHERE id = 'later'").get()).toEqual({ read_seq: 0 });
    db.close();
  });
});
