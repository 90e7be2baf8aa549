import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePng, encodePng } from './png.ts';

/** A PNG of `width`×`height` RGBA pixels whose rows are given already filtered (a filter byte first). */
function pngOfRows(width: number, height: number, rows: readonly (readonly number[])[]): Buffer {
  const plain = encodePng(new Uint8Array(width * height * 4), width, height);
  // Same header; the image data swapped for the given rows.
  const header = plain.subarray(0, 8 + 25);
  const data = zlib.deflateSync(Buffer.from(rows.flat()));
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write('IDAT', 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([header, head, data, crc, plain.subarray(plain.length - 12)]);
}

describe('PNG files in and out (the icons main draws)', () => {
  it('reads back what it wrote', () => {
    const pixels = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    expect(decodePng(encodePng(pixels, 3, 2))).toEqual({ width: 3, height: 2, pixels });
  });

  it('undoes each of the five row filters (worked by hand for a 2×2 image)', () => {
    // Pixels A B / C D: A (10,20,30,255) B (40,60,80,255) C (15,25,35,255) D (50,50,50,128).
    const want = [10, 20, 30, 255, 40, 60, 80, 255, 15, 25, 35, 255, 50, 50, 50, 128];
    // Row 0 with Sub (1): B stored as B − A. Row 1 with Up (2): C − A, D − B (mod 256).
    const subUp = pngOfRows(2, 2, [
      [1, 10, 20, 30, 255, 30, 40, 50, 0],
      [2, 5, 5, 5, 0, 10, 246, 226, 129],
    ]);
    expect([...decodePng(subUp).pixels]).toEqual(want);
    // Row 0 with None (0). Row 1 with Average (3): C − ⌊A/2⌋ (no left), D − ⌊(C + B)/2⌋.
    const average = pngOfRows(2, 2, [
      [0, 10, 20, 30, 255, 40, 60, 80, 255],
      [3, 10, 15, 20, 128, 23, 8, 249, 129],
    ]);
    expect([...decodePng(average).pixels]).toEqual(want);
    // Row 1 with Paeth (4): C predicted by A (left and up-left are 0); D by whichever of C, B, A is nearest C + B − A.
    // Red: 15+40−10 = 45 → B (40): 10. Green: 25+60−20 = 65 → B (60): 246 is −10. Blue: 35+80−30 = 85 → B (80): 226 is −30. Alpha: 255+255−255 → C (255): 129 is −127.
    const paeth = pngOfRows(2, 2, [
      [0, 10, 20, 30, 255, 40, 60, 80, 255],
      [4, 5, 5, 5, 0, 10, 246, 226, 129],
    ]);
    expect([...decodePng(paeth).pixels]).toEqual(want);
  });

  it('reads the app’s own icon (its rows use several filters): transparent corners, coloured middle', () => {
    const icon = decodePng(
      fs.readFileSync(path.resolve(import.meta.dirname, '../../../../../resources/icons/32x32.png')),
    );
    expect([icon.width, icon.height]).toEqual([32, 32]);
    expect(icon.pixels[3]).toBe(0);
    const middle = (16 * 32 + 16) * 4;
    expect(icon.pixels[middle + 3]).toBe(255);
  });

  it('refuses a damaged file and one it does not read', () => {
    const good = encodePng(new Uint8Array(4), 1, 1);
    const damaged = Buffer.from(good);
    damaged[damaged.length - 20] = (damaged[damaged.length - 20] ?? 0) ^ 0xff;
    expect(() => decodePng(damaged)).toThrow(/damaged/);
    expect(() => decodePng(Buffer.from('GIF89a'))).toThrow('not a PNG file');
  });
});
