import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';

/** Bytes `start` to `end`, both included (as in an HTTP Range header). */
export type ByteRange = { readonly start: number; readonly end: number };

/**
 * Where recordings live, and chat files (another instance over their own folder, `CHAT_FILES_DIR`:
 * an upload is written to its scratch file, then `put`). One interface, so the rest of the server never knows whether files are
 * on local disk (the default, `RECORDINGS_DIR`) or in S3-compatible storage (`s3Storage.ts`). A
 * recording being made is written to a scratch file on local disk by the recorder; `put` takes
 * the finished file in (and off the local disk).
 */
export type RecordingStorage = {
  /** The scratch file the recorder appends to while it records (local disk, always). */
  scratchFile(recordingId: string): string;
  /** Moves a finished file in under `key`; answers its size in bytes. */
  put(key: string, file: string): Promise<number>;
  /** The size of the file under `key`, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  read(key: string, range?: ByteRange): Promise<Readable>;
  /** Removing what is not there is not an error. */
  remove(key: string): Promise<void>;
};

/** Keys are ours (`<organisation>/<recording>.mp4`), but a key never leaves the storage's folder. */
function inside(root: string, key: string): string {
  const file = path.resolve(root, key);
  if (!file.startsWith(root + path.sep)) throw new Error(`storage key outside the storage: ${key}`);
  return file;
}

/** The recorder's scratch files, on local disk whatever the storage: `<dir>/scratch/<id>.part.mp4`. */
export function scratchFiles(dir: string): RecordingStorage['scratchFile'] {
  const scratch = path.join(path.resolve(dir), 'scratch');
  // Made when first needed: a server that never records leaves nothing on disk.
  return (recordingId) => {
    fs.mkdirSync(scratch, { recursive: true });
    return inside(scratch, `${recordingId}.part.mp4`);
  };
}

export function localRecordingStorage(dir: string): RecordingStorage {
  const files = path.join(path.resolve(dir), 'files');

  return {
    scratchFile: scratchFiles(dir),

    async put(key, file) {
      const target = inside(files, key);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      await fsp.rename(file, target);
      return (await fsp.stat(target)).size;
    },

    async size(key) {
      try {
        return (await fsp.stat(inside(files, key))).size;
      } catch {
        return undefined;
      }
    },

    read: async (key, range) =>
      fs.createReadStream(inside(files, key), range === undefined ? {} : { start: range.start, end: range.end }),

    async remove(key) {
      await fsp.rm(inside(files, key), { force: true });
    },
  };
}
