import type { Migration } from './types.ts';

/** Urgent messages (issue 16): marked by their author, they reach people through do not disturb. */
export const migration010: Migration = {
  version: 10,
  name: 'urgent messages',
  up(db) {
    db.exec('ALTER TABLE messages ADD COLUMN urgent INTEGER NOT NULL DEFAULT 0');
  },
};
