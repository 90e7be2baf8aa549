import instantiateSimd from '@sapphi-red/web-noise-suppressor/rnnoise_simd.wasm?init';
import instantiatePlain from '@sapphi-red/web-noise-suppressor/rnnoise.wasm?init';
import { describe, expect, it } from 'vitest';
import { createRnnoise, Reframer, RNNOISE_FRAME } from './rnnoise.ts';

const rms = (samples: Float32Array) => Math.sqrt(samples.reduce((s, v) => s + v * v, 0) / samples.length);
const db = (ratio: number) => 20 * Math.log10(ratio);

/** White noise from a seeded generator (xorshift32), so it is the same every run. */
function noise(length: number, amplitude: number): Float32Array {
  let x = 42;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x / 2 ** 31) * amplitude;
  }
  return out;
}

describe('RNNoise from its wasm', () => {
  it.each([
    ['SIMD', instantiateSimd],
    ['plain', instantiatePlain],
  ])(
    'takes a quiet hiss (-50 dBFS) down by more than 20 dB once it has heard it (%s build)',
    async (_, instantiate) => {
      const rnnoise = await createRnnoise(instantiate);
      const heard = noise(3 * 48_000, 0.003);
      const denoised = heard.slice();
      for (let at = 0; at < denoised.length; at += RNNOISE_FRAME)
        rnnoise.processFrame(denoised.subarray(at, at + RNNOISE_FRAME));
      const lastSecond = (x: Float32Array) => x.subarray(2 * 48_000);
      expect(db(rms(lastSecond(heard)) / rms(lastSecond(denoised)))).toBeGreaterThan(20);
      expect(() => rnnoise.processFrame(new Float32Array(441))).toThrow(/480/);
      rnnoise.destroy();
      expect(() => rnnoise.processFrame(new Float32Array(RNNOISE_FRAME))).toThrow(/destroyed/);
    },
  );

  it('refuses a wasm that is not RNNoise', async () => {
    // The smallest valid module: no exports.
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    await expect(createRnnoise(async () => (await WebAssembly.instantiate(empty)).instance)).rejects.toThrow(
      /not RNNoise/,
    );
  });
});

describe('chunks through 480-sample frames', () => {
  const doubled = () => new Reframer((frame) => frame.forEach((v, i) => (frame[i] = v * 2)));
  const ramp = (from: number, length: number) => Float32Array.from({ length }, (_, i) => from + i);

  it('passes whole frames through with no delay', () => {
    const reframer = doubled();
    for (const from of [0, 480, 960])
      expect([...reframer.push(ramp(from, 480))]).toEqual([...ramp(from, 480)].map((v) => v * 2));
    expect([...reframer.push(ramp(1440, 960))]).toEqual([...ramp(1440, 960)].map((v) => v * 2));
  });

  it('delays other chunk sizes by one frame, every sample kept in order', () => {
    const reframer = doubled();
    const out: number[] = [];
    for (let from = 0; from < 441 * 40; from += 441) {
      const chunk = reframer.push(ramp(from, 441));
      expect(chunk.length).toBe(441);
      out.push(...chunk);
    }
    expect(out.slice(0, RNNOISE_FRAME).every((v) => v === 0)).toBe(true);
    // Everything processed by now, in order, after the frame of silence.
    const processed = Math.floor((441 * 40) / RNNOISE_FRAME) * RNNOISE_FRAME;
    expect(out.slice(RNNOISE_FRAME, processed)).toEqual([...ramp(0, processed - RNNOISE_FRAME)].map((v) => v * 2));
  });
});
