import type { Kysely } from 'kysely';

/**
 * A few people of an organisation read by id or by role (`identity.usersIn`, `withRoles`: a page's
 * viewers, a meeting's hosts, invitees) found by those keys. With the index on the organisation
 * alone SQLite answered `organisation_id = ? AND id IN (…)` by walking every person of the
 * organisation. (organisation_id, id) serves every use of `users_by_org` too, which it replaces.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.createIndex('users_by_org_id').on('users').columns(['organisation_id', 'id']).execute();
  await db.schema.createIndex('users_by_org_role').on('users').columns(['organisation_id', 'role']).execute();
  await db.schema.dropIndex('users_by_org').execute();
}
