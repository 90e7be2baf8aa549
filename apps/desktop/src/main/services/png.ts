import zlib from 'node:zlib';

/**
 * PNG files in and out, for the icons main draws in Node (the taskbar's count, the tray's status
 * and unread dots): 8-bit RGBA only, which is what the app's own icons are and what it writes.
 */

/** An image as RGBA rows, top to bottom. */
export type RgbaImage = { readonly width: number; readonly height: number; readonly pixels: Uint8Array };

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/** RGBA pixels as a PNG file (8-bit truecolour with alpha, no filtering). */
export function encodePng(pixels: Uint8Array, width: number, height: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    // Each row starts with its filter type, 0: none.
    rows.set(pixels.subarray(y * width * 4, (y + 1) * width * 4), y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The Paeth predictor of the PNG specification (filter type 4). */
function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * A PNG file's RGBA pixels. Throws on anything else than an intact, non-interlaced 8-bit RGBA
 * PNG (a checksum that does not match, another colour type): the icons are ours, so that is a bug.
 */
export function decodePng(file: Buffer): RgbaImage {
  if (!file.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  let header: Buffer | null = null;
  const data: Buffer[] = [];
  for (let at = 8; at + 12 <= file.length;) {
    const length = file.readUInt32BE(at);
    const type = file.toString('ascii', at + 4, at + 8);
    const body = file.subarray(at + 8, at + 8 + length);
    if (file.readUInt32BE(at + 8 + length) !== zlib.crc32(file.subarray(at + 4, at + 8 + length)))
      throw new Error(`PNG chunk ${type} is damaged`);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') data.push(body);
    if (type === 'IEND') break;
    at += 12 + length;
  }
  if (header === null) throw new Error('PNG file without a header');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  if (![...header.subarray(8)].every((value, i) => value === [8, 6, 0, 0, 0][i]))
    throw new Error('only 8-bit RGBA, non-interlaced PNG files are read');
  const rows = zlib.inflateSync(Buffer.concat(data));
  const stride = width * 4;
  if (rows.length !== (stride + 1) * height) throw new Error('PNG image data of the wrong size');
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = rows[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const raw = rows[y * (stride + 1) + 1 + x] ?? 0;
      const left = x >= 4 ? (pixels[y * stride + x - 4] ?? 0) : 0;
      const up = y > 0 ? (pixels[(y - 1) * stride + x] ?? 0) : 0;
      const upLeft = x >= 4 && y > 0 ? (pixels[(y - 1) * stride + x - 4] ?? 0) : 0;
      const predicted =
        filter === 0
          ? 0
          : filter === 1
            ? left
            : filter === 2
              ? up
              : filter === 3
                ? Math.floor((left + up) / 2)
                : filter === 4
                  ? paeth(left, up, upLeft)
                  : Number.NaN;
      if (Number.isNaN(predicted)) throw new Error(`unknown PNG filter type ${String(filter)}`);
      pixels[y * stride + x] = (raw + predicted) & 0xff;
    }
  }
  return { width, height, pixels };
}
