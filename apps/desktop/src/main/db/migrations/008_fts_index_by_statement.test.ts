import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { useTempFolder } from '../testing.ts';
import { migration008 } from './008_fts_index_by_statement.ts';

const tempDir = useTempFolder();

function triggers(db: Database.Database): string[] {
  const rows = db.prepare(
    "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages' ORDER BY name",
  );
  return (rows.all() as { name: string }[]).map((row) => row.name);
}

describe('migration 008', () => {
  it('drops the per-row insert trigger, keeps the update and delete ones and what was indexed', () => {
    const db = new Database(path.join(tempDir(), `m008-${Math.random()}.db`));
    migrate(db, migration008.version - 1);
    db.prepare(
      "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES ('a', 'c', 1, 'u', 'indexed before', 't')",
    ).run();
    expect(triggers(db)).toEqual(['messages_fts_delete', 'messages_fts_insert', 'messages_fts_update']);

    expect(migrate(db, 8)).toBe(8);
    expect(triggers(db)).toEqual(['messages_fts_delete', 'messages_fts_update']);
    const found = db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'indexed'").all();
    expect(found).toHaveLength(1);
    db.close();
  });
});
