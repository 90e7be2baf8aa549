import { sql, type Kysely } from 'kysely';

/**
 * The status a person chooses by hand (issue 20's tray menu: available, busy, do not disturb,
 * away), replacing do not disturb alone (018_files_presence's `dnd`, `dnd_until`):
 * - `presence.chosen`: 'available' (nothing chosen), 'busy', 'dnd' or 'away';
 * - `presence.chosen_until`: when it ends by itself, NULL until changed.
 * Do not disturb that was on carries over with its end. Schema builder and one portable UPDATE,
 * for SQLite and PostgreSQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('presence')
    .addColumn('chosen', 'text', (c) => c.notNull().defaultTo('available'))
    .execute();
  await db.schema.alterTable('presence').addColumn('chosen_until', 'text').execute();
  await sql`UPDATE presence SET chosen = 'dnd', chosen_until = dnd_until WHERE dnd = 1`.execute(db);
  // `dnd` and `dnd_until` stay, unread from now on: instances still on the previous version during
  // a rolling upgrade keep working against them (migrations here only ever add); a later
  // migration can drop them once no such instance can run.
}
