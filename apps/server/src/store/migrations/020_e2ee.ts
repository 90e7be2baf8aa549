import type { Kysely } from 'kysely';

/**
 * End-to-end encrypted meetings (issue 15; docs/e2ee.md). Public keys and wrapped keys only: the
 * server never holds a raw meeting key or a device's private key.
 *
 * `e2ee_devices`: a person's device by its ECDH public key (SPKI, base64); one row per person and key.
 * `e2ee_meeting_devices`: the device each participant takes into a meeting's call (the latest counts).
 * `e2ee_key_generations`: each meeting key generation, numbered from 1 without gaps, and the device that made it.
 * `e2ee_wrapped_keys`: a generation's key wrapped for one recipient device by a sender device;
 * written once per generation and recipient.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('e2ee_devices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('e2ee_devices_key', ['user_id', 'public_key'])
    .execute();
  await db.schema
    .createTable('e2ee_meeting_devices')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('device_id', 'text', (c) => c.notNull().references('e2ee_devices.id'))
    .addColumn('announced_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('e2ee_meeting_devices_pk', ['meeting_id', 'user_id'])
    .execute();
  await db.schema
    .createTable('e2ee_key_generations')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('created_by_device', 'text', (c) => c.notNull().references('e2ee_devices.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('e2ee_key_generations_pk', ['meeting_id', 'generation'])
    .execute();
  await db.schema
    .createTable('e2ee_wrapped_keys')
    .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
    .addColumn('generation', 'integer', (c) => c.notNull())
    .addColumn('recipient_device', 'text', (c) => c.notNull().references('e2ee_devices.id'))
    .addColumn('sender_device', 'text', (c) => c.notNull().references('e2ee_devices.id'))
    .addColumn('wrapped', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('e2ee_wrapped_keys_pk', ['meeting_id', 'recipient_device', 'generation'])
    .execute();
}
