import type { Kysely } from 'kysely';

/**
 * Which coordination instance runs each live stream's recorder, as 056_recording_instance does
 * for recordings: a leased sweep fails the streams of an instance that died
 * (services/streaming.ts `settleOrphans`). Null for streams started before: left as they are.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('meeting_streams').addColumn('instance_id', 'text').execute();
}
