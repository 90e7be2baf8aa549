import type { Kysely } from 'kysely';

/**
 * Meetings whose notes are due: a row is written in the transaction that ends the meeting (its
 * room finished, or its host ended it) and deleted once the notes are made, so they are made
 * even when the instance that heard the end dies first, and by one instance even when several
 * hear it (a host's end on one, LiveKit's room_finished on another). `claimed_until`: the
 * instance making them has them until then (past it, another takes them over), and after a
 * failure nobody retries before then. `due_at` tells a new end from the one being made.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notes_due')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull())
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('claimed_until', 'text')
    .execute();
  await db.schema.createIndex('notes_due_by_time').on('notes_due').column('due_at').execute();
}
