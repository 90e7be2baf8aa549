import type { Kysely } from 'kysely';

/**
 * Direct chats, group chats and private channels (issue 16).
 *
 * `conversations.private`: only members read it (always 1 for `direct` and `group`).
 * `archived_at`: read-only and out of default lists while set. `created_by`: a public channel's
 * creator may rename and archive it (NULL for meeting chats and older channels).
 * `direct_key`: the two people of a direct chat, sorted and joined by ':'; unique per
 * organisation, so a pair has one direct chat however often it is started.
 *
 * `conversation_members`: in a private conversation a row with role `owner` or `member` IS the
 * membership (leaving or being removed deletes it). In a public channel or a meeting's chat a row
 * (role `reader`, or `owner` for a channel's creator) only keeps the person's read position and
 * whether they left the channel (`left_at`). `visible_from_seq`: events up to it came before the
 * person was added without history. Listing asks "whose rows are these", hence the index by person.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('conversations')
    .addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('conversations').addColumn('archived_at', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('created_by', 'text').execute();
  await db.schema.alterTable('conversations').addColumn('direct_key', 'text').execute();
  await db.schema
    .createIndex('conversations_direct_pair')
    .on('conversations')
    .columns(['organisation_id', 'direct_key'])
    .unique()
    .where('direct_key', 'is not', null)
    .execute();
  await db.schema
    .createTable('conversation_members')
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'text', (c) => c.notNull())
    .addColumn('visible_from_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_read_seq', 'integer')
    .addColumn('left_at', 'text')
    .addPrimaryKeyConstraint('conversation_members_pk', ['conversation_id', 'user_id'])
    .execute();
  await db.schema
    .createIndex('conversation_members_by_user')
    .on('conversation_members')
    .columns(['user_id', 'conversation_id'])
    .execute();
}
