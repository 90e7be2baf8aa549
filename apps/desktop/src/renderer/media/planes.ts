/**
 * The camera's picture as 8-bit I420 planes (Y at full size, U and V at half size each way) and
 * what the background effects do to them: shrink, blur, convert, and blend with the person's mask.
 * Plain loops over typed arrays: on a machine without a GPU they cost a fraction of what Canvas 2D
 * costs (Skia converting every frame to RGB and back, B9), and the frame never leaves YUV.
 */

/** One plane: `width × height` samples, row after row with no gap. */
export type Plane = { readonly data: Uint8Array; readonly width: number; readonly height: number };

/** An I420 picture: its three planes (Y, U, V) one after the other in `buffer`. */
export type I420 = { readonly buffer: Uint8Array; readonly planes: readonly [Plane, Plane, Plane] };

/** How RGB becomes Y′CbCr: the red and blue weights of the matrix (BT.709 or BT.601), and the range. */
export type YuvMatrix = { readonly kr: number; readonly kb: number; readonly fullRange: boolean };

export const BT709: YuvMatrix = { kr: 0.2126, kb: 0.0722, fullRange: false };
const BT601: YuvMatrix = { kr: 0.299, kb: 0.114, fullRange: false };

/** The matrix of a frame's colour space: BT.709 when it says so, BT.601 (what webcams send) otherwise. */
export function yuvMatrix(colorSpace: {
  readonly matrix?: string | null;
  readonly fullRange?: boolean | null;
}): YuvMatrix {
  return { ...(colorSpace.matrix === 'bt709' ? BT709 : BT601), fullRange: colorSpace.fullRange === true };
}

export function plane(width: number, height: number, data = new Uint8Array(width * height)): Plane {
  if (data.length !== width * height) throw new Error(`a ${width}×${height} plane needs ${width * height} samples`);
  return { data, width, height };
}

/** The bytes of an I420 picture of this size (odd sizes round the chroma planes up). */
const i420Bytes = (width: number, height: number): number =>
  width * height + 2 * Math.ceil(width / 2) * Math.ceil(height / 2);

/** An I420 picture of this size in `buffer` (a new one by default). */
export function i420(width: number, height: number, buffer = new Uint8Array(i420Bytes(width, height))): I420 {
  const cw = Math.ceil(width / 2);
  const ch = Math.ceil(height / 2);
  if (buffer.length !== i420Bytes(width, height))
    throw new Error(`a ${width}×${height} I420 picture needs ${i420Bytes(width, height)} bytes`);
  const at = (offset: number, w: number, h: number) => plane(w, h, buffer.subarray(offset, offset + w * h));
  return {
    buffer,
    planes: [at(0, width, height), at(width * height, cw, ch), at(width * height + cw * ch, cw, ch)],
  };
}

/**
 * Shrinks `source` into `target` by a whole factor (`source.width / target.width`, rounded up):
 * each target sample is the mean of its block (blocks cut by the edge are averaged over what is there).
 */
export function downscale(source: Plane, target: Plane): void {
  const factor = Math.ceil(source.width / target.width);
  if (Math.ceil(source.width / factor) !== target.width || Math.ceil(source.height / factor) !== target.height)
    throw new Error(`cannot shrink ${source.width}×${source.height} to ${target.width}×${target.height}`);
  const sums = new Uint32Array(target.width);
  const { data: from, width } = source;
  const to = target.data;
  // Columns in whole blocks, and the last (maybe cut) block apart: no bounds in the inner loop.
  const whole = Math.floor(width / factor);
  for (let ty = 0; ty < target.height; ty++) {
    sums.fill(0);
    const y0 = ty * factor;
    const y1 = Math.min(source.height, y0 + factor);
    for (let y = y0; y < y1; y++) {
      let x = y * width;
      for (let tx = 0; tx < whole; tx++) {
        let sum = 0;
        for (let k = 0; k < factor; k++) sum += from[x++] ?? 0;
        sums[tx] = (sums[tx] ?? 0) + sum;
      }
      if (whole < target.width) {
        let sum = 0;
        for (let k = whole * factor; k < width; k++) sum += from[x++] ?? 0;
        sums[whole] = (sums[whole] ?? 0) + sum;
      }
    }
    const rows = y1 - y0;
    for (let tx = 0; tx < target.width; tx++) {
      const count = rows * (Math.min(width, tx * factor + factor) - tx * factor);
      to[ty * target.width + tx] = Math.round((sums[tx] ?? 0) / count);
    }
  }
}

