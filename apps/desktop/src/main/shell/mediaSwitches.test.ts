import { describe, expect, it } from 'vitest';
import { KEYFRAME_MIN_INTERVAL_MS, MEDIA_SWITCHES, mediaSwitchArgs } from './mediaSwitches.ts';

describe('media switches', () => {
  it('asks WebRTC for keyframes at most every KEYFRAME_MIN_INTERVAL_MS, in field-trial syntax', () => {
    const trials = new Map(MEDIA_SWITCHES).get('force-fieldtrials');
    // Chromium's syntax: "Trial/Group/" pairs, the whole string ending with a slash.
    expect(trials).toMatch(/^([^/]+\/[^/]+\/)+$/);
    expect(trials).toBe(`WebRTC-KeyframeInterval/min_keyframe_send_interval_ms:${KEYFRAME_MIN_INTERVAL_MS}/`);
    expect(KEYFRAME_MIN_INTERVAL_MS).toBeLessThan(300);
  });

  it('gives a Chromium outside Electron the same switches as arguments', () => {
    expect(mediaSwitchArgs()).toEqual([
      `--force-fieldtrials=WebRTC-KeyframeInterval/min_keyframe_send_interval_ms:${KEYFRAME_MIN_INTERVAL_MS}/`,
    ]);
  });
});
