import type { Kysely } from 'kysely';

/** Whether people from outside may knock through a meeting's https link; on unless the organisation turns it off. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('organisations')
    .addColumn('external_guests', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
