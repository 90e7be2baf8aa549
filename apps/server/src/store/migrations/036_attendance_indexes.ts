import type { Kysely } from 'kysely';

/**
 * Attendance had no index: every webhook's join and leave, a meeting's attendance report, and the
 * organisation's insights and participant suggestions (visits since a date) read the whole table.
 * One index by meeting and identity (the webhooks' writes and a meeting's reads), one by join time
 * (what insights and suggestions filter on). Schema builder only, for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('attendance_by_meeting').on('attendance').columns(['meeting_id', 'identity']).execute();
  await db.schema.createIndex('attendance_by_joined_at').on('attendance').column('joined_at').execute();
}