/**
 * The radius of a box whose `passes` repeats blur like a Gaussian of this standard deviation (the
 * CSS `blur()` radius): each pass adds a variance of ((2r + 1)² − 1) / 12.
 */
export function boxRadius(sigma: number, passes: number): number {
  return Math.max(0, Math.round((Math.sqrt((12 * sigma * sigma) / passes + 1) - 1) / 2));
}

/** One box pass over `count` lines of `length` samples `step` apart, lines `next` apart, edges repeated. */
function boxPass(
  from: Uint8Array,
  to: Uint8Array,
  count: number,
  length: number,
  step: number,
  next: number,
  radius: number,
): void {
  // sum / (2r + 1) as a multiplication and a shift, rounded.
  const scale = Math.round(65536 / (2 * radius + 1));
  const last = length - 1;
  for (let line = 0; line < count; line++) {
    const start = line * next;
    const first = from[start] ?? 0;
    let sum = first * (radius + 1);
    for (let i = 1; i <= radius; i++) sum += from[start + Math.min(i, last) * step] ?? 0;
    for (let i = 0; i < length; i++) {
      to[start + i * step] = (sum * scale + 32768) >>> 16;
      sum +=
        (from[start + Math.min(i + radius + 1, last) * step] ?? 0) -
        (from[start + Math.max(i - radius, 0) * step] ?? 0);
    }
  }
}

/**
 * Blurs a plane in place: `passes` box blurs of this radius, across then down (their repeat is
 * close to a Gaussian). The picture's edge is repeated outwards, so the blur does not fade there.
 */
export function blur(target: Plane, radius: number, passes: number): void {
  if (radius === 0) return;
  const { data, width, height } = target;
  const across = new Uint8Array(data.length);
  for (let pass = 0; pass < passes; pass++) {
    boxPass(data, across, height, width, 1, width, radius);
    boxPass(across, data, width, height, width, 1, radius);
  }
}

/** For each of `to` points along an axis, the two of `from` points it lies between and its weight (0–256) on the second. */
function axis(
  from: number,
  to: number,
): { readonly i0: Int32Array; readonly i1: Int32Array; readonly weight: Int32Array } {
  const i0 = new Int32Array(to);
  const i1 = new Int32Array(to);
  const weight = new Int32Array(to);
  for (let i = 0; i < to; i++) {
    const at = Math.min(from - 1, Math.max(0, ((i + 0.5) * from) / to - 0.5));
    const below = Math.floor(at);
    i0[i] = below;
    i1[i] = Math.min(from - 1, below + 1);
    weight[i] = Math.round((at - below) * 256);
  }
  return { i0, i1, weight };
}

/**
 * Rows of `source` scaled across to `width` (×256), the two the current row of a taller picture
 * lies between: a row is scaled once, however many rows below it use it.
 */
class WideRows {
  private readonly across: ReturnType<typeof axis>;
  private readonly down: ReturnType<typeof axis>;
  private rows: [Int32Array, Int32Array];
  private at: [number, number] = [-1, -1];

  constructor(
    private readonly source: Plane,
    width: number,
    height: number,
  ) {
    this.across = axis(source.width, width);
    this.down = axis(source.height, height);
    this.rows = [new Int32Array(width), new Int32Array(width)];
  }

  /** The two rows around row `y`, and the weight (0–256) of the second. */
  around(y: number): { readonly above: Int32Array; readonly below: Int32Array; readonly weight: number } {
    const above = this.down.i0[y] ?? 0;
    const below = this.down.i1[y] ?? 0;
    if (this.at[0] !== above || this.at[1] !== below) {
      // Moving down a row reuses the row below as the one above.
      if (this.at[1] === above) {
        this.rows = [this.rows[1], this.rows[0]];
        this.at = [above, -1];
      }
      if (this.at[0] !== above) this.scale(above, this.rows[0]);
      if (below !== above) this.scale(below, this.rows[1]);
      else this.rows[1].set(this.rows[0]);
      this.at = [above, below];
    }
    return { above: this.rows[0], below: this.rows[1], weight: this.down.weight[y] ?? 0 };
  }

