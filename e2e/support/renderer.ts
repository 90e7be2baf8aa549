import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, serveStatic, type StaticServer } from '@tandem/devstack';
import { BRIDGE_QUERY_PARAM } from '@tandem/shared';

const desktopDir = path.join(repoRoot, 'apps/desktop');

/**
 * Builds the renderer exactly as the app ships it (vite, the same CSP, no dev server) and serves
 * it on http://localhost. Each call builds into its own temporary folder: test files run in
 * parallel workers, and one build emptying a shared folder would pull files from under another's
 * page. A build error fails the suite with vite's output.
 */
/** The served build, and its folder (the coordination server serves the same build as the browser client). */
export type RendererSite = StaticServer & { readonly dir: string };

export async function serveRenderer(): Promise<RendererSite> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-renderer-'));
  const build = spawnSync(
    path.join(repoRoot, 'node_modules/.bin/vite'),
    ['build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    { cwd: desktopDir, encoding: 'utf8' },
  );
  if (build.status !== 0) {
    fs.rmSync(outDir, { recursive: true, force: true });
    throw new Error(`renderer build failed:\n${build.stdout}\n${build.stderr}`);
  }
  const site = await serveStatic({ '/': outDir });
  return {
    origin: site.origin,
    dir: outDir,
    async close() {
      await site.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** The page URL that makes the renderer's bridge talk to a harness over WebSocket. */
export function rendererUrl(site: StaticServer, bridgeUrl: string): string {
  return `${site.origin}/index.html?${BRIDGE_QUERY_PARAM}=${encodeURIComponent(bridgeUrl)}`;
}
