import type { Kysely } from 'kysely';

/** Linked Teams/Zoom/Meet meetings: sealed provider credentials, consents in flight, links, ICS feeds. */
export async function up(db: Kysely<unknown>): Promise<void> {
  // `user_id` is '' for an organisation's own account: SQLite treats NULLs in a key as distinct.
  await db.schema
    .createTable('provider_credentials')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('iv', 'text', (c) => c.notNull())
    .addColumn('ciphertext', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('connected_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('provider_credentials_pk', ['org_id', 'provider', 'user_id'])
    .execute();
  // Only the hash of an OAuth `state` is kept; a row is used once and expires.
  await db.schema
    .createTable('provider_consents')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('provider', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('linked_meetings')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_with', 'text')
    .addColumn('external_id', 'text')
    .addColumn('platform', 'text', (c) => c.notNull())
    .addColumn('platform_meeting_id', 'text')
    .addColumn('linked', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('state_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  // Provider webhooks name the far meeting, not ours.
  await db.schema
    .createIndex('linked_meetings_by_platform_id')
    .on('linked_meetings')
    .columns(['organisation_id', 'platform', 'platform_meeting_id'])
    .execute();
  await db.schema
    .createTable('calendar_feeds')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}
