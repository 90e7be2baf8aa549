import type { Kysely } from 'kysely';

/** When a person was deactivated (offboarded); null while they may sign in. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('deactivated_at', 'text').execute();
}
