import { sql, type Kysely } from 'kysely';

/**
 * Reconciliation with LiveKit (services/reconciliation.ts) also ends meetings whose room went with
 * a dead node, and retires a dial-out's guest account whose call went with it:
 * - `attendance.phone`: the visit is a phone call (LiveKit's participant_joined said the
 *   participant is SIP), so closing it ends the call's account as participant_left does. Visits
 *   recorded before are 0 (reconciliation treats them as before).
 * - a partial index of live meetings by `updated_at` (when they went live, at the latest): the
 *   live meetings are read every period across organisations, and are few among all meetings.
 * Schema builder only, for SQLite and PostgreSQL (both index partially).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('attendance')
    .addColumn('phone', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('meetings_live')
    .on('meetings')
    .column('updated_at')
    .where(sql.ref('status'), '=', 'live')
    .execute();
}
