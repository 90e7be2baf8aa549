import fs from 'node:fs';
import { buildRenderer, serveStatic, type StaticServer } from '@tandem/devstack';
import { BRIDGE_QUERY_PARAM } from '@tandem/shared';

/** The served build, and its folder (the coordination server serves the same build as the browser client). */
export type RendererSite = StaticServer & { readonly dir: string };

/**
 * Serves a build of the renderer as the app ships it on http://localhost: the given folder (the
 * test run's one build, `inject('renderer')`, left in place at close), or a new `buildRenderer()`
 * removed at close (the benchmarks).
 */
export async function serveRenderer(built?: string): Promise<RendererSite> {
  const outDir = built ?? buildRenderer();
  const site = await serveStatic({ '/': outDir });
  return {
    origin: site.origin,
    dir: outDir,
    async close() {
      await site.close();
      if (built === undefined) fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** The page URL that makes the renderer's bridge talk to a harness over WebSocket. */
export function rendererUrl(site: StaticServer, bridgeUrl: string): string {
  return `${site.origin}/index.html?${BRIDGE_QUERY_PARAM}=${encodeURIComponent(bridgeUrl)}`;
}
