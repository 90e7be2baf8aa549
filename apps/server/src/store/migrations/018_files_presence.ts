import type { Kysely } from 'kysely';
import { bigInteger } from '../dialect.ts';

/**
 * Files in chat and presence people set (issue 16).
 *
 * `chat_files`: one per upload into a conversation; the bytes are in the file storage under
 * `storage_key`. `message_id` is the message it is attached to (NULL until it is): a file is
 * attached once, by its uploader. `chat_events.files`: a message's files as it carries them (JSON
 * of `ChatFileRef[]`), so history, resume and caches replay them with the message.
 * `chat_file_links`: short-lived links to a file, stored hashed, each for the person it was made for.
 *
 * `presence.dnd` / `dnd_until`: do not disturb, set by hand, until a time or until turned off;
 * `status_text`: the custom status message. The automatic status (`status`) goes on underneath.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('chat_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
    .addColumn('uploaded_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', bigInteger(db), (c) => c.notNull())
    .addColumn('storage_key', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text')
    .execute();
  await db.schema
    .createIndex('chat_files_by_conversation')
    .on('chat_files')
    .columns(['conversation_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('chat_file_links')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('file_id', 'text', (c) => c.notNull().references('chat_files.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('chat_events').addColumn('files', 'text').execute();
  await db.schema
    .alterTable('presence')
    .addColumn('dnd', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('presence').addColumn('dnd_until', 'text').execute();
  await db.schema.alterTable('presence').addColumn('status_text', 'text').execute();
}