  private scale(y: number, into: Int32Array): void {
    const { i0, i1, weight } = this.across;
    const row = y * this.source.width;
    const data = this.source.data;
    for (let x = 0; x < into.length; x++) {
      const w = weight[x] ?? 0;
      into[x] = (data[row + (i0[x] ?? 0)] ?? 0) * (256 - w) + (data[row + (i1[x] ?? 0)] ?? 0) * w;
    }
  }
}

/** The mask's value for the person, ×256 across and ×256 down. */
const PERSON = 255 * 65536;
/** What the four mask points around a run of the frame's columns say. */
const BACKGROUND_RUN = 0;
const PERSON_RUN = 1;
const EDGE_RUN = 2;

/**
 * Puts `layer` (the background: blurred, or a picture) over `frame`, in place, where `mask` says
 * it is not the person (0: background, 255: person, soft in between). Layer and mask are scaled to
 * the frame's size bilinearly, so a quarter-size mask gives the person a soft edge. Where the mask
 * is the person the frame is not touched.
 */
export function composite(frame: Plane, layer: Plane, mask: Plane): void {
  const { data: out, width, height } = frame;
  const layers = new WideRows(layer, width, height);
  // The frame's columns in runs that lie between the same two mask columns: a run whose four
  // mask points around it are all the person is skipped, all background gets the layer alone,
  // and only the person's edge is blended point by point.
  const across = axis(mask.width, width);
  const down = axis(mask.height, height);
  const runs: number[] = [];
  for (let x = 0; x < width; x++) if (x === 0 || across.i0[x] !== across.i0[x - 1]) runs.push(x);
  runs.push(width);
  const kinds = new Uint8Array(runs.length - 1);
  const m = mask.data;
  let classified = -1;
  for (let y = 0; y < height; y++) {
    const above = (down.i0[y] ?? 0) * mask.width;
    const below = (down.i1[y] ?? 0) * mask.width;
    if (above * mask.height + below !== classified) {
      classified = above * mask.height + below;
      for (let r = 0; r < kinds.length; r++) {
        const c0 = across.i0[runs[r] ?? 0] ?? 0;
        const c1 = across.i1[runs[r] ?? 0] ?? 0;
        const sum = (m[above + c0] ?? 0) + (m[above + c1] ?? 0) + (m[below + c0] ?? 0) + (m[below + c1] ?? 0);
        kinds[r] = sum === 0 ? BACKGROUND_RUN : sum === 4 * 255 ? PERSON_RUN : EDGE_RUN;
      }
    }
    const { above: la, below: lb, weight: lw } = layers.around(y);
    const wy = down.weight[y] ?? 0;
    const row = y * width;
    for (let r = 0; r < kinds.length; r++) {
      const kind = kinds[r];
      if (kind === PERSON_RUN) continue;
      const start = runs[r] ?? 0;
      const end = runs[r + 1] ?? 0;
      if (kind === BACKGROUND_RUN) {
        for (let x = start; x < end; x++) out[row + x] = ((la[x] ?? 0) * (256 - lw) + (lb[x] ?? 0) * lw + 32768) >>> 16;
        continue;
      }
      const c0 = across.i0[start] ?? 0;
      const c1 = across.i1[start] ?? 0;
      for (let x = start; x < end; x++) {
        const wx = across.weight[x] ?? 0;
        const top = (m[above + c0] ?? 0) * (256 - wx) + (m[above + c1] ?? 0) * wx;
        const bottom = (m[below + c0] ?? 0) * (256 - wx) + (m[below + c1] ?? 0) * wx;
        // 0 … PERSON: how much of the frame stays here.
        const person = top * (256 - wy) + bottom * wy;
        const background = ((la[x] ?? 0) * (256 - lw) + (lb[x] ?? 0) * lw + 32768) >>> 16;
        const i = row + x;
        out[i] = background + Math.round((((out[i] ?? 0) - background) * person) / PERSON);
      }
    }
  }
}

