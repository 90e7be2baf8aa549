import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { useTempFolder } from '../testing.ts';
import { migration002 } from './002_send_failures.ts';

const tempDir = useTempFolder();

/** A database as the version before this migration left it, with a sent and a pending message. */
function atVersion1(): Database.Database {
  const db = new Database(path.join(tempDir(), `m002-${Math.random()}.db`));
  expect(migrate(db, migration002.version - 1)).toBe(1);
  const insert = db.prepare(
    "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES (?, 'c', ?, 'u', ?, 't')",
  );
  insert.run('sent', 1, 'already on the server');
  insert.run('pending', null, 'still in the outbox');
  return db;
}

describe('migration 002', () => {
  it('keeps every message, with no failure recorded, and can record one', () => {
    const db = atVersion1();
    expect(migrate(db, 2)).toBe(2);
    const rows = () =>
      db.prepare('SELECT client_id, body, failure_code, failure_message FROM messages ORDER BY local_id').all();
    expect(rows()).toEqual([
      { client_id: 'sent', body: 'already on the server', failure_code: null, failure_message: null },
      { client_id: 'pending', body: 'still in the outbox', failure_code: null, failure_message: null },
    ]);
    db.prepare(
      "UPDATE messages SET failure_code = 'forbidden', failure_message = 'no' WHERE client_id = 'pending'",
    ).run();
    expect(rows()).toContainEqual({
      client_id: 'pending',
      body: 'still in the outbox',
      failure_code: 'forbidden',
      failure_message: 'no',
    });
    // The full-text index still follows the body, not the new columns.
    const hits = db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'outbox'").all();
    expect(hits).toHaveLength(1);
    db.close();
  });
});
