import fs from 'node:fs';
import { buildRenderer, serveStatic, type StaticServer } from '@tandem/devstack';
import { BRIDGE_QUERY_PARAM } from '@tandem/shared';

/** The served build, and its folder (the coordination server serves the same build as the browser client). */
export type RendererSite = StaticServer & { readonly dir: string };

/** Builds the renderer as the app ships it (`buildRenderer`) and serves it on http://localhost. */
export async function serveRenderer(): Promise<RendererSite> {
  const outDir = buildRenderer();
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
