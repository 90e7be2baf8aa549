import fs from 'node:fs';
import fsp from 'node:fs/promises';
import type { Readable } from 'node:stream';
import {
  ChatFileTypeSchema,
  PREVIEWABLE_TYPES,
  type ChatFile,
  type ChatFileLink,
  type ChatFileType,
} from '@tandem/shared';
import type { RecordingStorage } from '../recorder/storage.ts';
import { fileRef, type ChatFileRecord, type Store } from '../store/index.ts';
import { hashToken, newToken } from './auth.ts';
import type { ChatService } from './chat.ts';
import type { ConversationAccess } from './conversationAccess.ts';
import { type Caller, newId, nowIso } from './context.ts';
import { found, notFound, ServiceError } from './errors.ts';
import { contentMatches, SNIFF_BYTES } from './fileTypes.ts';
import { writeThumbnail } from './thumbnails.ts';

/** What files need from the composition root: where bytes go, how big they may be, how links look. */
export type FileSetup = {
  /** The same storage recordings use (local disk, or S3-compatible), in its own folder. */
  readonly storage: RecordingStorage;
  readonly maxBytes: number;
  readonly linkTtlSeconds: number;
  /** The address of a file through a link token (SPECIAL_PATHS.chatFileMedia). */
  readonly mediaUrl: (token: string) => string;
};

/** A file opened through a link, for the HTTP layer to send. */
export type ChatFileMedia = {
  readonly name: string;
  readonly contentType: ChatFileType;
  readonly size: number;
  /** Shown in place (images); everything else is only ever an attachment. */
  readonly inline: boolean;
  read(): Promise<NodeJS.ReadableStream>;
};

export const tooLarge = (maxBytes: number): ServiceError =>
  new ServiceError('payload_too_large', `a file may have at most ${maxBytes} bytes`);
const refusedType = (why: string): ServiceError => new ServiceError('unsupported_media_type', why);

const view = (f: ChatFileRecord): ChatFile => ({
  ...fileRef(f),
  conversationId: f.conversationId,
  uploadedBy: f.uploadedBy,
  createdAt: f.createdAt,
});

/**
 * Files in chat. An upload goes to a scratch file as it arrives (counted: past the limit it stops
 * and nothing is kept), is checked against its declared type, then moved into the storage; it is
 * attached to one message of its uploader (`chat.send`, inside the append's transaction). Who may
 * read a file is who may read its message: the conversation's rule (`conversationAccess.ts`),
 * asked when a link is made and again whenever the link is used.
 */
