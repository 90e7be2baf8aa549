import { sql, type Kysely } from 'kysely';

/**
 * SCIM provisioning. A person's directory attributes live on their row: the identity provider's
 * `userName` (null: the e-mail is the userName), its `externalId`, the given and family name it
 * sent, when SCIM last changed them, and when the provider deleted them (the record stays for what
 * they wrote; SCIM no longer shows it). The userName is unique per organisation, whichever column
 * holds it. Provisioning tokens are stored as hashes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('users').addColumn('scim_user_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('scim_external_id', 'text').execute();
  await db.schema.alterTable('users').addColumn('given_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('family_name', 'text').execute();
  await db.schema.alterTable('users').addColumn('scim_updated_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('scim_deleted_at', 'text').execute();
  await sql`create unique index users_scim_user_name on users (organisation_id, lower(coalesce(scim_user_name, email)))`.execute(
    db,
  );
  await db.schema
    .createIndex('users_scim_external_id')
    .on('users')
    .columns(['organisation_id', 'scim_external_id'])
    .execute();
  await db.schema
    .createTable('scim_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('last_used_at', 'text')
    .addColumn('revoked_at', 'text')
    .execute();
  await db.schema.createIndex('scim_tokens_by_org').on('scim_tokens').column('organisation_id').execute();
}
