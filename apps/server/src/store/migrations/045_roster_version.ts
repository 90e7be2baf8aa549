import type { Kysely } from 'kysely';

/**
 * `conversations.roster_version`: bumped in the same transaction as every change of who belongs to
 * a conversation (people added, removed or gone, a public channel left or joined again). Every
 * chat append reads it under the conversation's lock, so an event says which roster it was
 * written under, and an instance whose cached roster is older reads it again before delivering
 * (services/conversationAccess.ts). Schema builder only, for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('roster_version', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