export function fileService(store: Store, access: ConversationAccess, chat: ChatService, setup: FileSetup) {
  /**
   * Streams `body` to `file`, keeping its first bytes for sniffing. Past the limit it stops writing
   * and answers 413 while the rest of the body is read and dropped (so the answer can be sent;
   * the HTTP layer closes the connection after it).
   */
  function receive(body: Readable, file: string): Promise<{ size: number; head: Uint8Array }> {
    return new Promise((resolve, reject) => {
      const out = fs.createWriteStream(file);
      const head: Buffer[] = [];
      let size = 0;
      let headBytes = 0;
      let settled = false;
      const fail = (error: Error): void => {
        if (settled) return;
        settled = true;
        body.off('data', onData);
        body.resume();
        // Settled once the scratch file is closed: its open may still be under way, and would
        // create the file after the caller removed it (a scratch file left behind).
        if (out.closed) reject(error);
        else out.once('close', () => reject(error));
        out.destroy();
      };
      const onData = (chunk: Buffer): void => {
        size += chunk.length;
        if (size > setup.maxBytes) {
          fail(tooLarge(setup.maxBytes));
          return;
        }
        if (headBytes < SNIFF_BYTES) {
          const part = chunk.subarray(0, SNIFF_BYTES - headBytes);
          head.push(part);
          headBytes += part.length;
        }
        if (!out.write(chunk)) {
          body.pause();
          out.once('drain', () => body.resume());
        }
      };
      body.on('data', onData);
      body.once('end', () => {
        if (settled) return;
        settled = true;
        out.end(() => resolve({ size, head: Buffer.concat(head) }));
      });
      body.once('error', fail);
      body.once('close', () => fail(new ServiceError('bad_request', 'the upload ended before its body did')));
      out.once('error', fail);
    });
  }

  /** A file of the conversation the caller reads, attached to a message they can see (their own unsent uploads too). */
  async function readableFile(caller: Caller, conversationId: string, fileId: string): Promise<ChatFileRecord> {
    const { conversation, from } = await access.readable(caller, conversationId);
    const [file] = await store.files.inConversation(conversation.id, [fileId]);
    if (file === undefined) throw notFound('file');
    if (file.messageId === null) {
      if (file.uploadedBy !== caller.user.id) throw notFound('file');
      return file;
    }
    const message = await store.chat.byClientId(conversation.id, file.messageId);
    if (message === undefined || message.seq <= from || (await store.chat.isDeleted(conversation.id, file.messageId)))
      throw notFound('file');
    return file;
  }

  /**
   * Makes an image's thumbnail and keeps it beside it in the storage (made once, on first ask);
   * answers its size. An image libvips cannot read is refused as unsupported.
   */
  async function makeThumbnail(sourceKey: string, key: string): Promise<number> {
    const scratch = setup.storage.scratchFile(newId());
    try {
      await writeThumbnail(await setup.storage.read(sourceKey), scratch).catch((error: unknown) => {
        throw refusedType(`the image cannot be read: ${error instanceof Error ? error.message : String(error)}`);
      });
      return await setup.storage.put(key, scratch);
    } finally {
      await fsp.rm(scratch, { force: true });
    }
  }

  return {
    /** The limit uploads are held to, for the HTTP layer to refuse a declared length at once. */
    maxBytes: setup.maxBytes,

    async upload(
      caller: Caller,
      conversationId: string,
      name: string,
      declaredType: string,
      body: Readable,
    ): Promise<ChatFile> {
      const { conversation } = await chat.writable(caller, conversationId);
      const type = ChatFileTypeSchema.safeParse(declaredType);
      if (!type.success) throw refusedType(`files of type ${declaredType || '(none)'} are not accepted`);
      const id = newId();
      const scratch = setup.storage.scratchFile(id);
      try {
        const { size, head } = await receive(body, scratch);
        if (!contentMatches(type.data, head, size <= head.length))
          throw refusedType(`the file's content is not ${type.data}`);
        const storageKey = `${conversation.organisationId}/${conversation.id}/${id}`;
        const sizeBytes = await setup.storage.put(storageKey, scratch);
        const record = {
          id,
          organisationId: conversation.organisationId,
          conversationId: conversation.id,
          uploadedBy: caller.user.id,
          name: name.normalize('NFC'),
          contentType: type.data,
          sizeBytes,
          storageKey,
          createdAt: nowIso(),
        };
        await store.files.add(record);
        return view({ ...record, messageId: null });
      } finally {
        await fsp.rm(scratch, { force: true });
      }
    },

    async link(caller: Caller, conversationId: string, fileId: string): Promise<ChatFileLink> {
      const file = await readableFile(caller, conversationId, fileId);
      const token = newToken();
      const expiresAt = new Date(Date.now() + setup.linkTtlSeconds * 1000).toISOString();
      await store.files.addLink(hashToken(token), file.id, caller.user.id, expiresAt);
      const url = setup.mediaUrl(token);
      const thumbnailUrl = PREVIEWABLE_TYPES.includes(file.contentType) ? `${url}?thumbnail=1` : null;
      return { url, downloadUrl: `${url}?download=1`, thumbnailUrl, expiresAt };
    },

    /**
     * The file behind a link while it is valid and its holder may still read it (a member removed,
     * a message deleted or an account deactivated since closes it); 404 otherwise.
     */
    async media(token: string, thumbnail = false): Promise<ChatFileMedia> {
      const opened = found(await store.files.byLink(hashToken(token), nowIso()), 'file');
      const { file } = opened;
      const user = await store.identity.getUser(file.organisationId, opened.userId);
      if (user === undefined || user.status !== 'active') throw notFound('file');
      await readableFile(
        { user, sessionId: '', origin: { address: '', client: 'file link' } },
        file.conversationId,
        file.id,
      );
      const inline = PREVIEWABLE_TYPES.includes(file.contentType);
      if (!thumbnail)
        return {
          name: file.name,
          contentType: file.contentType,
          size: file.sizeBytes,
          inline,
          read: () => setup.storage.read(file.storageKey),
        };
      if (!inline) throw notFound('thumbnail');
      const key = `${file.storageKey}.thumbnail.webp`;
      const size = (await setup.storage.size(key)) ?? (await makeThumbnail(file.storageKey, key));
      return {
        name: `${file.name}.webp`,
        contentType: 'image/webp',
        size,
        inline: true,
        read: () => setup.storage.read(key),
      };
    },
  };
}

export type FileService = ReturnType<typeof fileService>;
