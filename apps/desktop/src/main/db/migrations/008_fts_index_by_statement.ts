import type { Migration } from './types.ts';

/**
 * New messages reach the search index by one statement per applied batch (`queries.ts`) instead
 * of a trigger per row: the trigger was the larger part of ingest's cost (BENCHMARKS.md, B4).
 * The update and delete triggers stay: an indexed row's old text must leave the index with it.
 */
export const migration008: Migration = {
  version: 8,
  name: 'index new messages by statement, not by a trigger per row',
  up(db) {
    db.exec('DROP TRIGGER IF EXISTS messages_fts_insert;');
  },
};
