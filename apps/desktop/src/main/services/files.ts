import {
  ApiErrorSchema,
  CHAT_FILE_LIMITS,
  ChatFileSchema,
  PREVIEWABLE_TYPES,
  SPECIAL_PATHS,
  type ChatFile,
} from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import { ServiceError } from './errors.ts';
import type { Emit } from './events.ts';
import type { Session } from './session.ts';

export type UploadRequest = {
  readonly uploadId: string;
  readonly conversationId: string;
  readonly name: string;
  readonly contentType: string;
  /** The file's bytes as base64 (the IPC contract bounds its length). */
  readonly data: string;
};

export type FilesService = {
  upload(request: UploadRequest): Promise<ChatFile>;
  cancel(uploadId: string): void;
  /** An image's preview as a data: URL, from the cache when it was fetched before (so offline too). */
  preview(conversationId: string, fileId: string): Promise<string>;
  download(conversationId: string, fileId: string): Promise<void>;
};

export type FilesDeps = {
  readonly db: DbClient;
  readonly session: Session;
  readonly emit: Emit;
  /** The OS downloads a link (Electron's downloadURL; the headless platform records it). */
  readonly download: (url: string) => Promise<void>;
  readonly fetch?: typeof fetch;
};

/** Bytes handed to the network at a time: also how often progress is told. */
const CHUNK_BYTES = 256 * 1024;

/**
 * Files in chat from main: uploads go from here to the server (the renderer hands over bytes, no
 * URL or token), with progress and cancel; previews of images are fetched through a short-lived
 * link and kept in the cache; downloads are the OS's, through a link main asks for itself.
 */
export function createFiles(deps: FilesDeps): FilesService {
  const fetchImpl = deps.fetch ?? fetch;
  const uploads = new Map<string, AbortController>();

  function serverUrl(): string {
    const info = deps.session.current();
    if (info === null) throw new ServiceError('unauthenticated', 'not signed in');
    return info.serverUrl;
  }

  /** The server's refusal as the same coded error its JSON routes give. */
  async function refusal(response: Response): Promise<ServiceError> {
    const text = await response.text().catch(() => '');
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = ApiErrorSchema.safeParse(json);
    if (parsed.success) return new ServiceError(parsed.data.error.code, parsed.data.error.message);
    return new ServiceError(response.status >= 500 ? 'unavailable' : 'internal', `HTTP ${response.status}`);
  }

  async function send(request: UploadRequest, bytes: Buffer, signal: AbortSignal, token: string): Promise<Response> {
    const path = SPECIAL_PATHS.chatFileUpload.replace(':conversationId', encodeURIComponent(request.conversationId));
    let sent = 0;
    const progress = () =>
      deps.emit('files:progress', { uploadId: request.uploadId, sentBytes: sent, totalBytes: bytes.length });
    progress();
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length) {
          controller.close();
          return;
        }
        const chunk = bytes.subarray(sent, sent + CHUNK_BYTES);
        sent += chunk.length;
        controller.enqueue(chunk);
        progress();
      },
    });
    try {
      return await fetchImpl(`${serverUrl()}${path}?name=${encodeURIComponent(request.name)}`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': request.contentType,
          'content-length': String(bytes.length),
        },
        body,
        signal,
        duplex: 'half',
      } as RequestInit);
    } catch (error) {
      if (signal.aborted) throw new ServiceError('bad_request', 'the upload was cancelled');
      throw new ServiceError('unavailable', `server unreachable: ${error instanceof Error ? error.message : error}`);
    }
  }

  async function link(conversationId: string, fileId: string) {
    return deps.session.call('chatFileLink', { params: { conversationId, fileId }, body: {} });
  }

  return {
    async upload(request) {
      const bytes = Buffer.from(request.data, 'base64');
      if (bytes.length > CHAT_FILE_LIMITS.defaultMaxBytes)
        throw new ServiceError(
          'payload_too_large',
          `a file may have at most ${CHAT_FILE_LIMITS.defaultMaxBytes} bytes`,
        );
      const abort = new AbortController();
      uploads.set(request.uploadId, abort);
      try {
        let response = await send(request, bytes, abort.signal, await deps.session.accessToken());
        if (response.status === 401) {
          // The server expired the token early (a restart, a revocation): one refresh, one retry.
          await deps.session.refresh();
          response = await send(request, bytes, abort.signal, await deps.session.accessToken());
        }
        if (response.status !== 201) throw await refusal(response);
        return ChatFileSchema.parse(await response.json());
      } finally {
        uploads.delete(request.uploadId);
      }
    },

    cancel(uploadId) {
      uploads.get(uploadId)?.abort();
    },

    async preview(conversationId, fileId) {
      const kept = await deps.db.read('filePreview', fileId);
      if (kept !== null) return `data:${kept.contentType};base64,${Buffer.from(kept.data).toString('base64')}`;
      // The server's small thumbnail, when it makes one: a photo's preview costs kilobytes, not megabytes.
      const { url, thumbnailUrl } = await link(conversationId, fileId);
      let response: Response;
      try {
        response = await fetchImpl(thumbnailUrl ?? url);
      } catch (error) {
        throw new ServiceError('unavailable', `server unreachable: ${error instanceof Error ? error.message : error}`);
      }
      if (!response.ok) throw await refusal(response);
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
      if (!(PREVIEWABLE_TYPES as readonly string[]).includes(contentType))
        throw new ServiceError('bad_request', 'only images have previews');
      const data = new Uint8Array(await response.arrayBuffer());
      if (data.length > CHAT_FILE_LIMITS.previewMaxBytes)
        throw new ServiceError('bad_request', 'the image is too large to preview');
      await deps.db.write('storeFilePreview', { fileId, contentType, data, at: new Date().toISOString() });
      return `data:${contentType};base64,${Buffer.from(data).toString('base64')}`;
    },

    async download(conversationId, fileId) {
      const { downloadUrl } = await link(conversationId, fileId);
      await deps.download(downloadUrl);
    },
  };
}
