import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { useTempFolder } from '../testing.ts';
import { migration006 } from './006_private_conversations.ts';

const tempDir = useTempFolder();

/** A database as the version before this migration left it: one channel with a message. */
function atVersion5(): Database.Database {
  const db = new Database(path.join(tempDir(), `m006-${Math.random()}.db`));
  expect(migrate(db, migration006.version - 1)).toBe(5);
  db.prepare(
    "INSERT INTO conversations (id, kind, name, synced_seq, read_seq) VALUES ('general', 'channel', 'General', 1, 1)",
  ).run();
  db.prepare(
    "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES ('m1', 'general', 1, 'u', 'hello', 't')",
  ).run();
  return db;
}

describe('migration 006', () => {
  it('keeps every conversation as a public one the user follows, with its messages', () => {
    const db = atVersion5();
    expect(migrate(db, 6)).toBe(6);
    expect(
      db.prepare('SELECT id, private, archived_at, role, left_channel, synced_seq, read_seq FROM conversations').all(),
    ).toEqual([
      { id: 'general', private: 0, archived_at: null, role: null, left_channel: 0, synced_seq: 1, read_seq: 1 },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 1 });
    db.close();
  });

  it('keeps one row per member and conversation', () => {
    const db = atVersion5();
    migrate(db, 6);
    const insert = db.prepare(
      "INSERT INTO conversation_members (conversation_id, user_id, position, read_seq) VALUES ('dm', ?, ?, ?)",
    );
    insert.run('ada', 0, null);
    insert.run('grace', 1, 3);
    expect(() => insert.run('grace', 2, 4)).toThrow(/UNIQUE/);
    db.close();
  });
});
