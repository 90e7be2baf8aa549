import { beforeAll, describe, expect, it } from 'vitest';
import { BT709, i420, i420ToRgba, plane, rgbaToI420, yuvMatrix, type Plane } from './planes.ts';
import { axis, PlaneKernels } from './planesWasm.ts';

// The per-frame loops run in WebAssembly SIMD (Node has it, as Chromium does): each is checked
// sample for sample against a plain JavaScript reference on planes of awkward sizes (narrower than
// a SIMD block, not a multiple of 16 or of 4), and for what it must do to a picture.

let kernels: PlaneKernels;
beforeAll(async () => {
  kernels = await PlaneKernels.load();
});

type Size = { readonly width: number; readonly height: number };

/** Samples that look random but are the same every run. */
function noise(length: number, seed: number): Uint8Array {
  let state = seed;
  return Uint8Array.from({ length }, () => {
    state = (state * 1103515245 + 12345) >>> 0;
    return state >>> 24;
  });
}

/** Planes of these sizes in the kernels' memory (with room for their loops), filled with `fill`'s samples or noise. */
function inMemory(sizes: readonly (Size & { readonly fill?: Uint8Array })[]): Plane[] {
  const largest = {
    width: Math.max(...sizes.map((s) => s.width)),
    height: Math.max(...sizes.map((s) => s.height)),
  };
  const buffers = kernels.allocate(
    sizes.map((s) => s.width * s.height),
    largest,
  );
  return sizes.map((s, i) => {
    const data = buffers[i] ?? new Uint8Array(0);
    data.set(s.fill ?? noise(data.length, 7 + i));
    return plane(s.width, s.height, data);
  });
}

/** A plane from rows of samples (outside the kernels' memory). */
const rows = (...values: readonly (readonly number[])[]): Plane =>
  plane(values[0]?.length ?? 0, values.length, Uint8Array.from(values.flat()));
const rowsOf = ({ data, width }: Plane): number[][] =>
  Array.from({ length: data.length / width }, (_, y) => [...data.subarray(y * width, (y + 1) * width)]);

const AWKWARD: readonly Size[] = [
  { width: 1, height: 1 },
  { width: 5, height: 3 },
  { width: 16, height: 4 },
  { width: 17, height: 9 },
  { width: 37, height: 23 },
  { width: 64, height: 36 },
];

/** Reference: each sample of the ⌈w/4⌉ × ⌈h/4⌉ plane the rounded mean of its block (cut by the edge). */
function shrinkReference({ data, width, height }: Plane): number[] {
  const out: number[] = [];
  for (let ty = 0; ty < Math.ceil(height / 4); ty++)
    for (let tx = 0; tx < Math.ceil(width / 4); tx++) {
      let sum = 0;
      let count = 0;
      for (let y = ty * 4; y < Math.min(height, ty * 4 + 4); y++)
        for (let x = tx * 4; x < Math.min(width, tx * 4 + 4); x++) {
          sum += data[y * width + x] ?? 0;
          count++;
        }
      out.push(Math.round(sum / count));
    }
  return out;
}

describe('shrinking a plane', () => {
  it('gives each block’s mean, and the mean of what is there where the edge cuts a block', () => {
    const [source, small] = inMemory([
      {
        width: 5,
        height: 5,
        fill: Uint8Array.from({ length: 25 }, (_, i) => (i % 5 === 4 ? 9 : i >= 20 ? 100 : 2 * (i % 5))),
      },
      { width: 2, height: 2 },
    ]);
    if (source === undefined || small === undefined) throw new Error('no planes');
    kernels.shrink(source, small);
    // Top left: 0, 2, 4, 6 in each of four rows; right: one column of 9; bottom: a row of 100s.
    expect(rowsOf(small)).toEqual([
      [3, 9],
      [100, 9],
    ]);
  });

  it.each(AWKWARD.map((s) => [`${s.width}×${s.height}`, s] as const))('matches the reference at %s', (_, size) => {
    const small = { width: Math.ceil(size.width / 4), height: Math.ceil(size.height / 4) };
    const [source, target] = inMemory([size, { ...small, fill: new Uint8Array(small.width * small.height) }]);
    if (source === undefined || target === undefined) throw new Error('no planes');
    kernels.shrink(source, target);
    expect([...target.data]).toEqual(shrinkReference(source));
  });

  it('refuses a size that is not a quarter', () => {
    const [source, target] = inMemory([
      { width: 8, height: 8 },
      { width: 3, height: 2 },
    ]);
    if (source === undefined || target === undefined) throw new Error('no planes');
    expect(() => kernels.shrink(source, target)).toThrow(/cannot shrink/);
  });
});

