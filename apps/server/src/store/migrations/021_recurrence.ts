import type { Kysely } from 'kysely';

/**
 * Time zones and recurring meetings (issue 22), with Kysely's schema builder only so the same
 * migration runs on SQLite and PostgreSQL.
 *
 * `meetings.time_zone`: the IANA zone the meeting is scheduled in (UTC for those before).
 * `meetings.rrule`: the series' RFC 5545 rule (`FREQ=WEEKLY;BYDAY=MO`, UNTIL in UTC); null: one meeting.
 * `meeting_occurrences`: one occurrence of a series changed on its own, named by its start by the
 * rule (`occurrence_id`, an ISO instant): moved (`starts_at`/`ends_at`), retitled or cancelled.
 * `calendar_subscriptions`: a provider's change subscription on a person's connected calendar
 * (Graph `/subscriptions`), by the provider's id, with the `client_state` its notifications must
 * carry and when it expires (renewed before).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('time_zone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .execute();
  await db.schema.alterTable('meetings').addColumn('rrule', 'text').execute();
  await db.schema
    .createTable('meeting_occurrences')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('occurrence_id', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text')
    .addColumn('ends_at', 'text')
    .addColumn('title', 'text')
    .addColumn('cancelled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('meeting_occurrences_pk', ['meeting_id', 'occurrence_id'])
    .execute();
  await db.schema
    .createTable('calendar_subscriptions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('client_state', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
}
