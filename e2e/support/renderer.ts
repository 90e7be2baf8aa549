import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot, serveStatic, type StaticServer } from '@tandem/devstack';
import { BRIDGE_QUERY_PARAM } from '@tandem/shared';

const desktopDir = path.join(repoRoot, 'apps/desktop');

/**
 * Builds the renderer exactly as the app ships it (vite, the same CSP, no dev server) and serves
 * it on http://localhost. Built once per test file; a build error fails the suite with vite's output.
 */
export async function serveRenderer(): Promise<StaticServer> {
  const build = spawnSync(path.join(repoRoot, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], {
    cwd: desktopDir,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`renderer build failed:\n${build.stdout}\n${build.stderr}`);
  return serveStatic({ '/': path.join(desktopDir, 'out/renderer') });
}

/** The page URL that makes the renderer's bridge talk to a harness over WebSocket. */
export function rendererUrl(site: StaticServer, bridgeUrl: string): string {
  return `${site.origin}/index.html?${BRIDGE_QUERY_PARAM}=${encodeURIComponent(bridgeUrl)}`;
}
