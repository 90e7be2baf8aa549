import { encodePng } from './png.ts';

/**
 * The count Windows shows over the app's taskbar button (`BrowserWindow.setOverlayIcon`, whose
 * image the shell draws at 16×16 and larger): a red disc with the count in white, "9+" above nine,
 * as Teams and Slack draw theirs. A PNG made here in Node (no Electron, no image library), so
 * it is tested like any other function; platform/electron.ts only wraps it in a nativeImage.
 */

/** 3×5 pixel glyphs, a row a string: the digits and the plus of "9+". */
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '.#.', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '+': ['...', '.#.', '###', '.#.', '...'],
};
const GLYPH_W = 3;
const GLYPH_H = 5;

/** The badge's red (Teams'), also the tray icon's unread dot. */
export const BADGE_RED = [0xc4, 0x31, 0x4b] as const;

/**
 * How much of pixel (x, y) a disc centred at (cx, cy) with radius r covers, 0 to 1: its edge
 * shaded, for a smooth rim at 16 px.
 */
export function discCoverage(x: number, y: number, cx: number, cy: number, r: number): number {
  const d = Math.hypot(x + 0.5 - cx, y + 0.5 - cy);
  return Math.max(0, Math.min(1, r - d + 0.5));
}

/** What the badge says: the count, "9+" above nine; nothing for none. */
export function badgeLabel(count: number): string {
  if (!Number.isInteger(count) || count <= 0) return '';
  return count > 9 ? '9+' : String(count);
}

/** The badge's pixels, RGBA rows top to bottom: a disc filling the square, the label centred in it. */
export function badgePixels(count: number, size: number): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const r = size / 2;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      pixels.set([...BADGE_RED, Math.round(discCoverage(x, y, r, r, r) * 255)], i);
    }
  }
  const label = badgeLabel(count);
  if (label === '') return pixels;
  // The largest whole scale at which the label fits in the disc's middle (60% of its width and height).
  const gap = 1;
  const width = label.length * GLYPH_W + (label.length - 1) * gap;
  const scale = Math.max(1, Math.floor((size * 0.6) / Math.max(width, GLYPH_H)));
  const left = Math.floor((size - width * scale) / 2);
  const top = Math.floor((size - GLYPH_H * scale) / 2);
  [...label].forEach((char, n) => {
    const glyph = GLYPHS[char] ?? [];
    glyph.forEach((row, gy) => {
      [...row].forEach((cell, gx) => {
        if (cell !== '#') return;
        for (let sy = 0; sy < scale; sy++) {
          for (let sx = 0; sx < scale; sx++) {
            const x = left + (n * (GLYPH_W + gap) + gx) * scale + sx;
            const y = top + gy * scale + sy;
            pixels.set([0xff, 0xff, 0xff, 0xff], (y * size + x) * 4);
          }
        }
      });
    });
  });
  return pixels;
}

/** The taskbar's count badge as a PNG, `size` pixels square (32 by default: crisp at 150% scaling too). */
export function badgePng(count: number, size = 32): Buffer {
  return encodePng(badgePixels(count, size), size, size);
}
