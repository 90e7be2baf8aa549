import type { Kysely } from 'kysely';

/**
 * Webinars (issue 19), with Kysely's schema builder only so the same migration runs on SQLite and
 * PostgreSQL.
 *
 * `meetings.type`: `meeting` (every meeting before) or `webinar`.
 * `meetings.live_since`: when a webinar's hosts took it from the backstage on air; null while
 * only its panelists are in (attendees wait until then).
 * `webinar_promotions`: attendees a host brought on stage as panelists, until taken back.
 * `questions.moderation`: `published` (every question before, and a panelist's), `pending` (an
 * attendee's question in a webinar, until a panelist publishes or dismisses it) or `dismissed`.
 * `questions.answer_private`: 1 when the answer is for its author (and the panelists) only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('meetings')
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('meeting'))
    .execute();
  await db.schema.alterTable('meetings').addColumn('live_since', 'text').execute();
  await db.schema
    .createTable('webinar_promotions')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('promoted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('webinar_promotions_pk', ['meeting_id', 'user_id'])
    .execute();
  await db.schema
    .alterTable('questions')
    .addColumn('moderation', 'text', (c) => c.notNull().defaultTo('published'))
    .execute();
  await db.schema
    .alterTable('questions')
    .addColumn('answer_private', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
