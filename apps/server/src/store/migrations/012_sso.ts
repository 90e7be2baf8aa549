import { sql, type Kysely } from 'kysely';

/**
 * Single sign-on (issue 13): each organisation's OpenID Provider, the e-mail domains it proves by
 * DNS, and sign-ins in flight. Only hashes of the `state` and of the app's one-time code are kept.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('sso_configs')
    .addColumn('organisation_id', 'text', (c) => c.primaryKey().references('organisations.id'))
    .addColumn('issuer', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('client_secret', 'text', (c) => c.notNull())
    .addColumn('jit', 'integer', (c) => c.notNull())
    .addColumn('required', 'integer', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('organisation_domains')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('domain', 'text', (c) => c.notNull())
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('verified_at', 'text')
    .addUniqueConstraint('organisation_domains_once', ['organisation_id', 'domain'])
    .execute();
  // A domain routes sign-ins to one organisation: at most one may have proven it.
  await db.schema
    .createIndex('organisation_domains_verified_once')
    .on('organisation_domains')
    .column('domain')
    .unique()
    .where(sql.ref('verified_at'), 'is not', null)
    .execute();
  await db.schema
    .createTable('sso_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('state_hash', 'text', (c) => c.notNull().unique())
    .addColumn('nonce', 'text', (c) => c.notNull())
    .addColumn('code_verifier', 'text', (c) => c.notNull())
    .addColumn('app_challenge', 'text', (c) => c.notNull())
    .addColumn('app_state', 'text', (c) => c.notNull())
    .addColumn('redirect_uri', 'text', (c) => c.notNull())
    .addColumn('login_hint', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('returned_at', 'text')
    .addColumn('handoff_hash', 'text', (c) => c.unique())
    .addColumn('handoff_expires_at', 'text')
    .addColumn('user_id', 'text', (c) => c.references('users.id'))
    .addColumn('completed_at', 'text')
    .execute();
  await db.schema.createIndex('sso_attempts_by_expiry').on('sso_attempts').column('expires_at').execute();
}
