import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';

export type MediaTools = {
  /**
   * Copies the streams (no re-encoding) into a plain MP4 with its index up front, so it plays and
   * seeks at once. Reads a partial file too (a recorder that crashed): the streams up to the
   * last whole fragment. False when ffmpeg finds nothing to copy; `output` is absent then.
   */
  remux(input: string, output: string): Promise<boolean>;
  /** The duration ffprobe reads, or undefined when it cannot read the file. */
  durationMs(file: string): Promise<number | undefined>;
};

/** Nothing this short-running should take longer; a stuck tool must not hold a recording forever. */
const TOOL_TIMEOUT_MS = 10 * 60 * 1000;

function run(command: string, args: readonly string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: TOOL_TIMEOUT_MS, maxBuffer: 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ ok: error === null, stdout, stderr }),
    );
  });
}

/** ffmpeg and ffprobe as child processes (Debian's `ffmpeg` package has both). */
export function mediaTools(paths: { readonly ffmpeg: string; readonly ffprobe: string }): MediaTools {
  return {
    async remux(input, output) {
      const { ok } = await run(paths.ffmpeg, [
        '-v',
        'error',
        '-y',
        '-i',
        input,
        '-map',
        '0',
        '-c',
        'copy',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
        output,
      ]);
      if (ok) return true;
      await fsp.rm(output, { force: true });
      return false;
    },

    async durationMs(file) {
      const { ok, stdout } = await run(paths.ffprobe, [
        '-v',
        'error',
        '-show_entries',
        'format=duration',
        '-of',
        'default=noprint_wrappers=1:nokey=1',
        file,
      ]);
      const seconds = Number(stdout.trim());
      return ok && Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
    },
  };
}
