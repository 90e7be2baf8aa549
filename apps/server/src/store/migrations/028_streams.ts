import type { Kysely } from 'kysely';

/**
 * Live streaming (issue 19), with Kysely's schema builder only so the same migration runs on
 * SQLite and PostgreSQL.
 *
 * `meeting_streams`: one row per meeting, its latest live stream (one runs at a time, so the
 * primary key is the meeting): `run_id` names the run (its recorder process), `status`
 * (`starting`, `live`, `stopped`, `failed`), the ingest `url` and the stream key sealed with the
 * server's vault keyring (`key_sealed`, JSON; null when the server has no keyring: the key then
 * lives only in memory while it streams), who started it and when, when it went live and ended,
 * and why it failed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meeting_streams')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('key_sealed', 'text')
    .addColumn('started_by_id', 'text', (c) => c.notNull())
    .addColumn('started_by_name', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('live_since', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('failure', 'text')
    .execute();
}
