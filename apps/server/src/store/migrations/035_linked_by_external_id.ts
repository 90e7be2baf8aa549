import type { Kysely } from 'kysely';

/**
 * Google calendar changes name the far event, not our meeting (issue 22: a change made in Google
 * Calendar rewrites the meeting linked to it): an index to find the linked meetings an account
 * created under those ids, within one organisation. Schema builder only, for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('linked_meetings_by_external_id')
    .on('linked_meetings')
    .columns(['organisation_id', 'created_with', 'external_id'])
    .execute();
}
