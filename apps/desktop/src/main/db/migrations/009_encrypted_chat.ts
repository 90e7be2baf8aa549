import type { Migration } from './types.ts';

/**
 * Chat of end-to-end encrypted meetings (issue 15, docs/e2ee.md). It never reaches the server, so
 * this cache is the only place it is kept: one row per message as this device decrypted or sent
 * it, keyed by the meeting, its author (LiveKit identity) and the author's message id.
 */
export const migration009: Migration = {
  version: 9,
  name: 'encrypted meetings: their chat, kept only here',
  up(db) {
    db.exec(`
      CREATE TABLE encrypted_chat (
        meeting_id TEXT NOT NULL,
        author_id TEXT NOT NULL,
        id TEXT NOT NULL,
        author_name TEXT NOT NULL,
        text TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        kept_at TEXT NOT NULL,
        PRIMARY KEY (meeting_id, author_id, id)
      ) STRICT;
    `);
  },
};
