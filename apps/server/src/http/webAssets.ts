import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

/** Encodings the server keeps a compressed copy in, best first. */
export type Encoding = 'br' | 'gzip';

/** Smaller than this, compressing saves less than its headers cost. */
const COMPRESS_FROM_BYTES = 1024;
/** Text, and WebAssembly (compresses by about a third); images are compressed already. */
const COMPRESSIBLE = /\.(js|css|html|json|map|svg|wasm)$/;

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/**
 * Which of our encodings an `Accept-Encoding` header takes, best first (brotli, then gzip); a
 * coding the header gives `q=0` is refused, as is everything a bare `identity` header leaves out.
 */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  const accepted = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (name !== '' && (q === undefined || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  return (['br', 'gzip'] as const).filter((e) => accepted.has(e) || accepted.has('*'));
}

/** One built file as served: its bytes, their tag, and compressed copies once made. */
export type Asset = {
  readonly body: Buffer;
  /** A strong validator of the uncompressed bytes (a compressed copy's tag adds its coding). */
  readonly etag: string;
  /** The copy in the best encoding `accepted` allows that is made by now, else the bytes as they are. */
  pick(accepted: readonly Encoding[]): { readonly body: Buffer; readonly encoding?: Encoding; readonly etag: string };
};

/**
 * The browser client's hashed files (`assets/`: named by their content, so they never change)
 * held in memory after their first read, with brotli and gzip copies made off the event loop
 * (zlib's thread pool) after the first answer, so no request waits for a compression: a guest's
 * first load is about a quarter of the bytes (the renderer's start is ~1 MB of JavaScript).
 * Anything else is read from disk on each request, as it is (the page changes with a rebuild).
 */
export function createAssetStore() {
  const kept = new Map<string, Promise<Asset | undefined>>();

  async function load(file: string, compress: boolean): Promise<Asset | undefined> {
    const body = await fs.readFile(file).catch(() => undefined);
    if (body === undefined) return undefined;
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    const copies = new Map<Encoding, Buffer>();
    if (compress && COMPRESSIBLE.test(file) && body.length >= COMPRESS_FROM_BYTES) {
      // Quality 9: within a few percent of brotli's best at a small part of its time (a 500 KB script in ~40 ms).
      brotli(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9 } }).then(
        (b) => copies.set('br', b),
        () => undefined,
      );
      gzip(body, { level: 9 }).then(
        (g) => copies.set('gzip', g),
        () => undefined,
      );
    }
    return {
      body,
      etag,
      pick(accepted) {
        for (const encoding of accepted) {
          const copy = copies.get(encoding);
          // Kept only where it is smaller (an already dense file can grow).
          if (copy !== undefined && copy.length < body.length)
            return { body: copy, encoding, etag: `${etag.slice(0, -1)}-${encoding}"` };
        }
        return { body, etag };
      },
    };
  }

  return {
    /** The file at `file` (an absolute path inside the build); undefined when there is none. */
    async get(file: string, immutable: boolean): Promise<Asset | undefined> {
      if (!immutable) return load(file, false);
      let asset = kept.get(file);
      if (asset === undefined) {
        asset = load(file, true);
        kept.set(file, asset);
        // A missing file is asked for again next time (the build may be completing).
        void asset.then((found) => {
          if (found === undefined) kept.delete(file);
        });
      }
      return asset;
    },
  };
}
