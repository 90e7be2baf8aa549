import path from 'node:path';
import { launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { framesDecoded } from './support/media.ts';
import { rendererUrl, serveRenderer } from './support/renderer.ts';
import { startStubMain, type StubMain } from './support/stubMain.ts';

const livekit = inject('livekit');
const room = `call-${Date.now()}`;
const MEDIA_TIMEOUT = 45_000;

describe('in-call (main stubbed until the IPC bridge lands): two renderers on the real livekit-server', () => {
  let browser: Browser;
  let site: StaticServer;
  const mains: StubMain[] = [];

  beforeAll(async () => {
    [browser, site] = await Promise.all([launchChromium(), serveRenderer()]);
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await Promise.all(mains.map((m) => m.close()));
  });

  async function openAs(id: string, name: string): Promise<Page> {
    const main = await startStubMain(livekit, { id, name }, room);
    mains.push(main);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => console.error(`[${id}]`, e));
    await page.goto(rendererUrl(site, main.url));
    return page;
  }

  async function joinFromHome(page: Page, shot?: string): Promise<void> {
    await page.getByRole('button', { name: 'Join Weekly sync' }).click();
    await expect
      .poll(() => page.locator('video[aria-label="Your camera preview"]').count(), { timeout: 20_000 })
      .toBe(1);
    if (shot !== undefined) await page.screenshot({ path: path.join(screenshotsDir, shot) });
    await page.getByRole('button', { name: 'Join now' }).click();
    await page.getByRole('navigation', { name: 'Call controls' }).waitFor({ timeout: 20_000 });
  }

  it('both see each other, and one sees the screen the other shares', async () => {
    const ada = await openAs('ada', 'Ada Lovelace');
    const bob = await openAs('bob', 'Bob Babbage');
    await ada.getByRole('heading', { name: 'Upcoming meetings' }).waitFor();
    await ada.screenshot({ path: path.join(screenshotsDir, 'home.png') });

    await joinFromHome(ada, 'prejoin.png');
    await joinFromHome(bob);

    await expect
      .poll(() => framesDecoded(ada, 'bob', 'camera'), { timeout: MEDIA_TIMEOUT, interval: 500 })
      .toBeGreaterThan(10);
    await expect
      .poll(() => framesDecoded(bob, 'ada', 'camera'), { timeout: MEDIA_TIMEOUT, interval: 500 })
      .toBeGreaterThan(10);
    await ada.screenshot({ path: path.join(screenshotsDir, 'call-grid.png') });

    await ada.getByRole('button', { name: 'Share screen' }).click();
    await expect
      .poll(() => framesDecoded(bob, 'ada', 'screen_share'), { timeout: MEDIA_TIMEOUT, interval: 500 })
      .toBeGreaterThan(5);
    await bob.screenshot({ path: path.join(screenshotsDir, 'screen-share.png') });
  });
});
