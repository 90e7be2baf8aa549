import { describe, expect, it } from 'vitest';
import { badgeLabel, badgePixels, badgePng } from './badgeImage.ts';
import { decodePng } from './png.ts';

/** Reads back a PNG this module wrote (services/png.ts checks its chunks' checksums). */
function decode(png: Buffer): { width: number; height: number; pixel: (x: number, y: number) => number[] } {
  const { width, height, pixels } = decodePng(png);
  const pixel = (x: number, y: number) => [...pixels.subarray((y * width + x) * 4, (y * width + x) * 4 + 4)];
  return { width, height, pixel };
}

const WHITE = [255, 255, 255, 255];
const RED = [0xc4, 0x31, 0x4b, 255];

describe('the taskbar’s count badge (Windows overlay icon)', () => {
  it('says the count, "9+" above nine, and nothing for none', () => {
    expect([0, 1, 9, 10, 250].map(badgeLabel)).toEqual(['', '1', '9', '9+', '9+']);
    expect(badgeLabel(-1)).toBe('');
  });

  it('is a valid 32×32 PNG: a red disc, transparent corners, the count in white', () => {
    const { width, height, pixel } = decode(badgePng(8));
    expect([width, height]).toEqual([32, 32]);
    expect(pixel(0, 0)[3]).toBe(0);
    expect(pixel(31, 31)[3]).toBe(0);
    expect(pixel(16, 2)).toEqual(RED);
    // "8" is a 3×5 glyph scaled 3× from (11, 8): bars across the middle column, open between them.
    expect(pixel(16, 8)).toEqual(WHITE);
    expect(pixel(16, 12)).toEqual(RED);
    expect(pixel(16, 16)).toEqual(WHITE);
  });

  it('draws other counts differently, and a 16×16 one for small taskbars', () => {
    expect(badgePng(1).equals(badgePng(2))).toBe(false);
    expect(badgePng(12).equals(badgePng(99))).toBe(true);
    const small = decode(badgePng(3, 16));
    expect([small.width, small.height]).toEqual([16, 16]);
    expect(badgePixels(3, 16).length).toBe(16 * 16 * 4);
    expect(small.pixel(8, 8)).toEqual(WHITE);
  });
});
