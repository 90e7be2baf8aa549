import { spawn } from 'node:child_process';

/** What the phone agent says to a caller. */
export const PROMPTS = {
  welcome: 'Welcome to Tandem. Please enter your meeting PIN, then press the hash key.',
  wrong: 'That PIN is not valid. Please try again.',
  blocked: 'Too many wrong PINs from this number. Please try again later. Goodbye.',
  closed: 'This meeting is not taking callers right now. Goodbye.',
  wait: 'Thank you. Please wait, a host will let you in shortly.',
  denied: 'Sorry, you were not let into this meeting. Goodbye.',
} as const;
export type PromptName = keyof typeof PROMPTS;

/** Prompts are played at LiveKit's own rate, mono. */
export const PROMPT_RATE = 48_000;

/** Linear resampling: speech prompts need nothing finer. */
function resample(samples: Int16Array, from: number, to: number): Int16Array {
  if (from === to) return samples;
  const out = new Int16Array(Math.floor((samples.length * to) / from));
  for (let i = 0; i < out.length; i += 1) {
    const at = (i * from) / to;
    const j = Math.floor(at);
    const a = samples[j] ?? 0;
    const b = samples[j + 1] ?? a;
    out[i] = Math.round(a + (b - a) * (at - j));
  }
  return out;
}

/** The samples and rate of a PCM WAV file (espeak-ng writes 16-bit mono). */
export function wavSamples(wav: Buffer): { samples: Int16Array; rate: number } {
  if (wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE')
    throw new Error('not a WAV file');
  let rate = 0;
  for (let at = 12; at + 8 <= wav.length;) {
    const id = wav.toString('ascii', at, at + 4);
    // espeak-ng streaming to stdout leaves the data size at its maximum: read to the end.
    const size = Math.min(wav.readUInt32LE(at + 4), wav.length - at - 8);
    if (id === 'fmt ') rate = wav.readUInt32LE(at + 12);
    if (id === 'data') {
      const bytes = wav.subarray(at + 8, at + 8 + size - (size % 2));
      const samples = new Int16Array(bytes.length / 2);
      for (let i = 0; i < samples.length; i += 1) samples[i] = bytes.readInt16LE(i * 2);
      return { samples, rate };
    }
    at += 8 + size + (size % 2);
  }
  throw new Error('WAV file without data');
}

export type Voice = (name: PromptName) => Promise<Int16Array>;

/**
 * Speaks prompts with espeak-ng (`espeak`), once each: the samples are kept for every later call.
 * A missing espeak-ng fails the first prompt, which the phone service logs.
 */
export function espeakVoice(espeak: string): Voice {
  const cache = new Map<PromptName, Promise<Int16Array>>();
  const synthesise = (text: string): Promise<Int16Array> =>
    new Promise((resolve, reject) => {
      const child = spawn(espeak, ['-s', '150', '--stdout', text], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (c: Buffer) => chunks.push(c));
      child.once('error', reject);
      child.once('close', (code) => {
        if (code !== 0) return reject(new Error(`espeak-ng exited with ${String(code)}`));
        try {
          const { samples, rate } = wavSamples(Buffer.concat(chunks));
          resolve(resample(samples, rate, PROMPT_RATE));
        } catch (e) {
          reject(e instanceof Error ? e : new Error(String(e)));
        }
      });
    });
  return (name) => {
    let samples = cache.get(name);
    if (samples === undefined) {
      samples = synthesise(PROMPTS[name]);
      cache.set(name, samples);
      samples.catch(() => cache.delete(name));
    }
    return samples;
  };
}
