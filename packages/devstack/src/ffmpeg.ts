import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { aptInstall, isDebianRoot } from './debian.ts';
import { SetupError } from './setupError.ts';

const DEBIAN_FFMPEG = '/usr/bin/ffmpeg';

/**
 * Finds ffmpeg (with ffprobe beside it), which recording needs: the server remuxes and measures
 * recorded files with it, tests probe them. On Debian as root it installs the `ffmpeg` package
 * when it is missing, as `ensureChromium` does for Chromium.
 */
export function ensureFfmpeg(log: (line: string) => void = () => {}): string {
  if (fs.existsSync(DEBIAN_FFMPEG)) return DEBIAN_FFMPEG;
  const onPath = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (onPath.status === 0) return 'ffmpeg';
  if (isDebianRoot()) {
    aptInstall(['ffmpeg'], log);
    if (fs.existsSync(DEBIAN_FFMPEG)) return DEBIAN_FFMPEG;
  }
  throw new SetupError(
    'ffmpeg is missing (recording needs it): on Debian run `apt-get install ffmpeg` as root; elsewhere install ' +
      'ffmpeg and ffprobe on the PATH.',
  );
}

/** What a test checks in a recorded file. */
export type ProbedMedia = {
  readonly videoCodec: string | undefined;
  readonly audioCodec: string | undefined;
  readonly width: number | undefined;
  readonly height: number | undefined;
  readonly durationMs: number;
};

type FfprobeStream = { codec_type?: string; codec_name?: string; width?: number; height?: number };

export function probeMedia(file: string): ProbedMedia {
  const out = execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', file], {
    encoding: 'utf8',
  });
  const parsed = JSON.parse(out) as { streams?: FfprobeStream[]; format?: { duration?: string } };
  const video = parsed.streams?.find((s) => s.codec_type === 'video');
  const audio = parsed.streams?.find((s) => s.codec_type === 'audio');
  return {
    videoCodec: video?.codec_name,
    audioCodec: audio?.codec_name,
    width: video?.width,
    height: video?.height,
    durationMs: Math.round(Number(parsed.format?.duration ?? 'NaN') * 1000),
  };
}

/** One video frame's raw pixels, as ffmpeg decodes the frame at `seconds`. */
function rawFrame(file: string, seconds: number, pixelFormat: 'gray' | 'rgb24'): Buffer {
  const raw = execFileSync(
    'ffmpeg',
    [
      '-v',
      'error',
      '-ss',
      String(seconds),
      '-i',
      file,
      '-frames:v',
      '1',
      '-f',
      'rawvideo',
      '-pix_fmt',
      pixelFormat,
      '-',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  if (raw.length === 0) throw new Error(`no video frame at ${seconds} s in ${file}`);
  return raw;
}

/** The mean luma (0–255) of the video frame at `seconds`: near 0 for a black frame. */
export function meanLuma(file: string, seconds: number): number {
  const gray = rawFrame(file, seconds, 'gray');
  let sum = 0;
  for (const v of gray) sum += v;
  return sum / gray.length;
}

/** The colour of one pixel of the frame at `seconds` (the file's width is needed to find it). */
export function pixelAt(
  file: string,
  seconds: number,
  frameWidth: number,
  x: number,
  y: number,
): { readonly r: number; readonly g: number; readonly b: number } {
  const rgb = rawFrame(file, seconds, 'rgb24');
  const at = (Math.round(y) * frameWidth + Math.round(x)) * 3;
  return { r: rgb[at] ?? 0, g: rgb[at + 1] ?? 0, b: rgb[at + 2] ?? 0 };
}

/** Saves the frame at `seconds` as a PNG (for people to look at what was recorded). */
export function saveFrame(file: string, seconds: number, png: string): void {
  execFileSync('ffmpeg', ['-v', 'error', '-y', '-ss', String(seconds), '-i', file, '-frames:v', '1', png]);
}

/** The audio's mean volume in dB (ffmpeg volumedetect): about -91 for digital silence. */
export function meanVolumeDb(file: string): number {
  const run = spawnSync(
    'ffmpeg',
    ['-v', 'info', '-i', file, '-map', '0:a:0', '-af', 'volumedetect', '-f', 'null', '-'],
    {
      encoding: 'utf8',
    },
  );
  const match = /mean_volume: (-?[\d.]+) dB/.exec(run.stderr);
  if (match?.[1] === undefined) throw new Error(`no audio volume for ${file}: ${run.stderr.slice(-500)}`);
  return Number(match[1]);
}
