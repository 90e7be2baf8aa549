import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { reads } from '../queries.ts';
import { useTempFolder } from '../testing.ts';
import { migration010 } from './010_urgent_messages.ts';

const tempDir = useTempFolder();

describe('migration 010', () => {
  it('keeps the messages cached before it, none of them urgent', () => {
    const db = new Database(path.join(tempDir(), `m010-${Math.random()}.db`));
    expect(migrate(db, migration010.version - 1)).toBe(9);
    db.prepare("INSERT INTO conversations (id, kind, name, synced_seq) VALUES ('c', 'channel', 'C', 1)").run();
    db.prepare(
      "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES ('m1', 'c', 1, 'u1', 'hello', 't')",
    ).run();
    expect(migrate(db, 10)).toBe(10);
    expect(reads.messages(db, { conversationId: 'c', limit: 5 }).map((m) => [m.body, m.urgent])).toEqual([
      ['hello', false],
    ]);
    db.close();
  });
});
