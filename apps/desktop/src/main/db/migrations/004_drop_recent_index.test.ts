import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { useTempFolder } from '../testing.ts';
import { migration004 } from './004_drop_recent_index.ts';

const tempDir = useTempFolder();

function indexNames(db: Database.Database): string[] {
  const rows = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'conversations'").all();
  return (rows as { name: string }[]).map((row) => row.name);
}

describe('migration 004', () => {
  it('drops conversations_recent and keeps the conversations', () => {
    const db = new Database(path.join(tempDir(), `m004-${Math.random()}.db`));
    migrate(db, migration004.version - 1);
    db.prepare(
      "INSERT INTO conversations (id, kind, name, synced_seq, last_opened_at) VALUES ('general', 'channel', 'General', 7, 't')",
    ).run();
    expect(indexNames(db)).toContain('conversations_recent');

    expect(migrate(db, 4)).toBe(4);
    expect(indexNames(db)).not.toContain('conversations_recent');
    expect(db.prepare('SELECT id, last_opened_at FROM conversations').all()).toEqual([
      { id: 'general', last_opened_at: 't' },
    ]);
    db.close();
  });
});
