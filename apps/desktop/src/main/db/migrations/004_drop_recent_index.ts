import type { Migration } from './types.ts';

/**
 * The recent-conversations list is gone (chat:conversations lost its recent scope), so nothing
 * orders conversations by `last_opened_at` any more; its index only cost every write.
 */
export const migration004: Migration = {
  version: 4,
  name: 'drop the index of a recent-conversations query that no longer exists',
  up(db) {
    db.exec('DROP INDEX IF EXISTS conversations_recent;');
  },
};
