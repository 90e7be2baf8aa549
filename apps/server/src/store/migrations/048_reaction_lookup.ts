import type { Kysely } from 'kysely';

/**
 * A reaction's state (has this person given this emoji to this message?) read by its own keys.
 * Without it SQLite answered `… ORDER BY seq DESC LIMIT 1` by walking the conversation backwards
 * by its primary key, so a first reaction in a long channel read every event of it while holding
 * the write lock. Partial: only `react` and `unreact` events carry an emoji, so messages, which
 * are most events, do not pay for it on insert; `emoji = ?` in the query implies the index's
 * condition for SQLite and PostgreSQL alike. `type` is in it so the lookup never reads the table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('chat_events_reactions')
    .on('chat_events')
    .columns(['conversation_id', 'message_id', 'author_id', 'emoji', 'seq', 'type'])
    .where('emoji', 'is not', null)
    .execute();
}
