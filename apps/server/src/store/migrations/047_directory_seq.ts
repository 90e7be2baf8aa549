import { sql, type Kysely } from 'kysely';

/**
 * The people directory's positions: `organisations.directory_seq` is the newest, and
 * `users.directory_seq` the position of each person's latest change (added, renamed, a new role
 * or address, deactivated or back). A client pages the directory from the position it holds
 * (`GET /users?since=`) instead of reading every person again at each reconnect. Existing people
 * are numbered in the order they were added (service accounts too, though never listed).
 * Schema builder, and one UPDATE … FROM with a window function that SQLite (3.33+) and
 * PostgreSQL both run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('directory_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('users')
    .addColumn('directory_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE users SET directory_seq = numbered.n
    FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY organisation_id ORDER BY created_at, id) AS n FROM users) AS numbered
    WHERE users.id = numbered.id`.execute(db);
  await sql`UPDATE organisations SET directory_seq =
    (SELECT COALESCE(MAX(u.directory_seq), 0) FROM users u WHERE u.organisation_id = organisations.id)`.execute(db);
  await db.schema.createIndex('users_directory').on('users').columns(['organisation_id', 'directory_seq']).execute();
}
