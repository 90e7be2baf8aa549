import type { Kysely } from 'kysely';

/**
 * Who a meeting is for besides its owner. Listing asks "which meetings is this person invited
 * to", hence the index by person; the primary key serves "who is invited to this meeting".
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meeting_invitees')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('meeting_invitees_pk', ['meeting_id', 'user_id'])
    .execute();
  await db.schema.createIndex('meeting_invitees_by_user').on('meeting_invitees').column('user_id').execute();
}
