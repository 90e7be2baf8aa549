import { sql, type Kysely } from 'kysely';

/**
 * Which coordination instance runs each live stream's recorder, as 056_recording_instance does
 * for recordings: a leased sweep fails the streams of an instance that died
 * (services/streaming.ts `settleOrphans`). Null for streams started before: left as they are.
 * The sweep reads the running streams every few seconds: a partial index holds only those (as
 * 015's `recordings_one_running` does for recordings), not every meeting ever streamed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meeting_streams').addColumn('instance_id', 'text').execute();
  await sql`CREATE INDEX meeting_streams_running ON meeting_streams (meeting_id) WHERE status IN ('starting', 'live')`.execute(
    db,
  );
}
