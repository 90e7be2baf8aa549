import type { Kysely } from 'kysely';

/**
 * Phone dial-in (issue 19): each meeting's PIN (made when first asked for, unique on the
 * instance), each organisation's dial-in numbers in the order they are shown, and the PINs
 * callers got wrong, by calling number, which the rate limit counts.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('meeting_phone_pins')
    .addColumn('meeting_id', 'text', (c) => c.primaryKey().references('meetings.id').onDelete('cascade'))
    .addColumn('pin', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('dial_in_numbers')
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('number', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('dial_in_numbers_pk', ['organisation_id', 'position'])
    .execute();
  await db.schema
    .createTable('phone_pin_failures')
    .addColumn('caller', 'text', (c) => c.notNull())
    .addColumn('failed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('phone_pin_failures_by_caller')
    .on('phone_pin_failures')
    .columns(['caller', 'failed_at'])
    .execute();
}
