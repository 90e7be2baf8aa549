import type { Kysely } from 'kysely';

/** The display name a person chose when joining a meeting; null means their account's name. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('lobby_entries').addColumn('display_name', 'text').execute();
}