/** Splits NV12's interleaved chroma (U, V, U, V…) into the U and V planes. */
export function deinterleave(uv: Uint8Array, u: Plane, v: Plane): void {
  const { data: us } = u;
  const { data: vs } = v;
  if (uv.length !== 2 * us.length || vs.length !== us.length) throw new Error('NV12 chroma of the wrong size');
  for (let i = 0; i < us.length; i++) {
    us[i] = uv[2 * i] ?? 0;
    vs[i] = uv[2 * i + 1] ?? 0;
  }
}

const clampByte = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));

/** Scale and offset of luma and chroma for a range: studio (16–235, 16–240) or full (0–255). */
const range = (fullRange: boolean) => (fullRange ? { y: 1, y0: 0, c: 1 } : { y: 219 / 255, y0: 16, c: 224 / 255 });

/** RGBA pixels (alpha ignored) into an I420 picture of the same size; chroma from each 2 × 2 block's mean. */
export function rgbaToI420(rgba: Uint8Array | Uint8ClampedArray, into: I420, matrix: YuvMatrix): void {
  const [yp, up, vp] = into.planes;
  const { width, height } = yp;
  if (rgba.length !== width * height * 4)
    throw new Error(`RGBA of ${rgba.length / 4} pixels for a ${width}×${height} picture`);
  const { kr, kb } = matrix;
  const kg = 1 - kr - kb;
  const r = range(matrix.fullRange);
  const cb = r.c / (2 * (1 - kb));
  const cr = r.c / (2 * (1 - kr));
  for (let i = 0, p = 0; i < width * height; i++, p += 4)
    yp.data[i] = clampByte(r.y0 + r.y * (kr * (rgba[p] ?? 0) + kg * (rgba[p + 1] ?? 0) + kb * (rgba[p + 2] ?? 0)));
  for (let cy = 0; cy < up.height; cy++)
    for (let cx = 0; cx < up.width; cx++) {
      let red = 0;
      let green = 0;
      let blue = 0;
      let n = 0;
      for (let y = 2 * cy; y < Math.min(height, 2 * cy + 2); y++)
        for (let x = 2 * cx; x < Math.min(width, 2 * cx + 2); x++) {
          const p = (y * width + x) * 4;
          red += rgba[p] ?? 0;
          green += rgba[p + 1] ?? 0;
          blue += rgba[p + 2] ?? 0;
          n++;
        }
      const luma = (kr * red + kg * green + kb * blue) / n;
      up.data[cy * up.width + cx] = clampByte(128 + cb * (blue / n - luma));
      vp.data[cy * up.width + cx] = clampByte(128 + cr * (red / n - luma));
    }
}

/** An I420 picture into RGBA pixels (opaque) of the same size: what the segmenter's model takes. */
export function i420ToRgba(from: I420, rgba: Uint8Array | Uint8ClampedArray, matrix: YuvMatrix): void {
  const [yp, up, vp] = from.planes;
  const { width, height } = yp;
  if (rgba.length !== width * height * 4)
    throw new Error(`RGBA of ${rgba.length / 4} pixels for a ${width}×${height} picture`);
  const { kr, kb } = matrix;
  const kg = 1 - kr - kb;
  const r = range(matrix.fullRange);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const c = (y >> 1) * up.width + (x >> 1);
      const luma = ((yp.data[y * width + x] ?? 0) - r.y0) / r.y;
      const blue = luma + (2 * (1 - kb) * ((up.data[c] ?? 128) - 128)) / r.c;
      const red = luma + (2 * (1 - kr) * ((vp.data[c] ?? 128) - 128)) / r.c;
      const p = (y * width + x) * 4;
      rgba[p] = clampByte(red);
      rgba[p + 1] = clampByte((luma - kr * red - kb * blue) / kg);
      rgba[p + 2] = clampByte(blue);
      rgba[p + 3] = 255;
    }
}
