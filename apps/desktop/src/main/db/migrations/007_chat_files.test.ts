import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { useTempFolder } from '../testing.ts';
import { migration007 } from './007_chat_files.ts';

const tempDir = useTempFolder();

describe('migration 007', () => {
  it('keeps existing messages without files and adds the preview store', () => {
    const db = new Database(path.join(tempDir(), `m007-${Math.random()}.db`));
    expect(migrate(db, migration007.version - 1)).toBe(6);
    db.prepare("INSERT INTO conversations (id, kind, name, synced_seq) VALUES ('c', 'channel', 'C', 1)").run();
    db.prepare(
      "INSERT INTO messages (client_id, conversation_id, seq, author_id, body, sent_at) VALUES ('m1', 'c', 1, 'u1', 'hello', 't')",
    ).run();
    expect(migrate(db, 7)).toBe(7);
    expect(db.prepare('SELECT client_id, files FROM messages').all()).toEqual([{ client_id: 'm1', files: null }]);
    db.prepare(
      "INSERT INTO file_previews (file_id, content_type, data, stored_at) VALUES ('f', 'image/png', ?, 't')",
    ).run(Buffer.from([1, 2, 3]));
    expect(db.prepare('SELECT data FROM file_previews').get()).toEqual({ data: Buffer.from([1, 2, 3]) });
    db.close();
  });
});
