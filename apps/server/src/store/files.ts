import type { ChatFile, ChatFileRef, ChatFileType } from '@tandem/shared';
import { sql, type Selectable } from 'kysely';
import { containsWords } from './dialect.ts';
import type { SearchFilters } from './chat.ts';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** A chat file as stored: the API's record plus where its bytes are and what it is attached to. */
export type ChatFileRecord = ChatFile & {
  readonly organisationId: string;
  readonly storageKey: string;
  /** The message it is attached to; null until it is. */
  readonly messageId: string | null;
};

/** A file as a message carries it. */
export const fileRef = (f: ChatFileRecord): ChatFileRef => ({
  id: f.id,
  name: f.name,
  contentType: f.contentType,
  sizeBytes: f.sizeBytes,
});

const toRecord = (r: Selectable<Database['chat_files']>): ChatFileRecord => ({
  id: r.id,
  organisationId: r.organisation_id,
  conversationId: r.conversation_id,
  uploadedBy: r.uploaded_by,
  name: r.name,
  contentType: r.content_type as ChatFileType,
  sizeBytes: r.size_bytes,
  storageKey: r.storage_key,
  createdAt: r.created_at,
  messageId: r.message_id,
});

/** Chat files (018_files_presence); attaching one to a message happens in the chat store's append. */
export function fileStore(db: Db) {
  return {
    async add(f: Omit<ChatFileRecord, 'messageId'>): Promise<void> {
      await db
        .insertInto('chat_files')
        .values({
          id: f.id,
          organisation_id: f.organisationId,
          conversation_id: f.conversationId,
          uploaded_by: f.uploadedBy,
          name: f.name,
          content_type: f.contentType,
          size_bytes: f.sizeBytes,
          storage_key: f.storageKey,
          created_at: f.createdAt,
          message_id: null,
        })
        .execute();
    },

    /** The files named, of this conversation only (others are not there). */
    async inConversation(conversationId: string, ids: readonly string[]): Promise<ChatFileRecord[]> {
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('chat_files')
        .selectAll()
        .where('conversation_id', '=', conversationId)
        .where('id', 'in', ids)
        .execute();
      return rows.map(toRecord);
    },

    /**
     * Attached files whose name contains the words, newest first, older than `beforeCreatedAt`
     * (a page's last); the caller judges each with the access rule.
     */
    async named(
      organisationId: string,
      text: string,
      options: Omit<SearchFilters, 'hasFile'> & { beforeCreatedAt: string | null; limit: number },
    ): Promise<ChatFileRecord[]> {
      let query = db
        .selectFrom('chat_files')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('message_id', 'is not', null)
        .where(containsWords(db, sql.ref('name'), text));
      if (options.conversationId !== undefined) query = query.where('conversation_id', '=', options.conversationId);
      if (options.from !== undefined) query = query.where('uploaded_by', '=', options.from);
      if (options.after !== undefined) query = query.where('created_at', '>=', options.after);
      if (options.before !== undefined) query = query.where('created_at', '<', options.before);
      if (options.beforeCreatedAt !== null) query = query.where('created_at', '<', options.beforeCreatedAt);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id').limit(options.limit).execute();
      return rows.map(toRecord);
    },

    async addLink(tokenHash: string, fileId: string, userId: string, expiresAt: string): Promise<void> {
      await db
        .insertInto('chat_file_links')
        .values({ token_hash: tokenHash, file_id: fileId, user_id: userId, expires_at: expiresAt })
        .execute();
    },

    /** The file a link opens while it is valid at `now`, and whom the link was made for. */
    async byLink(tokenHash: string, now: string): Promise<{ file: ChatFileRecord; userId: string } | undefined> {
      const r = await db
        .selectFrom('chat_file_links')
        .innerJoin('chat_files', 'chat_files.id', 'chat_file_links.file_id')
        .selectAll('chat_files')
        .select('chat_file_links.user_id as link_user_id')
        .where('chat_file_links.token_hash', '=', tokenHash)
        .where('chat_file_links.expires_at', '>', now)
        .executeTakeFirst();
      if (r === undefined) return undefined;
      const { link_user_id: userId, ...file } = r;
      return { file: toRecord(file), userId };
    },
  };
}

export type FileStore = ReturnType<typeof fileStore>;
