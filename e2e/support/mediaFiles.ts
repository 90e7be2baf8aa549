import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureFfmpeg, speak } from '@tandem/devstack';

/**
 * The fake camera's picture: a drawn person (face, hair, neck, shoulders) in front of a fine
 * checkerboard. MediaPipe's selfie segmentation finds the person in it (confidence 1 on the face,
 * 0 on the board); the board's fine detail is what a blur removes.
 */
const PERSON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="1280" height="720" viewBox="0 0 1280 720">
<defs><pattern id="bg" width="48" height="48" patternUnits="userSpaceOnUse">
<rect width="48" height="48" fill="#2f6fb0"/><rect width="24" height="24" fill="#f0d040"/><rect x="24" y="24" width="24" height="24" fill="#d04040"/>
</pattern><radialGradient id="skin" cx="0.45" cy="0.4" r="0.7"><stop offset="0" stop-color="#f1c7a5"/><stop offset="1" stop-color="#c98f6b"/></radialGradient></defs>
<rect width="1280" height="720" fill="url(#bg)"/>
<path d="M360 720 C 370 560, 470 500, 560 480 L 720 480 C 810 500, 910 560, 920 720 Z" fill="#2f3a4a"/>
<rect x="590" y="400" width="100" height="100" fill="#d9a583"/>
<ellipse cx="640" cy="280" rx="135" ry="160" fill="#3a2a1e"/>
<ellipse cx="640" cy="310" rx="115" ry="145" fill="url(#skin)"/>
<ellipse cx="522" cy="320" rx="16" ry="30" fill="#d9a583"/><ellipse cx="758" cy="320" rx="16" ry="30" fill="#d9a583"/>
<ellipse cx="595" cy="295" rx="16" ry="10" fill="#fff"/><ellipse cx="685" cy="295" rx="16" ry="10" fill="#fff"/>
<circle cx="595" cy="295" r="7" fill="#3b2a1a"/><circle cx="685" cy="295" r="7" fill="#3b2a1a"/>
<path d="M570 268 Q 595 255 620 266 M660 266 Q 685 255 710 268" stroke="#3a2a1e" stroke-width="8" fill="none"/>
<path d="M640 300 L 628 360 L 650 362" stroke="#b07a5a" stroke-width="5" fill="none"/>
<path d="M600 398 Q 640 420 680 398" stroke="#9c4a4a" stroke-width="8" fill="none"/>
<path d="M505 280 C 510 150, 770 150, 775 280 C 740 200, 540 200, 505 280 Z" fill="#3a2a1e"/>
</svg>`;

function ffmpeg(args: readonly string[], what: string): void {
  const run = spawnSync(ensureFfmpeg(), ['-v', 'error', ...args]);
  if (run.status !== 0) throw new Error(`ffmpeg could not make ${what}: ${String(run.stderr)}`);
}

/**
 * A y4m of the drawn person at this size (ten frames; Chromium loops it), for
 * `--use-file-for-fake-video-capture`. `light` below 1 darkens it (a dim room).
 */
export function personVideo(folder: string, width: number, height: number, light = 1): string {
  const svg = path.join(folder, 'person.svg');
  fs.writeFileSync(svg, PERSON_SVG);
  const y4m = path.join(folder, `person-${width}x${height}-${light}.y4m`);
  const dim = `colorchannelmixer=rr=${light}:gg=${light}:bb=${light}`;
  ffmpeg(
    ['-i', svg, '-vf', `scale=${width}:${height},${dim},loop=loop=9:size=1,format=yuv420p`, '-r', '10', y4m],
    'the video',
  );
  return y4m;
}

/**
 * A WAV of three sentences (espeak-ng, `speak`) with white noise under all of it, for
 * `--use-file-for-fake-audio-capture`: the pauses between sentences are noise alone.
 */
export function noisySpeech(folder: string): string {
  const { wav: speech } = speak(
    ['The quarterly numbers look good.', 'We ship the new version on Monday.', 'Thank you all for coming.'],
    path.join(folder, 'speech.wav'),
  );
  const wav = path.join(folder, 'noisy.wav');
  ffmpeg(
    [
      '-i',
      speech,
      '-f',
      'lavfi',
      '-i',
      'anoisesrc=color=white:amplitude=0.04:sample_rate=48000',
      '-filter_complex',
      '[0][1]amix=inputs=2:duration=first:normalize=0',
      '-ar',
      '48000',
      '-ac',
      '1',
      wav,
    ],
    'the noisy speech',
  );
  return wav;
}

/** A PNG of one colour (ffmpeg's colour source), for choosing one's own background picture. */
export function solidPicture(folder: string, colour: string): string {
  const png = path.join(folder, `picture-${colour}.png`);
  ffmpeg(['-f', 'lavfi', '-i', `color=c=${colour}:s=640x360`, '-frames:v', '1', png], 'the picture');
  return png;
}
