import { sql, type Kysely } from 'kysely';

/**
 * Following a Google series as a whole (issue 22). The sync now lists recurring events unexpanded
 * (`singleEvents=false`: a series is its master event with its RRULE); a sync token is bound to
 * the list's parameters, so the tokens taken from expanded lists are dropped and each Google
 * subscription starts again from a full list on its next push. `written_stamp` keeps Google's
 * `updated` of our own last write of the far event, so a list that still shows that write or an
 * older state (two quick edits) does not put the meeting back. Schema builder and portable SQL,
 * for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`UPDATE calendar_subscriptions SET sync_token = NULL WHERE provider = 'google'`.execute(db);
  await db.schema.alterTable('linked_meetings').addColumn('written_stamp', 'text').execute();
}
