/**
 * The camera's picture as 8-bit I420 planes (Y at full size, U and V at half size each way), and
 * its conversions between RGB and YUV (the picture background, once; the segmenter's small input,
 * in its worker). The per-frame loops (NV12's chroma split, shrink, blur, composite) are in
 * WebAssembly: planesWasm.ts.
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
export const i420Bytes = (width: number, height: number): number =>
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
 * The radius of a box whose `passes` repeats blur like a Gaussian of this standard deviation (the
 * CSS `blur()` radius): each pass adds a variance of ((2r + 1)² − 1) / 12.
 */
export function boxRadius(sigma: number, passes: number): number {
  return Math.max(0, Math.round((Math.sqrt((12 * sigma * sigma) / passes + 1) - 1) / 2));
}

const clampByte = (value: number) => (value < 0 ? 0 : value > 255 ? 255 : Math.round(value));

/** Scale and offset of luma and chroma for a range: studio (16–235, 16–240) or full (0–255). */
const range = (fullRange: boolean) => (fullRange ? { y: 1, y0: 0, c: 1 } : { y: 219 / 255, y0: 16, c: 224 / 255 });

/** What converting between `picture` and RGBA pixels of its size needs: its planes, size and the matrix's weights. */
function conversion(picture: I420, rgba: Uint8Array | Uint8ClampedArray, matrix: YuvMatrix) {
  const { planes } = picture;
  const { width, height } = planes[0];
  if (rgba.length !== width * height * 4)
    throw new Error(`RGBA of ${rgba.length / 4} pixels for a ${width}×${height} picture`);
  const { kr, kb } = matrix;
  return { planes, width, height, kr, kb, kg: 1 - kr - kb, r: range(matrix.fullRange) };
}

/** RGBA pixels (alpha ignored) into an I420 picture of the same size; chroma from each 2 × 2 block's mean. */
export function rgbaToI420(rgba: Uint8Array | Uint8ClampedArray, into: I420, matrix: YuvMatrix): void {
  const { planes, width, height, kr, kb, kg, r } = conversion(into, rgba, matrix);
  const [yp, up, vp] = planes;
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
  const { planes, width, height, kr, kb, kg, r } = conversion(from, rgba, matrix);
  const [yp, up, vp] = planes;
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
