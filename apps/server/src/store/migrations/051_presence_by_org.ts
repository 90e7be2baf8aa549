import type { Kysely } from 'kysely';

/**
 * An organisation's presence read a page at a time, by person (GET /presence: `organisation_id = ?
 * AND user_id > ? ORDER BY user_id LIMIT ?`). The table had its primary key (the person) alone,
 * so a listing of one organisation read every organisation's rows.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('presence_by_org').on('presence').columns(['organisation_id', 'user_id']).execute();
}
