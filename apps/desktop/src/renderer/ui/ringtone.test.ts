import { describe, expect, it } from 'vitest';
import { ring, ringBursts, type RingAudio } from './ringtone.ts';

/** Web Audio as the ring uses it, recorded (no sound card in a unit test; Chromium plays the real one). */
function recordingAudio(currentTime: number) {
  const log: string[] = [];
  const node = (name: string) => ({
    connect: () => void log.push(`${name} connected`),
    disconnect: () => void log.push(`${name} disconnected`),
  });
  const param = (name: string) => ({
    value: 0,
    setValueAtTime: (v: number, at: number) => void log.push(`${name} ${v} at ${at.toFixed(2)}`),
    linearRampToValueAtTime: (v: number, at: number) => void log.push(`${name} ramp ${v} at ${at.toFixed(2)}`),
  });
  const audio = {
    currentTime,
    destination: {},
    createGain: () => ({ ...node('gain'), gain: param('gain') }),
    createOscillator: () => {
      const o = {
        ...node('oscillator'),
        frequency: { value: 0 },
        start: (at: number) => void log.push(`${o.frequency.value} Hz from ${at}`),
        stop: (at: number) => void log.push(`${o.frequency.value} Hz until ${at.toFixed(1)}`),
      };
      return o;
    },
    close: async () => void log.push('closed'),
  };
  return { audio: audio as unknown as RingAudio, log };
}

describe('the ring', () => {
  it('is two bursts every three seconds for as long as it may ring', () => {
    expect(ringBursts(7)).toEqual([
      { at: 0, seconds: 0.4 },
      { at: 0.6, seconds: 0.4 },
      { at: 3, seconds: 0.4 },
      { at: 3.6, seconds: 0.4 },
      { at: 6, seconds: 0.4 },
      { at: 6.6, seconds: 0.4 },
    ]);
    expect(ringBursts(0)).toEqual([]);
    expect(ringBursts(3.5)).toHaveLength(3);
  });

  it('plays 440 and 480 Hz on the audio clock until the last burst, and stopping silences and closes it once', () => {
    const { audio, log } = recordingAudio(10);
    const stop = ring(audio, 4);
    expect(log).toContain('440 Hz from 10');
    expect(log).toContain('480 Hz from 10');
    expect(log).toContain('440 Hz until 14.0');
    expect(log).toContain('gain ramp 0.12 at 13.02');
    expect(log.filter((l) => l === 'closed')).toEqual([]);
    stop();
    stop();
    expect(log.filter((l) => l === 'closed')).toHaveLength(1);
    expect(log.filter((l) => l.endsWith('disconnected'))).toHaveLength(3);
  });
});
