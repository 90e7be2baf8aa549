import type { Kysely } from 'kysely';

/**
 * A meeting's whiteboard (issue 15; packages/shared/src/annotations/whiteboard.ts), with Kysely's
 * schema builder only so it runs on SQLite and PostgreSQL alike. One row per element: the record
 * that won the merge so far (JSON, tombstones kept), its `version` and `version_nonce` copied out
 * so the store can compare without parsing. Rows belong to the meeting's organisation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('whiteboard_elements')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('element_id', 'text', (c) => c.notNull())
    .addColumn('author_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('version_nonce', 'integer', (c) => c.notNull())
    .addColumn('record', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('whiteboard_elements_pk', ['organisation_id', 'meeting_id', 'element_id'])
    .execute();
}
