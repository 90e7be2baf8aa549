import type { Kysely } from 'kysely';

/**
 * Ask an expert (issue 18; packages/shared/src/api/pages.ts). Written with the schema builder
 * only, so it runs on SQLite and PostgreSQL alike.
 *
 * `user_skills`: what each person lists as their skills, compared by `skill_key` (lower case).
 * `page_rooms`: the meeting a page's asks meet in, made on its first ask and kept for the page.
 * `expert_asks`: one ask, whom it rang (JSON list of ids), who declined, who answered.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('user_skills')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('skill_key', 'text', (c) => c.notNull())
    .addColumn('skill', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('user_skills_pk', ['organisation_id', 'user_id', 'skill_key'])
    .execute();
  await db.schema
    .createIndex('user_skills_skill')
    .on('user_skills')
    .columns(['organisation_id', 'skill_key'])
    .execute();
  await db.schema
    .createTable('page_rooms')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('page_key', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addPrimaryKeyConstraint('page_rooms_pk', ['organisation_id', 'page_key'])
    .execute();
  await db.schema
    .createTable('expert_asks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('asked_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('skill', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('page_key', 'text', (c) => c.notNull())
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('rung', 'text', (c) => c.notNull())
    .addColumn('declined', 'text', (c) => c.notNull())
    .addColumn('answered_by', 'text', (c) => c.references('users.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('ring_until', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('expert_asks_status').on('expert_asks').columns(['status', 'ring_until']).execute();
}
