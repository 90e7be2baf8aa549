import { describe, expect, it } from 'vitest';
import { isSilent } from './cameraCheck.ts';

describe('isSilent', () => {
  it('is silent only when both counts are known and none was added', () => {
    expect(isSilent(120, 120)).toBe(true);
    expect(isSilent(120, 121)).toBe(false);
    expect(isSilent(undefined, 5)).toBe(false);
    expect(isSilent(5, undefined)).toBe(false);
  });
});
