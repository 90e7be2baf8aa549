/**
 * The background effects' hot loops in WebAssembly with SIMD (`wasm/planes.wat`, compiled from
 * its text when the renderer is built: scripts/wat.ts): NV12's chroma split, the frame shrunk to a
 * quarter by block means, the box blur, and the background put over the frame with the person's
 * mask, 16 samples an instruction. In plain JavaScript these loops cost more than Canvas 2D's SIMD
 * C++ (B9); every Chromium and Electron the app supports has WebAssembly SIMD (since Chromium 91),
 * so there is no other path. The planes they work on live in the module's memory (`allocate`).
 */
import planesWasm from './wasm/planes.wat';
import type { Plane } from './planes.ts';

type Exports = {
  readonly memory: WebAssembly.Memory;
  deinterleave(uv: number, u: number, v: number, count: number): void;
  shrink(source: number, width: number, height: number, target: number): void;
  boxAcross(from: number, to: number, width: number, height: number, radius: number, scale: number, line: number): void;
  boxDown(from: number, to: number, width: number, height: number, radius: number, scale: number): void;
  composite(
    out: number,
    width: number,
    height: number,
    layer: number,
    layerWidth: number,
    mask: number,
    maskWidth: number,
    rows: number,
    blocks: number,
    count: number,
    layerRow: number,
    maskRow: number,
    side: number,
  ): void;
};

/** Shrinking is by this factor each way. */
export const SHRINK = 4;
/** The largest blur radius: a box sum of 2r + 1 bytes must fit 16 bits. */
const MAX_RADIUS = 127;
/** Bytes the loops may read or write past a buffer's end (a SIMD block past a row's). */
const SLACK = 16;
const PAGE = 65536;
/** The composite's tables: 32 bytes a row, 128 a block of 16 columns (planes.wat). */
const ROW_BYTES = 32;
const BLOCK_BYTES = 128;

const aligned = (n: number) => Math.ceil(n / 16) * 16;

/**
 * Where each of `to` points along an axis lies between two of `from` points, centres aligned:
 * the first, the second, and the weight of the second (0–255).
 */
export function axis(
  from: number,
  to: number,
): { readonly i0: Int32Array; readonly i1: Int32Array; readonly weight: Uint8Array } {
  const i0 = new Int32Array(to);
  const i1 = new Int32Array(to);
  const weight = new Uint8Array(to);
  for (let i = 0; i < to; i++) {
    const at = Math.min(from - 1, Math.max(0, ((i + 0.5) * from) / to - 0.5));
    const below = Math.floor(at);
    i0[i] = below;
    i1[i] = Math.min(from - 1, below + 1);
    weight[i] = Math.floor((at - below) * 256);
  }
  return { i0, i1, weight };
}

/** The composite's row and block tables for a plane of this size, its layer's and its mask's. */
function compositeTables(
  frame: { readonly width: number; readonly height: number },
  layer: { readonly width: number; readonly height: number },
  mask: { readonly width: number; readonly height: number },
): { readonly rows: Uint8Array; readonly blocks: Uint8Array; readonly count: number } {
  const { width, height } = frame;
  const rows = new Int32Array((height * ROW_BYTES) / 4);
  const layerDown = axis(layer.height, height);
  const maskDown = axis(mask.height, height);
  for (let y = 0; y < height; y++)
    rows.set(
      [
        (layerDown.i0[y] ?? 0) * layer.width,
        (layerDown.i1[y] ?? 0) * layer.width,
        layerDown.weight[y] ?? 0,
        (maskDown.i0[y] ?? 0) * mask.width,
        (maskDown.i1[y] ?? 0) * mask.width,
        maskDown.weight[y] ?? 0,
      ],
      (y * ROW_BYTES) / 4,
    );
  // Blocks of 16 columns; where the width is not a multiple of 16, one more ends at the row's
  // end and goes through the side buffer (it overlaps the one before, which is written already).
  const whole = Math.floor(width / 16);
  const count = whole + (width % 16 === 0 ? 0 : 1);
  const blocks = new Uint8Array(count * BLOCK_BYTES);
  const ints = new Int32Array(blocks.buffer);
  const across = [axis(layer.width, width), axis(mask.width, width)] as const;
  for (let b = 0; b < count; b++) {
    const tail = b === whole;
    const start = tail ? Math.max(0, width - 16) : b * 16;
    const at = b * BLOCK_BYTES;
    across.forEach(({ i0, i1, weight }, t) => {
      const base = i0[start] ?? 0;
      for (let j = 0; j < 16; j++) {
        const column = Math.min(start + j, width - 1);
        const first = (i0[column] ?? 0) - base;
        const second = (i1[column] ?? 0) - base;
        if (second > 15)
          throw new Error(
            `cannot scale ${t === 0 ? 'a layer' : 'a mask'} of ${[layer, mask][t]?.width} up to ${width}`,
          );
        blocks[at + 48 * t + j] = first;
        blocks[at + 48 * t + 16 + j] = second;
        blocks[at + 48 * t + 32 + j] = weight[column] ?? 0;
      }
      ints[(at + 96) / 4 + t] = base;
    });
    ints[(at + 104) / 4] = start;
    ints[(at + 108) / 4] = tail ? Math.min(16, width) : 0;
    ints[(at + 112) / 4] = tail ? whole * 16 - start : 0;
  }
  return { rows: new Uint8Array(rows.buffer), blocks, count };
}

/** Where the loops' own buffers are, for planes up to `width × height`. */
type Scratch = {
  readonly width: number;
  readonly height: number;
  /** A plane between the blur's passes. */
  readonly blur: number;
  /** A row with its ends repeated, for the blur across. */
  readonly line: number;
  readonly layerRow: number;
  readonly maskRow: number;
  readonly side: number;
  readonly rows: number;
  readonly blocks: number;
};

