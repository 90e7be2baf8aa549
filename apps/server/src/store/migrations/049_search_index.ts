import { sql, type Kysely } from 'kysely';
import { isPostgres } from '../dialect.ts';

/**
 * Indexed search on PostgreSQL: trigram GIN indexes (`pg_trgm`) on the text the server searches
 * (chat messages and edits, transcript segments), which `ILIKE '%words%'` uses, so a search finds
 * the same messages as before (a substring without case, as on SQLite) without reading every
 * event of the organisation. `pg_trgm` ships with PostgreSQL and is trusted: the database's owner
 * may create it. Where it is neither installed nor creatable (a role without CREATE on the
 * database, a build without contrib), nothing is made and search scans as it did (docs/deploy/).
 * SQLite (small installs) scans; the desktop's cache has its own FTS5 index. An operator may
 * build the indexes beforehand with `CREATE INDEX CONCURRENTLY` under the same names (a large
 * table is locked for writes while an index is built): they are kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  if (!isPostgres(db)) return;
  const { rows } = await sql<{ installed: boolean; creatable: boolean }>`
    SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') AS installed,
      EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm')
        AND has_database_privilege(current_database(), 'CREATE') AS creatable`.execute(db);
  const [pgTrgm] = rows;
  if (pgTrgm === undefined || !(pgTrgm.installed || pgTrgm.creatable)) return;
  if (!pgTrgm.installed) await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS chat_events_body_trgm ON chat_events USING gin (body gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX IF NOT EXISTS transcript_segments_text_trgm ON transcript_segments USING gin (text gin_trgm_ops)`.execute(
    db,
  );
}
