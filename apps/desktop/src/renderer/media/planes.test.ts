import { describe, expect, it } from 'vitest';
import {
  blur,
  boxRadius,
  BT709,
  composite,
  deinterleave,
  downscale,
  i420,
  i420ToRgba,
  plane,
  rgbaToI420,
  yuvMatrix,
  type Plane,
} from './planes.ts';

/** A plane from rows of samples. */
const rows = (...values: readonly (readonly number[])[]): Plane =>
  plane(values[0]?.length ?? 0, values.length, Uint8Array.from(values.flat()));
const rowsOf = ({ data, width }: Plane): number[][] =>
  Array.from({ length: data.length / width }, (_, y) => [...data.subarray(y * width, (y + 1) * width)]);

describe('shrinking a plane', () => {
  it('gives each block’s mean, and the mean of what is there where the edge cuts a block', () => {
    const small = plane(3, 2);
    downscale(rows([0, 2, 10, 20, 7], [4, 6, 30, 40, 9], [100, 100, 50, 50, 1], [100, 100, 50, 50, 1]), small);
    expect(rowsOf(small)).toEqual([
      [3, 25, 8],
      [100, 50, 1],
    ]);
  });

  it('refuses a size that is not a whole factor smaller', () => {
    expect(() => downscale(plane(8, 8), plane(3, 2))).toThrow(/cannot shrink/);
  });
});

describe('blurring a plane', () => {
  it('picks the box whose three passes match a Gaussian', () => {
    expect(boxRadius(4.5, 3)).toBe(4);
    expect(boxRadius(1.5, 3)).toBe(1);
    expect(boxRadius(0, 3)).toBe(0);
  });

  it('spreads a point evenly both ways and keeps its weight, and leaves a flat picture flat at the edges', () => {
    const point = plane(9, 9);
    point.data[4 * 9 + 4] = 255;
    blur(point, 1, 1);
    // One pass of a 3-wide box: 255 / 9 on the 3 × 3 around the point.
    expect(rowsOf(point).slice(2, 7)).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 28, 28, 28, 0, 0, 0],
      [0, 0, 0, 28, 28, 28, 0, 0, 0],
      [0, 0, 0, 28, 28, 28, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    const flat = plane(7, 5, new Uint8Array(35).fill(90));
    blur(flat, 3, 3);
    expect(flat.data.every((v) => v === 90)).toBe(true);
  });

  it('takes detail away: a checkerboard becomes its mean grey (away from the repeated edges)', () => {
    const board = plane(16, 16);
    board.data.forEach((_, i) => (board.data[i] = ((i % 16) + Math.floor(i / 16)) % 2 === 0 ? 200 : 0));
    blur(board, 2, 3);
    for (const row of rowsOf(board).slice(4, 12))
      for (const v of row.slice(4, 12)) expect(Math.abs(v - 100)).toBeLessThanOrEqual(2);
  });
});

describe('putting the background over the frame', () => {
  const frame = () => plane(8, 4, new Uint8Array(32).fill(200));

  it('replaces the whole frame before the first mask (one point of background)', () => {
    const out = frame();
    composite(out, rows([40, 40], [40, 40]), plane(1, 1));
    expect(out.data.every((v) => v === 40)).toBe(true);
  });

  it('keeps the person untouched, scales the background up smoothly, and blends at the edge', () => {
    const out = frame();
    // Left half the person, right half background; the background a ramp from 0 to 160.
    composite(out, rows([0, 160], [0, 160]), rows([255, 255, 0, 0]));
    // The mask's edge, scaled up, is soft: ¾ of the frame at the fourth point, ¼ at the fifth.
    const row = [200, 200, 200, 165, 125, 140, 160, 160];
    expect(rowsOf(out)).toEqual([row, row, row, row]);
  });

  it('scales a small mask to a larger plane (the chroma planes share the luma’s mask)', () => {
    const out = plane(4, 2, new Uint8Array(8).fill(10));
    composite(out, plane(1, 1, Uint8Array.of(250)), rows([255, 255, 255, 255, 0, 0, 0, 0]));
    expect(rowsOf(out)).toEqual([
      [10, 10, 250, 250],
      [10, 10, 250, 250],
    ]);
  });
});

describe('colours', () => {
  it('takes NV12’s interleaved chroma apart', () => {
    const u = plane(2, 1);
    const v = plane(2, 1);
    deinterleave(Uint8Array.of(1, 2, 3, 4), u, v);
    expect([...u.data, ...v.data]).toEqual([1, 3, 2, 4]);
    expect(() => deinterleave(Uint8Array.of(1, 2), u, v)).toThrow(/NV12/);
  });

  it('names BT.709 only when the frame says so, and its range', () => {
    expect(yuvMatrix({ matrix: 'bt709', fullRange: false })).toEqual(BT709);
    expect(yuvMatrix({ matrix: 'smpte170m', fullRange: true })).toEqual({ kr: 0.299, kb: 0.114, fullRange: true });
    expect(yuvMatrix({}).kr).toBe(0.299);
  });

  it('converts RGB to studio-range BT.709 and back', () => {
    // White, red, green, blue on the top row; black below.
    const rgba = Uint8Array.from(
      [
        [255, 255, 255, 255],
        [255, 0, 0, 255],
        [0, 255, 0, 255],
        [0, 0, 255, 255],
        ...Array.from({ length: 4 }, () => [0, 0, 0, 255]),
      ].flat(),
    );
    const picture = i420(4, 2);
    rgbaToI420(rgba, picture, BT709);
    const [y, u, v] = picture.planes;
    expect([...y.data]).toEqual([235, 63, 173, 32, 16, 16, 16, 16]);
    // Chroma of each 2 × 2 block: white, red and two blacks; green, blue and two blacks.
    expect([...u.data]).toEqual([122, 134]);
    expect([...v.data]).toEqual([156, 100]);
    const back = new Uint8Array(rgba.length);
    i420ToRgba(i420(2, 2, Uint8Array.of(235, 235, 235, 235, 128, 128)), back.subarray(0, 16), BT709);
    expect([...back.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    const red = i420(2, 2, Uint8Array.of(63, 63, 63, 63, 102, 240));
    i420ToRgba(red, back.subarray(0, 16), BT709);
    for (const [channel, want] of [255, 0, 0, 255].entries())
      expect(Math.abs((back[channel] ?? 0) - want)).toBeLessThanOrEqual(2);
  });
});
