import type { Kysely } from 'kysely';

/**
 * A provider consent is bound to the person who started it (only they complete it) and carries
 * its PKCE verifier (RFC 7636), sent on the code exchange and never to the browser. Consents
 * pending from before have neither and can no longer be completed: they are started again.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('provider_consents')
    .addColumn('started_by', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('provider_consents')
    .addColumn('code_verifier', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
}
