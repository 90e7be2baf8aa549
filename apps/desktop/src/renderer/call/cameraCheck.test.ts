import { describe, expect, it } from 'vitest';
import { isSilent } from './cameraCheck.ts';

describe('isSilent', () => {
  it('is silent when no frame was added in the window', () => {
    expect(isSilent(120, 120)).toBe(true);
    expect(isSilent(120, 121)).toBe(false);
  });

  it('counts a track the stats did not list yet at the start as none, and says nothing without a count at the end', () => {
    expect(isSilent(undefined, 0)).toBe(true);
    expect(isSilent(undefined, 5)).toBe(false);
    expect(isSilent(5, undefined)).toBe(false);
    expect(isSilent(undefined, undefined)).toBe(false);
  });
});
