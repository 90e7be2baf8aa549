import { sql, type Kysely } from 'kysely';
import { bigInteger } from '../dialect.ts';

/**
 * Each organisation's chat events form one change stream: `org_offset` numbers them 1, 2, 3…
 * in commit order per organisation (the counter is `organisations.latest_offset`, bumped in the
 * same transaction as the conversation's seq), so a client resumes every conversation it follows
 * from one cursor. Events stored before this migration are numbered in the order they were
 * written (time, then conversation and seq), which keeps each conversation's seqs ascending.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('latest_offset', bigInteger(db), (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('chat_events').addColumn('organisation_id', 'text').execute();
  await db.schema.alterTable('chat_events').addColumn('org_offset', bigInteger(db)).execute();
  await sql`
    UPDATE chat_events SET organisation_id = c.organisation_id, org_offset = n.n
    FROM conversations c,
      (SELECT e.conversation_id, e.seq,
              row_number() OVER (PARTITION BY k.organisation_id ORDER BY e.created_at, e.conversation_id, e.seq) AS n
       FROM chat_events e JOIN conversations k ON k.id = e.conversation_id) n
    WHERE c.id = chat_events.conversation_id
      AND n.conversation_id = chat_events.conversation_id AND n.seq = chat_events.seq
  `.execute(db);
  await sql`
    UPDATE organisations SET latest_offset = coalesce(
      (SELECT max(org_offset) FROM chat_events WHERE chat_events.organisation_id = organisations.id), 0)
  `.execute(db);
  await db.schema
    .createIndex('chat_events_by_org_offset')
    .on('chat_events')
    .columns(['organisation_id', 'org_offset'])
    .unique()
    .execute();
}
