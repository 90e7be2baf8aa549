import type { Kysely } from 'kysely';

/**
 * Urgent messages (issue 16): `chat_events.urgent` is 1 for a `message` event its author marked
 * urgent (it reaches people through do not disturb), 0 otherwise.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('chat_events')
    .addColumn('urgent', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
