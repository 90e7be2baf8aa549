import type { Migration } from './types.ts';

/**
 * The people directory kept whole (issue 17): each person's record as the server last listed it
 * (JSON of its `User`), beside the name, so the people pickers and Settings → People read the
 * directory here and ask the server only who changed since (`people:list`), instead of the whole
 * organisation at every look. The directory's cursor is forgotten, so the next read is a full one
 * that fills the records of the people cached before.
 */
export const migration012: Migration = {
  version: 12,
  name: 'people directory records',
  up(db) {
    db.exec(`
      ALTER TABLE users ADD COLUMN record TEXT;
      DELETE FROM kv WHERE key = 'directory.cursor';
    `);
  },
};
