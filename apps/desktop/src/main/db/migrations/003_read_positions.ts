import type { Migration } from './types.ts';

/**
 * Unread counts. `read_seq` is the conversation's read position: messages by others with a seq
 * above it are unread; opening the conversation, or seeing its newest message, moves it up to
 * the sync position, never down. What a cache held before this version counts as read (its
 * user had no way to see a count). `created_at` (the server's) orders a channel without
 * messages among the others by activity; NULL until the conversation list is next fetched.
 */
export const migration003: Migration = {
  version: 3,
  name: 'conversations remember a read position and their creation time',
  up(db) {
    db.exec(`
      ALTER TABLE conversations ADD COLUMN read_seq INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE conversations ADD COLUMN created_at TEXT;
      UPDATE conversations SET read_seq = synced_seq;
    `);
  },
};
