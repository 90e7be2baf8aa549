import type { Kysely } from 'kysely';

/**
 * Google calendar sync (issue 22), with Kysely's schema builder only so the same migration runs on
 * SQLite and PostgreSQL. A Google push channel (events.watch) is a `calendar_subscriptions` row
 * too: its id is the channel's, `client_state` its token. It adds `resource_id` (what Google
 * watches, needed to stop the channel) and `sync_token` (the incremental list's position; null
 * until the first full list).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('calendar_subscriptions').addColumn('resource_id', 'text').execute();
  await db.schema.alterTable('calendar_subscriptions').addColumn('sync_token', 'text').execute();
}
