/**
 * Builds the main process and the preload to out/ (the renderer has its own vite.config.ts).
 * Needs no Electron binary: it only bundles.
 *
 * - out/main/index.js: the main process (ESM), from src/main/entry.ts
 * - out/main/dbWorker.js: the cache's worker thread, from src/main/db/worker.ts
 * - out/preload/index.cjs: the preload (CommonJS, as a sandboxed preload must be), with the
 *   shared contract bundled in, since a sandboxed preload can require nothing but electron
 */
import { builtinModules } from 'node:module';
import path from 'node:path';
import { build } from 'vite';
import pkg from '../package.json' with { type: 'json' };

const root = path.resolve(import.meta.dirname, '..');
const node = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
// Runtime dependencies stay in node_modules (electron-builder packs them; better-sqlite3 is native).
const dependencies = Object.keys(pkg.dependencies).filter((name) => !name.startsWith('@tandem/'));
const external = (id: string) =>
  id === 'electron' || node.includes(id) || dependencies.some((d) => id === d || id.startsWith(`${d}/`));

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'out/main',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: true,
    rollupOptions: {
      input: { index: 'src/main/entry.ts', dbWorker: 'src/main/db/worker.ts' },
      external,
      output: { format: 'es', entryFileNames: '[name].js' },
    },
  },
  ssr: { noExternal: ['@tandem/shared', '@tandem/sqlite-checkpointer'] },
});

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  build: {
    ssr: true,
    outDir: 'out/preload',
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    rollupOptions: {
      input: { index: 'src/preload/index.ts' },
      external: ['electron'],
      output: { format: 'cjs', entryFileNames: '[name].cjs' },
    },
  },
  ssr: { noExternal: true },
});
