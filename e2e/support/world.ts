import { launchChromium, type LivekitInfo, type StaticServer } from '@tandem/devstack';
import type { Browser } from 'playwright-core';
import { inject } from 'vitest';
import { openDesktop, type Desktop } from './desktop.ts';
import { serveRenderer } from './renderer.ts';
import { coordinationServer, type CoordinationServer } from './server.ts';

/** One desktop per person named, in that order. */
type Desktops<P extends readonly string[]> = { readonly [K in keyof P]: Desktop };

/**
 * What most end-to-end files start from: Chromium, the renderer built as it ships, the
 * coordination server on the run's livekit-server, and a desktop for each person named (each
 * with its own data folder). `close` ends all of it, in order.
 */
export type World<P extends readonly string[]> = {
  readonly browser: Browser;
  readonly site: StaticServer;
  readonly server: CoordinationServer;
  readonly desktops: Desktops<P>;
  close(): Promise<void>;
};

export async function startWorld<const P extends readonly string[]>(
  livekit: LivekitInfo,
  people: P,
  chromiumArgs: readonly string[] = [],
  /** More of the server's settings (apps/server/src/config.ts), e.g. `WEBHOOK_ALLOW_PRIVATE`. */
  serverEnv: Readonly<Record<string, string>> = {},
): Promise<World<P>> {
  const [browser, site] = await Promise.all([launchChromium(chromiumArgs), serveRenderer(inject('renderer'))]);
  // The server serves the same build at /app/: the browser client for people joining by link.
  const server = await coordinationServer(livekit, { WEB_APP_DIR: site.dir, ...serverEnv });
  const desktops = (await Promise.all(people.map((who) => openDesktop(browser, site, who)))) as unknown as Desktops<P>;
  return {
    browser,
    site,
    server,
    desktops,
    async close() {
      await Promise.all((desktops as readonly Desktop[]).map((desktop) => desktop.close()));
      await browser.close();
      await site.close();
      await server.dispose();
    },
  };
}
