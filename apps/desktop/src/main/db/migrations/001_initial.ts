import type { Migration } from './types.ts';

/**
 * The first cache schema. Server records without local state (meetings) are kept whole as JSON
 * and re-validated on read; what the app queries or changes locally has columns.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial cache: conversations, messages with FTS5, meetings, decisions, outbox',
  up(db) {
    db.exec(`
      CREATE TABLE kv (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;

      CREATE TABLE users (id TEXT PRIMARY KEY, name TEXT NOT NULL) STRICT;

      CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        name TEXT NOT NULL,
        meeting_id TEXT,
        -- The sync position: every event up to it is folded into messages.
        synced_seq INTEGER NOT NULL DEFAULT 0,
        last_opened_at TEXT
      ) STRICT;
      CREATE INDEX conversations_recent ON conversations (last_opened_at) WHERE last_opened_at IS NOT NULL;

      -- One row per message, with edits and deletes folded in. local_id is an explicit rowid so the
      -- FTS index (which points at rowids) stays valid across VACUUM.
      CREATE TABLE messages (
        local_id INTEGER PRIMARY KEY,
        client_id TEXT NOT NULL UNIQUE,
        conversation_id TEXT NOT NULL,
        -- NULL while the message waits in the outbox.
        seq INTEGER,
        author_id TEXT NOT NULL,
        body TEXT NOT NULL,
        sent_at TEXT NOT NULL,
        edited_at TEXT,
        deleted INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE UNIQUE INDEX messages_by_seq ON messages (conversation_id, seq);

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        body, content = 'messages', content_rowid = 'local_id', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, body) VALUES (new.local_id, new.body);
      END;
      CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.local_id, old.body);
      END;
      CREATE TRIGGER messages_fts_update AFTER UPDATE OF body ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, body) VALUES ('delete', old.local_id, old.body);
        INSERT INTO messages_fts (rowid, body) VALUES (new.local_id, new.body);
      END;

      CREATE TABLE meetings (
        id TEXT PRIMARY KEY,
        starts_at TEXT,
        personal INTEGER NOT NULL,
        record TEXT NOT NULL
      ) STRICT;
      CREATE INDEX meetings_by_start ON meetings (personal, starts_at);

      CREATE TABLE decisions (
        client_id TEXT PRIMARY KEY,
        -- The server's id; NULL until the creation leaves the outbox.
        id TEXT UNIQUE,
        meeting_id TEXT,
        updated_at TEXT NOT NULL,
        -- Count of outbox entries about this decision still unsent.
        pending INTEGER NOT NULL DEFAULT 0,
        record TEXT NOT NULL
      ) STRICT;
      CREATE INDEX decisions_by_meeting ON decisions (meeting_id, updated_at);

      -- Writes made locally, sent in seq order, each carrying its idempotency id (client_id), so a
      -- resend after a crash or a lost answer is recognised by the server and stored once.
      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        client_id TEXT NOT NULL UNIQUE,
        payload TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        created_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
