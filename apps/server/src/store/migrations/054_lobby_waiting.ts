import { sql, type Kysely } from 'kysely';

/**
 * The lobby's sweep (services/meetings.ts `expireAbandoned`) reads the entries still waiting,
 * across organisations, every few seconds: a partial index holds only those (a handful at any
 * time), so the read does not grow with every knock ever made. A meeting's own reads keep using
 * the unique (meeting, person) index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('lobby_waiting')
    .on('lobby_entries')
    .column('updated_at')
    .where(sql.ref('status'), '=', 'waiting')
    .execute();
}
