import { sql, type Kysely } from 'kysely';
import { bigInteger } from '../dialect.ts';

/**
 * `message.created` queued from the change stream, not by the instance that appended the message
 * (which may die between its commit and the queueing): each endpoint keeps the organisation's
 * change offset up to which its messages are queued. An endpoint that exists already starts from
 * its organisation's offset now, as a new one does.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('webhook_endpoints')
    .addColumn('chat_offset', bigInteger(db), (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE webhook_endpoints SET chat_offset = (SELECT o.latest_offset FROM organisations o WHERE o.id = webhook_endpoints.organisation_id)`.execute(
    db,
  );
}
