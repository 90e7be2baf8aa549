import type { Kysely } from 'kysely';

/**
 * Pages of business web apps (issue 18; packages/shared/src/api/pages.ts). Written with the schema
 * builder only, so it runs on SQLite and PostgreSQL alike.
 *
 * `page_tokens`: short-lived tokens the host app's backend minted for a person on a page, by hash.
 * `page_docs`: each page's Yjs document (its fields), the whole state as base64.
 * `page_delegations`: a field handed to a colleague; while `open` only they write it.
 * `page_threads`: the conversation a field's comments live in, one per page and field.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('page_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('page_tokens_expiry').on('page_tokens').column('expires_at').execute();
  await db.schema
    .createTable('page_docs')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('page_key', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('page_docs_pk', ['organisation_id', 'page_key'])
    .execute();
  await db.schema
    .createTable('page_delegations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('page_key', 'text', (c) => c.notNull())
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('field_label', 'text', (c) => c.notNull())
    .addColumn('delegate_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('delegated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema
    .createIndex('page_delegations_page')
    .on('page_delegations')
    .columns(['organisation_id', 'page_key', 'status'])
    .execute();
  await db.schema.createIndex('page_delegations_delegate').on('page_delegations').column('delegate_id').execute();
  await db.schema.createIndex('page_delegations_given').on('page_delegations').column('delegated_by').execute();
  await db.schema
    .createTable('page_threads')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('page_key', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('app', 'text', (c) => c.notNull())
    .addColumn('view', 'text', (c) => c.notNull())
    .addColumn('record_id', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('field_label', 'text', (c) => c.notNull())
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('page_threads_pk', ['organisation_id', 'page_key', 'field'])
    .execute();
}
