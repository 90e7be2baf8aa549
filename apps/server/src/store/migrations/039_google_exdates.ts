import type { Kysely } from 'kysely';

/**
 * EXDATE lines of a Google series followed (issue 22): `meeting_occurrences.by_exdate` marks an
 * occurrence cancelled only because the linked Google event's recurrence lists it as an EXDATE, so
 * an EXDATE removed in Google brings that occurrence back, and one cancelled in Tandem stays
 * cancelled. Any other change of the occurrence clears it. Schema builder only, for SQLite and
 * PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meeting_occurrences')
    .addColumn('by_exdate', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
