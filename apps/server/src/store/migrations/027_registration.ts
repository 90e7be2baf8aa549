import type { Kysely } from 'kysely';

/**
 * Webinar registration (issue 19), with Kysely's schema builder only so the same migration runs
 * on SQLite and PostgreSQL.
 *
 * `webinar_registration`: a webinar's public registration: open or not, `approval` (`automatic` or
 * `manual`), `capacity` (null: none) and the hosts' `questions` (JSON).
 * `webinar_registrants`: one per e-mail address and webinar: name, answers (JSON), status
 * (`pending`, `approved`, `denied`, `revoked`), the SHA-256 of their join link's token (none until
 * approved; a new approval replaces it), the guest account the link made and when it first joined.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('webinar_registration')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
    .addColumn('open', 'integer', (c) => c.notNull())
    .addColumn('approval', 'text', (c) => c.notNull())
    .addColumn('capacity', 'integer')
    .addColumn('questions', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webinar_registrants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.unique())
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text')
    .addColumn('joined_at', 'text')
    .addUniqueConstraint('webinar_registrants_email', ['meeting_id', 'email'])
    .execute();
}
