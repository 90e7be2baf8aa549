import path from 'node:path';
import { build, type PluginOption } from 'vite';

/**
 * Builds one of the bench's own pages (a folder beside its benchmark whose HTML entries import
 * the renderer's modules) into `outDir`, for Chromium to open from a static server.
 */
export async function buildBenchPage(
  root: string,
  outDir: string,
  {
    entries = ['index.html'],
    plugins = [],
  }: { readonly entries?: readonly string[]; readonly plugins?: PluginOption[] } = {},
): Promise<void> {
  await build({
    root,
    base: './',
    logLevel: 'warn',
    configFile: false,
    plugins,
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome130',
      rolldownOptions: {
        input: Object.fromEntries(entries.map((entry) => [path.basename(entry, '.html'), path.join(root, entry)])),
      },
    },
  });
}
