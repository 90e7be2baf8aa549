import { describe, expect, it } from 'vitest';
import { acceptedEncodings } from './webAssets.ts';

describe('acceptedEncodings', () => {
  it('answers ours that the header takes, best first, whatever its order', () => {
    expect(acceptedEncodings('gzip, deflate, br, zstd')).toEqual(['br', 'gzip']);
    expect(acceptedEncodings('gzip;q=0.8')).toEqual(['gzip']);
    expect(acceptedEncodings('*')).toEqual(['br', 'gzip']);
  });

  it('refuses a coding given q=0, and takes none without the header', () => {
    expect(acceptedEncodings('br;q=0, gzip')).toEqual(['gzip']);
    expect(acceptedEncodings('BR; Q=0.0, GZIP;q=0')).toEqual([]);
    expect(acceptedEncodings('identity')).toEqual([]);
    expect(acceptedEncodings(undefined)).toEqual([]);
  });
});
