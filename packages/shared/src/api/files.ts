import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * Files in chat: uploaded into a conversation (`SPECIAL_PATHS.chatFileUpload`, the bytes as the
 * raw body, the name in `?name=`, the type in `Content-Type`), then attached to one message of the
 * person who uploaded them (`SendMessageRequest.files`). Read through a short-lived link
 * (`chatFileLink`) by whoever may read the conversation.
 */
export const CHAT_FILE_LIMITS = {
  /** The server's default upload limit (`CHAT_FILE_MAX_BYTES`); more answers 413 `payload_too_large`. */
  defaultMaxBytes: 100 * 1024 * 1024,
  /** A name's length in characters, after trimming. */
  nameChars: 200,
  /** Files one message carries. */
  perMessage: 10,
  /** Images up to this size are previewed inline; larger ones show as a file. */
  previewMaxBytes: 10 * 1024 * 1024,
} as const;

/**
 * The types a file may be declared as. Anything else answers 415 `unsupported_media_type`, and so
 * does content that is not what it is declared as (an image whose bytes are not that image, text
 * with NUL bytes) or that is a program whatever it is called (PE, ELF, Mach-O, a `#!` script).
 */
export const CHAT_FILE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/json',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'audio/mpeg',
  'video/mp4',
  'application/octet-stream',
] as const;
export const ChatFileTypeSchema = lazySchema(() => z.enum(CHAT_FILE_TYPES));
export type ChatFileType = z.infer<typeof ChatFileTypeSchema>;

/** Images shown inline (previews); every other type is offered as a download only. */
export const PREVIEWABLE_TYPES: readonly ChatFileType[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/**
 * A file's name as people gave it: trimmed, 1 to `nameChars` characters, no control characters,
 * no path separators, not `.` or `..`. Anything else answers 400.
 */
export const ChatFileNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(CHAT_FILE_LIMITS.nameChars)
    .refine((name) => !/[\p{Cc}\p{Cf}/\\]/u.test(name), 'no control characters or path separators')
    .refine((name) => !/^\.+$/.test(name), 'not a file name'),
);

/** A file as a message carries it. */
export const ChatFileRefSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    name: z.string(),
    contentType: ChatFileTypeSchema,
    sizeBytes: z.number().int().nonnegative(),
  }),
);
export type ChatFileRef = z.infer<typeof ChatFileRefSchema>;

/** The answer to an upload: the file, not yet attached to a message. */
export const ChatFileSchema = lazySchema(() =>
  ChatFileRefSchema.extend({
    conversationId: IdSchema,
    uploadedBy: IdSchema,
    createdAt: TimestampSchema,
  }),
);
export type ChatFile = z.infer<typeof ChatFileSchema>;

/** `?name=` of an upload. */
export const ChatFileUploadQuerySchema = lazySchema(() => z.strictObject({ name: ChatFileNameSchema }));

/**
 * A short-lived address of a file: `url` shows it (images inline), `downloadUrl` saves it,
 * `thumbnailUrl` shows an image small.
 */
export const ChatFileLinkSchema = lazySchema(() =>
  z.object({
    url: z.string(),
    downloadUrl: z.string(),
    /** An image's thumbnail (WebP, at most 640 px a side), made by the server; null for other files. */
    thumbnailUrl: z.string().nullable(),
    expiresAt: TimestampSchema,
  }),
);
export type ChatFileLink = z.infer<typeof ChatFileLinkSchema>;
