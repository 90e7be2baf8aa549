import type { Migration } from './types.ts';

/**
 * Direct chats, groups and private channels (issue 16). On `conversations`: `private` (members
 * only), `archived_at` (read-only, listed apart), `role` (the user's own in it: owner, member, or
 * NULL) and `left_channel` (a public channel the user left: not followed, listed apart).
 * `conversation_members`: a private conversation's members in the server's order (`position`),
 * each with the read position last heard from the server (`read_seq`: "Seen by" in direct chats
 * and small groups; NULL where the server does not show it). A conversation the user is removed
 * from leaves the cache with its messages, so search no longer finds them.
 */
export const migration006: Migration = {
  version: 6,
  name: 'private conversations: members, read positions, archived and left',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN private INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversations ADD COLUMN archived_at TEXT;
      ALTER TABLE conversations ADD COLUMN role TEXT;
      ALTER TABLE conversations ADD COLUMN left_channel INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE conversation_members (
        conversation_id TEXT NOT NULL,
        user_id TEXT NOT NULL,
        position INTEGER NOT NULL,
        read_seq INTEGER,
        PRIMARY KEY (conversation_id, user_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
