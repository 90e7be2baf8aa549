import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { aptInstall, isDebianRoot } from './debian.ts';
import { ensureFfmpeg } from './ffmpeg.ts';
import { repoRoot, toolsDir } from './paths.ts';
import { SetupError } from './setupError.ts';
import { ensurePinnedVenv } from './venv.ts';

/** The speech sidecar (tools/speech): its script, its pinned packages and the venv they go into. */
export const speechSidecar = path.join(repoRoot, 'tools', 'speech', 'sidecar.py');
const requirements = path.join(repoRoot, 'tools', 'speech', 'requirements.txt');
const venvDir = path.join(toolsDir, 'speech-venv');
/** The venv's Python, which runs the sidecar. */
export const speechPython = path.join(venvDir, 'bin', 'python');
/** The wheels in requirements.txt are for these CPython versions. */
const SUPPORTED = ['3.11', '3.12', '3.13'];

/**
 * Makes the speech sidecar's Python venv in .tools/speech-venv from tools/speech/requirements.txt
 * (see venv.ts). Returns the venv's Python.
 */
export function ensureSpeech(log: (line: string) => void = () => {}): string {
  return ensurePinnedVenv(
    { purpose: 'captions', requirements, dir: venvDir, pythons: SUPPORTED, preferred: process.env['SPEECH_PYTHON'] },
    log,
  );
}

/** espeak-ng, which the captions test speaks its sentences with. On Debian as root, installed when missing. */
export function ensureEspeak(log: (line: string) => void = () => {}): string {
  const found = (): boolean => spawnSync('espeak-ng', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!found() && isDebianRoot()) aptInstall(['espeak-ng'], log);
  if (!found()) {
    throw new SetupError('espeak-ng is missing (the captions test speaks with it): run `apt-get install espeak-ng`.');
  }
  return 'espeak-ng';
}

/** Spoken sentences for the captions tests: a WAV file Chromium can play as its microphone, and its samples. */
export type Speech = { readonly wav: string; readonly pcm: Int16Array; readonly rate: number };

/**
 * Says `sentences` with espeak-ng into `wav` (48 kHz mono, 16 bit), with `pauseMs` of silence
 * before, between and after them (so each is its own utterance). espeak-ng and ffmpeg are ensured first.
 */
export function speak(sentences: readonly string[], wav: string, pauseMs = 1200): Speech {
  const rate = 48_000;
  const espeak = ensureEspeak();
  const ffmpeg = ensureFfmpeg();
  const silence = Buffer.alloc(Math.round((rate * pauseMs) / 1000) * 2);
  const parts: Buffer[] = [silence];
  for (const [i, sentence] of sentences.entries()) {
    const one = `${wav}.${i}.wav`;
    const said = spawnSync(espeak, ['-s', '150', '-w', one, sentence]);
    if (said.status !== 0) throw new SetupError(`espeak-ng could not say "${sentence}": ${String(said.stderr)}`);
    const pcm = spawnSync(ffmpeg, ['-v', 'error', '-i', one, '-ar', String(rate), '-ac', '1', '-f', 's16le', '-'], {
      maxBuffer: 64 * 1024 * 1024,
    });
    fs.rmSync(one, { force: true });
    if (pcm.status !== 0) throw new SetupError(`ffmpeg could not read espeak-ng's file: ${String(pcm.stderr)}`);
    parts.push(pcm.stdout, silence);
  }
  const data = Buffer.concat(parts);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  fs.writeFileSync(wav, Buffer.concat([header, data]));
  return { wav, pcm: new Int16Array(data.buffer, data.byteOffset, data.length / 2), rate };
}
