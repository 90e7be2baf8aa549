import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Plugin } from 'vite';

/** Where the segmenter's files are served, relative to the page (renderer/media/assets.ts). */
export const SEGMENTER_DIR = 'segmenter';

const require = createRequire(import.meta.url);
const visionWasm = path.join(path.dirname(require.resolve('@mediapipe/tasks-vision')), 'wasm');

/**
 * The files MediaPipe's ImageSegmenter loads by URL from one folder: its wasm loaders and
 * binaries (@mediapipe/tasks-vision) and the model with metadata (renderer/media/assets, see its
 * README). They keep their names because tasks-vision builds the file names itself.
 */
const FILES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    [
      'vision_wasm_internal.js',
      'vision_wasm_internal.wasm',
      'vision_wasm_nosimd_internal.js',
      'vision_wasm_nosimd_internal.wasm',
    ].map((name) => [name, path.join(visionWasm, name)]),
  ),
  'selfie_segmentation_landscape.tflite': path.join(
    import.meta.dirname,
    '../src/renderer/media/assets/selfie_segmentation_landscape.tflite',
  ),
};

const TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript', '.wasm': 'application/wasm' };

/**
 * Puts the segmenter's files into the build under `segmenter/` (and serves them there in dev),
 * so nothing is fetched from elsewhere at run time.
 */
export function mediaAssets(): Plugin {
  return {
    name: 'tandem-media-assets',
    generateBundle() {
      for (const [name, file] of Object.entries(FILES))
        this.emitFile({ type: 'asset', fileName: `${SEGMENTER_DIR}/${name}`, source: fs.readFileSync(file) });
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const name = req.url?.split('?')[0]?.split(`/${SEGMENTER_DIR}/`)[1];
        const file = name === undefined ? undefined : FILES[name];
        if (file === undefined) {
          next();
          return;
        }
        res.setHeader('content-type', TYPES[path.extname(file)] ?? 'application/octet-stream');
        fs.createReadStream(file).pipe(res);
      });
    },
  };
}
