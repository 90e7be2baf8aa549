import { describe, expect, it } from 'vitest';
import { PROMPT_RATE, espeakVoice, wavSamples } from './prompts.ts';

function wav(samples: readonly number[], rate: number): Buffer {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(s, i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  // espeak-ng writing to a pipe cannot go back to fill the size in: it leaves the maximum.
  header.writeUInt32LE(0xffffffff, 40);
  return Buffer.concat([header, data]);
}

describe('phone prompts', () => {
  it('reads a streamed WAV to its end, whatever its data size says', () => {
    expect(wavSamples(wav([1, -2, 3], 22_050))).toEqual({ samples: Int16Array.from([1, -2, 3]), rate: 22_050 });
    expect(() => wavSamples(Buffer.from('not a wav file at all, really'))).toThrow('not a WAV file');
  });

  it('speaks a prompt with espeak-ng at LiveKit’s rate, once', async () => {
    const voice = espeakVoice('espeak-ng');
    const welcome = await voice('welcome');
    // A sentence of several seconds, not silence.
    expect(welcome.length / PROMPT_RATE).toBeGreaterThan(2);
    expect(Math.max(...welcome.slice(0, PROMPT_RATE * 2).map(Math.abs))).toBeGreaterThan(1000);
    expect(await voice('welcome')).toBe(welcome);
  });

  it('fails a prompt when espeak-ng is missing, and tries again next time', async () => {
    const voice = espeakVoice('/nonexistent/espeak-ng');
    await expect(voice('wait')).rejects.toThrow();
    await expect(voice('wait')).rejects.toThrow();
  });
});
