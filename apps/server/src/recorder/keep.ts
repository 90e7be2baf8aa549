import fsp from 'node:fs/promises';
import type { MediaTools } from './media.ts';
import type { RecordingStorage } from './storage.ts';

export type KeptFile = { readonly storageKey: string; readonly sizeBytes: number; readonly durationMs: number | null };

/**
 * Takes what the recorder wrote for `recordingId` into storage under `storageKey`: remuxed into a
 * plain MP4 when ffmpeg can read it, as written when only ffprobe can (a partial file is still the
 * part that was recorded). Null, and nothing kept, when the recorder wrote nothing playable.
 */
export async function keepScratch(
  storage: RecordingStorage,
  media: MediaTools,
  recordingId: string,
  storageKey: string,
): Promise<KeptFile | null> {
  const scratch = storage.scratchFile(recordingId);
  const written = await fsp.stat(scratch).then(
    (s) => s.size,
    () => 0,
  );
  if (written === 0) {
    await fsp.rm(scratch, { force: true });
    return null;
  }
  const finished = scratch.replace(/\.part\.mp4$/, '.mp4');
  const remuxed = await media.remux(scratch, finished);
  const file = remuxed ? finished : scratch;
  const durationMs = (await media.durationMs(file)) ?? null;
  if (!remuxed && durationMs === null) {
    // Not even ffprobe reads it (the file's header alone, before the first picture): nothing to play.
    await fsp.rm(scratch, { force: true });
    return null;
  }
  const sizeBytes = await storage.put(storageKey, file);
  if (remuxed) await fsp.rm(scratch, { force: true });
  return { storageKey, sizeBytes, durationMs };
}
