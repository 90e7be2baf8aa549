import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StaticServer } from '@tandem/devstack';
import type { Browser, Page } from 'playwright-core';
import { startDesktopSide, type DesktopSide } from './ipcBridge.ts';
import { rendererUrl } from './renderer.ts';

/** One person's desktop app: the renderer in a Chromium page, main's handlers behind the bridge. */
export type Desktop = {
  readonly page: Page;
  readonly side: DesktopSide;
  /** Console reports of Content-Security-Policy violations: the shipped policy must hold. */
  readonly cspViolations: readonly string[];
  /** Uncaught exceptions in the page. */
  readonly pageErrors: readonly string[];
  /** A new desktop process on the same data folder (and OS key store), in a fresh page. */
  restart(): Promise<Desktop>;
  close(): Promise<void>;
};

/**
 * `argv`: the launch's arguments, e.g. with the `tandem://` link that started the app.
 * `timezoneId`: the computer's time zone as the page sees it (IANA), when not the machine's.
 */
export async function openDesktop(
  browser: Browser,
  site: StaticServer,
  who: string,
  dataDir?: string,
  argv?: readonly string[],
  timezoneId?: string,
): Promise<Desktop> {
  const dir = dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `tandem-e2e-${who}-`));
  const side = await startDesktopSide({
    dataDir: dir,
    pageOrigin: site.origin,
    ...(argv === undefined ? {} : { argv }),
  });
  const page = await browser.newPage({
    viewport: { width: 1280, height: 800 },
    ...(timezoneId === undefined ? {} : { timezoneId }),
  });
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => {
    pageErrors.push(e.message);
    console.error(`[${who}]`, e);
  });
  page.on('console', (message) => {
    if (message.type() === 'error' && message.text().includes('Content Security Policy'))
      cspViolations.push(message.text());
  });
  await page.goto(rendererUrl(site, side.bridgeUrl));
  // Once: a restarted desktop's old half is already closed when the suite closes everything.
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await page.close();
      await side.close();
    })());
  return {
    page,
    side,
    cspViolations,
    pageErrors,
    async restart() {
      await close();
      return openDesktop(browser, site, who, dir, undefined, timezoneId);
    },
    async close() {
      await close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
