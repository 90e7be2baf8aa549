import type { Migration } from './types.ts';

/**
 * Meeting transcripts (issue 14), kept so they read and are found by search offline. A meeting's
 * segments are replaced whole each time the server's transcript is fetched (opening it, the
 * meeting ending), so rows are only ever inserted and deleted: triggers keep the search index in
 * step, as they did for messages before ingest volume made a batch statement worth it (008).
 * local_id is an explicit rowid so the index stays valid across VACUUM.
 */
export const migration011: Migration = {
  version: 11,
  name: 'meeting transcripts with FTS5',
  up(db) {
    db.exec(`
      CREATE TABLE transcripts (
        meeting_id TEXT PRIMARY KEY,
        meeting_title TEXT NOT NULL,
        kept_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE transcript_segments (
        local_id INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        meeting_id TEXT NOT NULL REFERENCES transcripts (meeting_id) ON DELETE CASCADE,
        speaker_id TEXT,
        speaker_name TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT NOT NULL,
        text TEXT NOT NULL
      ) STRICT;
      CREATE INDEX transcript_segments_by_meeting ON transcript_segments (meeting_id, started_at);

      CREATE VIRTUAL TABLE transcript_fts USING fts5(
        text, content = 'transcript_segments', content_rowid = 'local_id', tokenize = 'unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER transcript_fts_insert AFTER INSERT ON transcript_segments BEGIN
        INSERT INTO transcript_fts (rowid, text) VALUES (new.local_id, new.text);
      END;
      CREATE TRIGGER transcript_fts_delete AFTER DELETE ON transcript_segments BEGIN
        INSERT INTO transcript_fts (transcript_fts, rowid, text) VALUES ('delete', old.local_id, old.text);
      END;
    `);
  },
};
