import type { Kysely } from 'kysely';

/**
 * `calendar_notifications`: provider calendar notifications accepted but not yet followed. Graph
 * wants its answer within 3 seconds and Google quickly, so a webhook checks the notification,
 * stores it here and answers; the follow-up (reading the events from the provider, following them
 * into meetings) runs from this queue, retried until it settles, and survives a restart. A row
 * names its subscription (`calendar_subscriptions.id`, not a foreign key: a subscription replaced
 * or dropped leaves its rows to be discarded) and, for Graph, the event ids it named (JSON).
 * `next_attempt_at` is when it is due; a claimed row's claim runs out then. Schema builder only,
 * for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('calendar_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('subscription_id', 'text', (c) => c.notNull())
    .addColumn('event_ids', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('calendar_notifications_due')
    .on('calendar_notifications')
    .column('next_attempt_at')
    .execute();
}
