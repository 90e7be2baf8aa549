import { sql, type Kysely } from 'kysely';

/**
 * Reconciliation with LiveKit (services/reconciliation.ts) reads the visits still open, every
 * period, across organisations, by join time: a partial index holds only those (a few per person
 * in a call), so the read does not grow with the attendance history. Leaves and a meeting's reads
 * keep using 036's index by meeting and identity. Schema builder only, for SQLite and
 * PostgreSQL (both index partially).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('attendance_open')
    .on('attendance')
    .column('joined_at')
    .where(sql.ref('left_at'), 'is', null)
    .execute();
}
