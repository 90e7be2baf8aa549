import { CHAT_FILE_TYPES, type ChatFileType } from '@tandem/shared';

/** Types by extension, for files the system names no (or an unknown) type for. */
const BY_EXTENSION: Readonly<Record<string, ChatFileType>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  pdf: 'application/pdf',
  txt: 'text/plain',
  log: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  json: 'application/json',
  zip: 'application/zip',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
};

/**
 * The type a file is declared as: the system's when the server takes it, else by its extension,
 * else `application/octet-stream` (the server still refuses a program, whatever it is called).
 */
export function declaredType(name: string, systemType: string): ChatFileType {
  const type = systemType.split(';')[0]?.trim().toLowerCase() ?? '';
  if ((CHAT_FILE_TYPES as readonly string[]).includes(type)) return type as ChatFileType;
  const extension = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';
  return BY_EXTENSION[extension] ?? 'application/octet-stream';
}

/** A pasted image has no name of its own: "Pasted image.png". */
export function nameOf(name: string, type: ChatFileType): string {
  if (name.trim() !== '' && name !== 'image.png') return name;
  const extension = Object.entries(BY_EXTENSION).find(([, t]) => t === type)?.[0] ?? 'bin';
  return `Pasted image.${extension}`;
}

/** Bytes as base64, in slices (a spread of a large array would overflow the call stack). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** "532 B", "14 KB", "3.4 MB". */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** One file being attached in the composer. */
export type Attachment = {
  readonly uploadId: string;
  readonly name: string;
  readonly type: ChatFileType;
  readonly size: number;
  readonly state:
    | { readonly status: 'uploading'; readonly sent: number }
    | { readonly status: 'done'; readonly fileId: string }
    | { readonly status: 'failed'; readonly error: string };
};

/** The upload's progress as a whole percentage (0 until the first bytes). */
export const percentOf = (sent: number, total: number): number =>
  total === 0 ? 100 : Math.min(100, Math.floor((sent / total) * 100));
