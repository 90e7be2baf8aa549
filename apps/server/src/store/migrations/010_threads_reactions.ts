import type { Kysely } from 'kysely';

/**
 * Threads and reactions are chat events like the rest, so they sync, resume and cache with them.
 * `thread_of`: the root message a `message` event replies to (NULL for a top-level message).
 * `emoji`: what a `react` or `unreact` event adds or takes back. The index finds a message's
 * events (its deletion, its reactions, whether it is a reply) without walking the conversation.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('chat_events').addColumn('thread_of', 'text').execute();
  await db.schema.alterTable('chat_events').addColumn('emoji', 'text').execute();
  await db.schema
    .createIndex('chat_events_by_message')
    .on('chat_events')
    .columns(['conversation_id', 'message_id', 'type'])
    .execute();
}
