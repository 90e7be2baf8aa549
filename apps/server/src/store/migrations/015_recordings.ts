import { sql, type Kysely } from 'kysely';
import { bigInteger } from '../dialect.ts';

/**
 * Recordings (issue 14). Each organisation decides whether its hosts may record and how many days
 * recordings are kept. A recording row lives from the host's start to its deletion; its file is in
 * the recording storage under `storage_key` once finished. At most one recording of a meeting is
 * running at a time (partial unique index). Links to a file are short-lived and stored hashed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('recording', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('organisations')
    .addColumn('recording_retention_days', 'integer', (c) => c.notNull().defaultTo(90))
    .execute();
  await db.schema
    .createTable('recordings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('started_by_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('ended_at', 'text')
    .addColumn('duration_ms', bigInteger(db))
    .addColumn('size_bytes', bigInteger(db))
    .addColumn('failure', 'text')
    .addColumn('storage_key', 'text')
    .execute();
  await db.schema.createIndex('recordings_by_meeting').on('recordings').columns(['meeting_id', 'created_at']).execute();
  await sql`CREATE UNIQUE INDEX recordings_one_running ON recordings (meeting_id)
    WHERE status IN ('starting', 'recording', 'stopping')`.execute(db);
  await sql`CREATE INDEX recordings_by_end ON recordings (ended_at) WHERE ended_at IS NOT NULL`.execute(db);
  await db.schema
    .createTable('recording_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('recording_id', 'text', (c) => c.notNull().references('recordings.id').onDelete('cascade'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}
