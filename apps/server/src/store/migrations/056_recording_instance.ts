import type { Kysely } from 'kysely';

/**
 * Which coordination instance runs each recording's recorder (a child process of that instance):
 * when the instance dies, its recorders go with it, and a leased sweep on another instance
 * settles what they left (services/recordings.ts `settleOrphans`). Null for recordings started
 * before (by a version that did not say): no sweep touches those, which a restart settles as
 * before when the instance is alone.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('recordings').addColumn('instance_id', 'text').execute();
}
