import type { Migration } from './types.ts';

/**
 * A message the server refused for good stays in the cache, marked with why, instead of being
 * dropped: the conversation shows it as not sent until its author retries or discards it.
 * Both columns are NULL for every other message; they are set together.
 */
export const migration002: Migration = {
  version: 2,
  name: 'messages remember a permanent send failure',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN failure_code TEXT;
      ALTER TABLE messages ADD COLUMN failure_message TEXT;
    `);
  },
};