export class PlaneKernels {
  private scratch: Scratch | undefined;
  private readonly tables = new Map<string, ReturnType<typeof compositeTables>>();

  private constructor(private readonly wasm: Exports) {}

  static async load(): Promise<PlaneKernels> {
    const { instance } = await WebAssembly.instantiate(planesWasm);
    return new PlaneKernels(instance.exports as unknown as Exports);
  }

  /**
   * Buffers of these lengths in the module's memory, and room for the loops' own for planes up to
   * `largest`. Everything an earlier call gave is void (the memory may have grown: old views are
   * detached) and its contents are not kept.
   */
  allocate(
    lengths: readonly number[],
    largest: { readonly width: number; readonly height: number },
  ): Uint8Array<ArrayBuffer>[] {
    let end = 0;
    const take = (length: number) => {
      const at = end;
      end = aligned(at + length + SLACK);
      return at;
    };
    const offsets = lengths.map(take);
    const { width, height } = largest;
    this.scratch = {
      width,
      height,
      blur: take(width * height),
      line: take(width + 2 * MAX_RADIUS + 16),
      layerRow: take(width + 16),
      maskRow: take(width + 16),
      side: take(16),
      rows: take(height * ROW_BYTES),
      blocks: take((Math.floor(width / 16) + 1) * BLOCK_BYTES),
    };
    const { memory } = this.wasm;
    const pages = Math.ceil(end / PAGE) - memory.buffer.byteLength / PAGE;
    if (pages > 0) memory.grow(pages);
    return offsets.map((offset, i) => new Uint8Array(memory.buffer, offset, lengths[i]));
  }

  /** Splits NV12's interleaved chroma (U, V, U, V…, in the module's memory) into the U and V planes. */
  deinterleave(uv: Uint8Array, u: Plane, v: Plane): void {
    if (uv.length !== 2 * u.data.length || v.data.length !== u.data.length)
      throw new Error('NV12 chroma of the wrong size');
    if (uv.buffer !== this.wasm.memory.buffer) throw new Error('chroma outside the module’s memory');
    this.wasm.deinterleave(uv.byteOffset, this.at(u), this.at(v), u.data.length);
  }

  /** `target` (⌈width / 4⌉ × ⌈height / 4⌉): each sample the mean of its 4 × 4 block of `source`. */
  shrink(source: Plane, target: Plane): void {
    if (Math.ceil(source.width / SHRINK) !== target.width || Math.ceil(source.height / SHRINK) !== target.height)
      throw new Error(`cannot shrink ${source.width}×${source.height} to ${target.width}×${target.height}`);
    this.wasm.shrink(this.at(source), source.width, source.height, this.at(target));
  }

  /**
   * Blurs a plane in place: `passes` box blurs of this radius, across then down (their repeat is
   * close to a Gaussian). The picture's edge is repeated outwards, so the blur does not fade there.
   */
  blur(target: Plane, radius: number, passes: number): void {
    if (radius === 0) return;
    if (radius > MAX_RADIUS) throw new Error(`a blur radius of ${radius} is over ${MAX_RADIUS}`);
    const scratch = this.scratchFor(target);
    const { width, height } = target;
    // sum / (2r + 1) as a multiplication and a shift, rounded.
    const scale = Math.round(65536 / (2 * radius + 1));
    const at = this.at(target);
    for (let pass = 0; pass < passes; pass++) {
      this.wasm.boxAcross(at, scratch.blur, width, height, radius, scale, scratch.line);
      this.wasm.boxDown(scratch.blur, at, width, height, radius, scale);
    }
  }

  /**
   * Puts `layer` (the background: blurred, or a picture; smaller than `frame`) over `frame`, in
   * place, where `mask` says it is not the person (0: background, 255: person, soft in between).
   * Layer and mask are scaled up bilinearly, so a quarter-size mask gives the person a soft edge.
   * Where the mask is the person the frame is not touched.
   */
  composite(frame: Plane, layer: Plane, mask: Plane): void {
    const scratch = this.scratchFor(frame);
    if (layer.width > frame.width || mask.width > frame.width)
      throw new Error(`cannot scale ${layer.width} or ${mask.width} down to ${frame.width}`);
    const key = [frame, layer, mask].map((p) => `${p.width}×${p.height}`).join(' ');
    let tables = this.tables.get(key);
    if (tables === undefined) {
      tables = compositeTables(frame, layer, mask);
      // A few sizes at a time (the frame's luma and chroma with a blur or a picture).
      if (this.tables.size >= 8) this.tables.clear();
      this.tables.set(key, tables);
    }
    const memory = new Uint8Array(this.wasm.memory.buffer);
    memory.set(tables.rows, scratch.rows);
    memory.set(tables.blocks, scratch.blocks);
    this.wasm.composite(
      this.at(frame),
      frame.width,
      frame.height,
      this.at(layer),
      layer.width,
      this.at(mask),
      mask.width,
      scratch.rows,
      scratch.blocks,
      tables.count,
      scratch.layerRow,
      scratch.maskRow,
      scratch.side,
    );
  }

  /** A plane's place in the module's memory. */
  private at(plane: Plane): number {
    if (plane.data.buffer !== this.wasm.memory.buffer) throw new Error('a plane outside the module’s memory');
    return plane.data.byteOffset;
  }

  private scratchFor(plane: Plane): Scratch {
    const scratch = this.scratch;
    if (scratch === undefined || plane.width > scratch.width || plane.height > scratch.height)
      throw new Error(`no room allocated for a ${plane.width}×${plane.height} plane`);
    return scratch;
  }
}
