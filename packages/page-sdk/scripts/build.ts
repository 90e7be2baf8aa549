import { build, type Plugin } from 'esbuild';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Builds the SDK: `dist/index.js` (ESM, for host apps that bundle) and `dist/tandem-pages.js` (the
 * drop-in script). Prints the drop-in script's gzipped size; the budget is 60 KB.
 */
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..');
export const DROPIN = path.join(root, 'dist', 'tandem-pages.js');
export const BUDGET_GZIP_BYTES = 60 * 1024;

/** lib0's own `storage.js` (imported by its `environment.js`) is src/memoryStorage.ts in the bundles: see there why. */
const memoryStorage: Plugin = {
  name: 'memory-storage',
  setup(b) {
    b.onResolve({ filter: /^\.\/storage\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}lib0${path.sep}`)
        ? { path: path.join(root, 'src/memoryStorage.ts') }
        : undefined,
    );
  },
};

export async function buildSdk(): Promise<{ gzipBytes: number }> {
  const common = {
    bundle: true,
    minify: true,
    target: 'es2022',
    legalComments: 'none',
    logLevel: 'warning',
    plugins: [memoryStorage],
  } as const;
  await build({
    ...common,
    entryPoints: [path.join(root, 'src/index.ts')],
    format: 'esm',
    outfile: path.join(root, 'dist/index.js'),
  });
  await build({ ...common, entryPoints: [path.join(root, 'src/dropin.ts')], format: 'iife', outfile: DROPIN });
  return { gzipBytes: gzipSync(readFileSync(DROPIN)).length };
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(here, 'build.ts')) {
  const { gzipBytes } = await buildSdk();
  console.log(`tandem-pages.js: ${(gzipBytes / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_GZIP_BYTES / 1024} KB)`);
  if (gzipBytes > BUDGET_GZIP_BYTES) process.exit(1);
}
