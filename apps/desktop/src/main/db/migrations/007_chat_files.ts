import type { Migration } from './types.ts';

/**
 * Files in chat (issue 16). `messages.files`: the files a message carries, JSON of `ChatFileRef[]`
 * as the server sent them (NULL without). `file_previews`: the bytes of images' previews fetched
 * once, so they show offline; a file's content never changes, so an entry is never stale.
 */
export const migration007: Migration = {
  version: 7,
  name: 'chat files: a message carries its files; image previews kept offline',
  up(db) {
    db.exec(`
      ALTER TABLE messages ADD COLUMN files TEXT;
      CREATE TABLE file_previews (
        file_id TEXT PRIMARY KEY,
        content_type TEXT NOT NULL,
        data BLOB NOT NULL,
        stored_at TEXT NOT NULL
      ) STRICT;
    `);
  },
};
