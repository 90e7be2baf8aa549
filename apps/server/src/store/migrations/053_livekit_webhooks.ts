import type { Kysely } from 'kysely';

/**
 * The LiveKit webhooks handled: each id is recorded in the transaction of the last write its
 * handling makes, so a webhook LiveKit delivers again (perhaps to another instance) is handled
 * once, and one whose handling failed or stopped half-way is handled again. Forgotten a day later
 * (`handled_at`), long after LiveKit stops delivering it again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('livekit_webhooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('handled_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('livekit_webhooks_by_age').on('livekit_webhooks').column('handled_at').execute();
}
