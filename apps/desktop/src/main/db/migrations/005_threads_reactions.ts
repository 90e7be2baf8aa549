import type { Migration } from './types.ts';

/**
 * Threads and reactions, folded from the server's events like the rest of a message.
 * `messages.thread_of`: the root a reply belongs to (NULL for a top-level message); conversation
 * pages skip replies and a thread reads them by its root through `messages_by_thread`.
 * `reactions`: who gave which emoji to which message (one row each, so one per person and emoji),
 * with the seq of the event that gave it, which orders a message's emoji by their first use.
 * `messages.updated_seq`: the seq of the newest event that changed the message (an edit, a
 * reaction, a reply in its thread); NULL means its own seq. It orders two copies of one message.
 * Caches from before held no replies or reactions (the server had none), so nothing is backfilled.
 */
export const migration005: Migration = {
  version: 5,
  name: 'messages know their thread; reactions per message, emoji and person',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN thread_of TEXT;
      ALTER TABLE messages ADD COLUMN updated_seq INTEGER;
      CREATE INDEX messages_by_thread ON messages (thread_of, seq) WHERE thread_of IS NOT NULL;
      CREATE TABLE reactions (
        message_id TEXT NOT NULL,
        emoji TEXT NOT NULL,
        user_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        PRIMARY KEY (message_id, emoji, user_id)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};