/** Reference: `passes` box passes of this radius, across then down, edges repeated, rounded as the loops do. */
function blurReference({ data, width, height }: Plane, radius: number, passes: number): number[] {
  const scale = Math.round(65536 / (2 * radius + 1));
  const pass = (from: Uint8Array, count: number, length: number, step: number, next: number) => {
    const to = new Uint8Array(from.length);
    for (let line = 0; line < count; line++)
      for (let i = 0; i < length; i++) {
        let sum = 0;
        for (let k = i - radius; k <= i + radius; k++)
          sum += from[line * next + Math.min(length - 1, Math.max(0, k)) * step] ?? 0;
        to[line * next + i * step] = (sum * scale + 32768) >>> 16;
      }
    return to;
  };
  let out = Uint8Array.from(data);
  for (let p = 0; p < passes; p++) out = pass(pass(out, height, width, 1, width), width, height, width, 1);
  return [...out];
}

describe('blurring a plane', () => {
  it.each(AWKWARD.flatMap((s) => [1, 2, 4].map((radius) => [`${s.width}×${s.height}`, radius, s] as const)))(
    'matches the reference at %s, radius %i, three passes',
    (_, radius, size) => {
      const [target] = inMemory([size]);
      if (target === undefined) throw new Error('no plane');
      const want = blurReference(target, radius, 3);
      kernels.blur(target, radius, 3);
      expect([...target.data]).toEqual(want);
    },
  );

  it('spreads a point evenly both ways and keeps its weight, and leaves a flat picture flat at the edges', () => {
    const point = new Uint8Array(81);
    point[4 * 9 + 4] = 255;
    const [spread, flat] = inMemory([
      { width: 9, height: 9, fill: point },
      { width: 7, height: 5, fill: new Uint8Array(35).fill(90) },
    ]);
    if (spread === undefined || flat === undefined) throw new Error('no planes');
    kernels.blur(spread, 1, 1);
    // One pass of a 3-wide box: 255 / 9 on the 3 × 3 around the point.
    expect(rowsOf(spread).slice(2, 7)).toEqual([
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 28, 28, 28, 0, 0, 0],
      [0, 0, 0, 28, 28, 28, 0, 0, 0],
      [0, 0, 0, 28, 28, 28, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
    kernels.blur(flat, 3, 3);
    expect(flat.data.every((v) => v === 90)).toBe(true);
  });

  it('takes detail away: a checkerboard becomes its mean grey (away from the repeated edges)', () => {
    const [board] = inMemory([
      {
        width: 40,
        height: 16,
        fill: Uint8Array.from({ length: 640 }, (_, i) => (((i % 40) + Math.floor(i / 40)) % 2 === 0 ? 200 : 0)),
      },
    ]);
    if (board === undefined) throw new Error('no plane');
    kernels.blur(board, 2, 3);
    for (const row of rowsOf(board).slice(4, 12))
      for (const v of row.slice(4, 36)) expect(Math.abs(v - 100)).toBeLessThanOrEqual(2);
  });
});

describe('where a point lies between two of a smaller axis', () => {
  it('aligns the centres, repeats the ends, and weighs the second from 0 to 255', () => {
    const { i0, i1, weight } = axis(2, 8);
    expect([...i0]).toEqual([0, 0, 0, 0, 0, 0, 1, 1]);
    expect([...i1]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...weight]).toEqual([0, 0, 32, 96, 160, 224, 0, 0]);
  });
});

/** Reference: the layer and mask scaled up (down first, then across; each step rounded to a byte) and mixed with the frame. */
function compositeReference(frame: Plane, layer: Plane, mask: Plane): number[] {
  const mix = (a: number, b: number, k: number) => (a * (256 - k) + b * k + 128) >> 8;
  const scaled = (source: Plane, x: number, y: number) => {
    const down = axis(source.height, frame.height);
    const across = axis(source.width, frame.width);
    const at = (row: number, column: number) => source.data[row * source.width + column] ?? 0;
    const column = (c: number) => mix(at(down.i0[y] ?? 0, c), at(down.i1[y] ?? 0, c), down.weight[y] ?? 0);
    return mix(column(across.i0[x] ?? 0), column(across.i1[x] ?? 0), across.weight[x] ?? 0);
  };
  const out: number[] = [];
  for (let y = 0; y < frame.height; y++)
    for (let x = 0; x < frame.width; x++) {
      const a = scaled(mask, x, y);
      out.push(mix(scaled(layer, x, y), frame.data[y * frame.width + x] ?? 0, a + (a >> 7)));
    }
  return out;
}

describe('putting the background over the frame', () => {
  const cases: readonly { readonly name: string; readonly frame: Size; readonly layer: Size; readonly mask: Size }[] = [
    {
      name: 'a quarter-size blur, luma',
      frame: { width: 37, height: 23 },
      layer: { width: 10, height: 6 },
      mask: { width: 10, height: 6 },
    },
    {
      name: 'a quarter-size blur, chroma',
      frame: { width: 19, height: 12 },
      layer: { width: 5, height: 3 },
      mask: { width: 10, height: 6 },
    },
    {
      name: 'a half-size picture',
      frame: { width: 64, height: 36 },
      layer: { width: 32, height: 18 },
      mask: { width: 16, height: 9 },
    },
    {
      name: 'a plane narrower than a block',
      frame: { width: 8, height: 4 },
      layer: { width: 2, height: 1 },
      mask: { width: 2, height: 1 },
    },
    {
      name: 'a plane of whole blocks',
      frame: { width: 48, height: 8 },
      layer: { width: 12, height: 2 },
      mask: { width: 12, height: 2 },
    },
  ];

  it.each(cases.map((c) => [c.name, c] as const))('matches the reference with %s', (_, { frame, layer, mask }) => {
    // The mask is mostly the person or the background, with soft steps between: every kind of block.
    const steps = Uint8Array.from(noise(mask.width * mask.height, 3), (v) => (v < 90 ? 0 : v > 160 ? 255 : v));
    const [out, over, cut] = inMemory([frame, layer, { ...mask, fill: steps }]);
    if (out === undefined || over === undefined || cut === undefined) throw new Error('no planes');
    const want = compositeReference(out, over, cut);
    kernels.composite(out, over, cut);
    expect([...out.data]).toEqual(want);
  });

  it('replaces the whole frame before the first mask (all background)', () => {
    const [out, layer, mask] = inMemory([
      { width: 40, height: 8, fill: new Uint8Array(320).fill(200) },
      { width: 10, height: 2, fill: new Uint8Array(20).fill(40) },
      { width: 10, height: 2, fill: new Uint8Array(20) },
    ]);
    if (out === undefined || layer === undefined || mask === undefined) throw new Error('no planes');
    kernels.composite(out, layer, mask);
    expect(out.data.every((v) => v === 40)).toBe(true);
  });

  it('leaves the person untouched and blends only at the edge', () => {
    // Left half the person, right half background.
    const [out, layer, mask] = inMemory([
      { width: 40, height: 4, fill: noise(160, 11) },
      { width: 10, height: 1, fill: new Uint8Array(10).fill(30) },
      { width: 10, height: 1, fill: Uint8Array.of(255, 255, 255, 255, 255, 0, 0, 0, 0, 0) },
    ]);
    if (out === undefined || layer === undefined || mask === undefined) throw new Error('no planes');
    const before = rowsOf(out);
    kernels.composite(out, layer, mask);
    for (const [y, row] of rowsOf(out).entries()) {
      expect(row.slice(0, 18)).toEqual(before[y]?.slice(0, 18));
      expect(row.slice(22)).toEqual(Array.from({ length: 18 }, () => 30));
    }
  });

  it('refuses a layer larger than the frame', () => {
    const [out, layer, mask] = inMemory([
      { width: 8, height: 4 },
      { width: 16, height: 4 },
      { width: 2, height: 1 },
    ]);
    if (out === undefined || layer === undefined || mask === undefined) throw new Error('no planes');
    expect(() => kernels.composite(out, layer, mask)).toThrow(/cannot scale/);
  });

  it('refuses planes outside its memory', () => {
    inMemory([{ width: 8, height: 4 }]);
    expect(() => kernels.composite(rows([1, 2]), rows([1]), rows([0]))).toThrow(/outside/);
  });
});

describe('splitting NV12’s chroma', () => {
  it.each([1, 5, 16, 17, 40])('takes %i interleaved pairs apart', (count) => {
    const [uv, u, v] = inMemory([
      { width: 2 * count, height: 1 },
      { width: count, height: 1 },
      { width: count, height: 1 },
    ]);
    if (uv === undefined || u === undefined || v === undefined) throw new Error('no planes');
    kernels.deinterleave(uv.data, u, v);
    expect([...u.data]).toEqual([...uv.data].filter((_, i) => i % 2 === 0));
    expect([...v.data]).toEqual([...uv.data].filter((_, i) => i % 2 === 1));
  });

  it('refuses chroma of the wrong size', () => {
    const [uv, u, v] = inMemory([
      { width: 2, height: 1 },
      { width: 2, height: 1 },
      { width: 2, height: 1 },
    ]);
    if (uv === undefined || u === undefined || v === undefined) throw new Error('no planes');
    expect(() => kernels.deinterleave(uv.data, u, v)).toThrow(/NV12/);
  });
});

describe('colours', () => {
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
