import type { ChatFileType } from '@tandem/shared';

/** How many leading bytes `sniff` looks at. */
export const SNIFF_BYTES = 4096;

const startsWith = (head: Uint8Array, bytes: readonly number[], at = 0): boolean =>
  bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string): number[] => [...text].map((c) => c.charCodeAt(0));

/** Programs whatever they are called: PE (MZ), ELF, Mach-O (both byte orders, fat), a `#!` script. */
function isProgram(head: Uint8Array): boolean {
  return (
    startsWith(head, ascii('MZ')) ||
    startsWith(head, [0x7f, 0x45, 0x4c, 0x46]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xce]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(head, [0xce, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xca, 0xfe, 0xba, 0xbe]) ||
    startsWith(head, ascii('#!'))
  );
}

const isZip = (head: Uint8Array): boolean =>
  startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]);

/** Text: no NUL byte and valid UTF-8 (a multi-byte character cut at the end of the head is fine). */
function isText(head: Uint8Array, whole: boolean): boolean {
  if (head.includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(whole ? head : head.subarray(0, Math.max(0, head.length - 3)));
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a file's first bytes (`head`, at most SNIFF_BYTES; `whole` when that is the whole file)
 * are what its declared type says. Images, PDF, zip-based documents, MP3 and MP4 carry their
 * signature; text types must decode as UTF-8 without NUL bytes; `application/octet-stream` is
 * anything that is not a program. A program is refused whatever it is declared as.
 */
export function contentMatches(type: ChatFileType, head: Uint8Array, whole: boolean): boolean {
  if (isProgram(head)) return false;
  switch (type) {
    case 'image/png':
      return startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    case 'image/jpeg':
      return startsWith(head, [0xff, 0xd8, 0xff]);
    case 'image/gif':
      return startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'));
    case 'image/webp':
      return startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8);
    case 'application/pdf':
      return startsWith(head, ascii('%PDF-'));
    case 'application/zip':
    case 'application/vnd.openxmlformats-officedocument.wordprocessingml.document':
    case 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet':
    case 'application/vnd.openxmlformats-officedocument.presentationml.presentation':
      return isZip(head);
    case 'audio/mpeg':
      return startsWith(head, ascii('ID3')) || (head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0);
    case 'video/mp4':
      return startsWith(head, ascii('ftyp'), 4);
    case 'text/plain':
    case 'text/csv':
    case 'text/markdown':
    case 'application/json':
      return isText(head, whole);
    case 'application/octet-stream':
      return true;
    default: {
      const never: never = type;
      throw new Error(`unknown file type ${String(never)}`);
    }
  }
}
