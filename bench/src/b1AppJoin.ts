import type { LivekitInfo } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Browser } from 'playwright-core';
import { openDesktop } from '../../e2e/support/desktop.ts';
import { signIn } from '../../e2e/support/people.ts';
import { serveRenderer } from '../../e2e/support/renderer.ts';
import { coordinationServer } from '../../e2e/support/server.ts';
import { hostCamera } from './hostCamera.ts';

type TimedWindow = { joinClickedAt?: number };

/**
 * B1 at the app level: a member's desktop (the shipped renderer in Chromium, main's real core
 * behind the IPC bridge) on the pre-join screen of a meeting whose host publishes its camera;
 * each run times, in the page's own clock, the click on "Join now" to the first decoded frame of
 * the host's camera, through the IPC, the coordination server's join and LiveKit. Then Leave,
 * and pre-join again.
 */
export async function appJoinTimes(livekit: LivekitInfo, browser: Browser, runs: number): Promise<number[]> {
  const site = await serveRenderer();
  const server = await coordinationServer(livekit, { WEB_APP_DIR: site.dir });
  const desktop = await openDesktop(browser, site, 'b1-member');
  const host = await hostCamera(server.url, 'B1 standup');
  const { meeting } = host;
  try {
    const { page } = desktop;
    await signIn(page, server.url, DEMO_PEOPLE[1]);
    const times: number[] = [];
    // One warm-up run: the call screen's first-ever load is not a join.
    for (let i = -1; i < runs; i += 1) {
      await page.getByLabel('Meeting code or link').fill(meeting.joinCode);
      await page.getByRole('button', { name: 'Join', exact: true }).click();
      await page.getByLabel('Your camera preview').waitFor({ timeout: 20_000 });
      const joinNow = page.getByRole('button', { name: 'Join now' });
      await joinNow.evaluate((button) =>
        button.addEventListener('click', () => ((window as TimedWindow).joinClickedAt = performance.now()), {
          capture: true,
          once: true,
        }),
      );
      await joinNow.click();
      const ms = await page.waitForFunction(
        () => {
          const video = document.querySelector<HTMLVideoElement>('video[data-local="false"][data-source="camera"]');
          const clicked = (window as TimedWindow).joinClickedAt;
          return video !== null && video.readyState >= 2 && video.videoWidth > 0 && clicked !== undefined
            ? performance.now() - clicked
            : false;
        },
        undefined,
        { polling: 'raf', timeout: 30_000 },
      );
      const value = await ms.jsonValue();
      if (i >= 0 && value !== false) times.push(value);
      await page.getByRole('button', { name: 'Leave' }).click();
      await page.getByLabel('Meeting code or link').waitFor();
    }
    return times;
  } finally {
    await host.close();
    await desktop.close();
    await server.dispose();
    await site.close();
  }
}
