import { describe, expect, it } from 'vitest';
import { containedRect, lengthToPixels, toNormalized, toNormalizedClamped, toPixels, type Rect } from './frame.ts';

const FULL_HD = { width: 1920, height: 1080 };
const box = (width: number, height: number, left = 0, top = 0): Rect => ({ left, top, width, height });

describe('containedRect', () => {
  it('letterboxes a wide frame in a square box (bars top and bottom)', () => {
    expect(containedRect(FULL_HD, box(800, 800))).toEqual({ left: 0, top: 175, width: 800, height: 450 });
  });

  it('pillarboxes a wide frame in a wider box (bars left and right), offset by the box position', () => {
    expect(containedRect(FULL_HD, box(2000, 900, 10, 20))).toEqual({ left: 210, top: 20, width: 1600, height: 900 });
  });
});

describe('pixel ⇄ normalised', () => {
  it('a point drawn at one window size lands within a pixel at other sizes and aspect ratios', () => {
    const drawnAt = containedRect(FULL_HD, box(800, 800));
    const clicked = { x: 213, y: 388 };
    // Where the clicked spot of the screen is, as a fraction of the frame, computed independently.
    const fraction = { x: (213 - 0) / 800, y: (388 - 175) / 450 };
    const normalized = toNormalized(clicked, drawnAt);
    expect(normalized).not.toBeNull();
    if (normalized === null) return;
    for (const [width, height] of [
      [1000, 500],
      [333, 777],
      [3840, 2160],
      [1280, 1024],
      [7680, 1080],
    ] as const) {
      const shownAt = containedRect(FULL_HD, box(width, height, 37, 11));
      const landed = toPixels(normalized, shownAt);
      expect(Math.abs(landed.x - (shownAt.left + fraction.x * shownAt.width))).toBeLessThan(1);
      expect(Math.abs(landed.y - (shownAt.top + fraction.y * shownAt.height))).toBeLessThan(1);
    }
  });

  it('round-trips pixels of the painted frame to within a pixel', () => {
    const painted = containedRect(FULL_HD, box(1366, 768, 5, 40));
    for (const pixel of [
      { x: painted.left, y: painted.top },
      { x: painted.left + painted.width, y: painted.top + painted.height },
      { x: 700.3, y: 400.8 },
    ]) {
      const back = toPixels(toNormalizedClamped(pixel, painted), painted);
      expect(Math.abs(back.x - pixel.x)).toBeLessThan(1);
      expect(Math.abs(back.y - pixel.y)).toBeLessThan(1);
    }
  });

  it('a pointer on a letterbox bar is nowhere, while a stroke sticks to the edge', () => {
    const painted = containedRect(FULL_HD, box(800, 800));
    expect(toNormalized({ x: 400, y: 100 }, painted)).toBeNull();
    expect(toNormalizedClamped({ x: 400, y: 100 }, painted)).toEqual([0.5, 0]);
    expect(toNormalized({ x: 1, y: 1 }, containedRect({ width: 0, height: 0 }, box(10, 10)))).toBeNull();
  });

  it('scales lengths with the painted frame height', () => {
    expect(lengthToPixels(0.01, containedRect(FULL_HD, box(800, 800)))).toBeCloseTo(4.5);
  });
});
