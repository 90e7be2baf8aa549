import { sql, type Kysely } from 'kysely';

/**
 * Decisions read by changes, as the people directory is (047_directory_seq):
 * `organisations.decisions_seq` is the newest position, and `decisions.change_seq` the position
 * of each decision's latest version. A client reads what changed after the position it holds
 * (`GET /decisions?since=`) instead of every decision of the organisation at each reconnect.
 * Existing decisions are numbered in the order they last changed. Schema builder, and one
 * UPDATE … FROM with a window function that SQLite (3.33+) and PostgreSQL both run.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('decisions_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('decisions')
    .addColumn('change_seq', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await sql`UPDATE decisions SET change_seq = numbered.n
    FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY organisation_id ORDER BY updated_at, id) AS n FROM decisions) AS numbered
    WHERE decisions.id = numbered.id`.execute(db);
  await sql`UPDATE organisations SET decisions_seq =
    (SELECT COALESCE(MAX(d.change_seq), 0) FROM decisions d WHERE d.organisation_id = organisations.id)`.execute(db);
  await db.schema
    .createIndex('decisions_by_change')
    .on('decisions')
    .columns(['organisation_id', 'change_seq'])
    .execute();
}
