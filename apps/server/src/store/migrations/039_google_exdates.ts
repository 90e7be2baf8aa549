import { sql, type Kysely } from 'kysely';

/**
 * EXDATE lines and "this and following" of a Google series followed (issue 22).
 * `meeting_occurrences.by_exdate` marks an occurrence cancelled only because the linked Google
 * event's recurrence lists it as an EXDATE, so an EXDATE removed in Google brings that occurrence
 * back, and one cancelled in Tandem stays cancelled; any other change of the occurrence clears it.
 * A Google event an account created is linked to one meeting of the organisation at most
 * (a partial unique index beside 035_linked_by_external_id): a series Google carries on under a
 * new id is made a Tandem meeting once, even when two pushes follow the same list at the same
 * time. Google only: Zoom recycles the numeric ids of meetings long over, so two of its meetings
 * may share one. Schema builder only, for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meeting_occurrences')
    .addColumn('by_exdate', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('linked_meetings_google_event_once')
    .unique()
    .on('linked_meetings')
    .columns(['organisation_id', 'external_id'])
    .where(sql.ref('created_with'), '=', 'google')
    .execute();
}
