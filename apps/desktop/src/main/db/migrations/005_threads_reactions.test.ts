import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { assertUsesIndex } from '../queryPlan.ts';
import { useTempFolder } from '../testing.ts';
import { migration005 } from './005_threads_reactions.ts';

const tempDir = useTempFolder();

/** A database as version 4 left it: one synced message, searchable. */
function atVersion4(): Database.Database {
  const db = new Database(path.join(tempDir(), `m005-${Math.random()}.db`));
  expect(migrate(db, migration005.version - 1)).toBe(4);
  db.prepare(
    "INSERT INTO conversations (id, kind, name, synced_seq) VALUES ('general', 'channel', 'General', 1)",
  ).run();
  db.prepare(
    "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES ('m1', 'general', 1, 'u1', 'hello world', 't')",
  ).run();
  return db;
}

describe('migration 005', () => {
  it('keeps existing messages top-level and searchable, with no reactions', () => {
    const db = atVersion4();
    expect(migrate(db, 5)).toBe(5);
    // No thread, and no change since its own event (a NULL updated_seq reads as its seq).
    expect(db.prepare('SELECT client_id, thread_of, updated_seq FROM messages').all()).toEqual([
      { client_id: 'm1', thread_of: null, updated_seq: null },
    ]);
    expect(db.prepare('SELECT count(*) AS n FROM reactions').get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT rowid FROM messages_fts WHERE messages_fts MATCH 'hello'").all()).toHaveLength(1);
    db.close();
  });

  it('reads a thread by its root through the thread index, and holds one reaction per person and emoji', () => {
    const db = atVersion4();
    migrate(db, 5);
    db.prepare(
      "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at, thread_of) VALUES ('r1', 'general', 2, 'u2', 'a reply', 't', 'm1')",
    ).run();
    assertUsesIndex(
      db,
      'SELECT client_id FROM messages WHERE thread_of = ? ORDER BY seq',
      ['m1'],
      'messages_by_thread',
    );
    expect(db.prepare('SELECT client_id FROM messages WHERE thread_of = ?').all('m1')).toEqual([{ client_id: 'r1' }]);
    const react = db.prepare("INSERT INTO reactions (message_id, emoji, user_id, seq) VALUES ('m1', '👍', 'u2', ?)");
    react.run(3);
    expect(() => react.run(4)).toThrow(/UNIQUE|PRIMARY KEY/);
    db.close();
  });
});
