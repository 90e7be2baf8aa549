import path from 'node:path';
import { repoRoot, serveStatic, type LivekitInfo } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { JoinResultSchema } from '@tandem/shared';
import type { Browser } from 'playwright-core';
import { openDesktop } from '../../e2e/support/desktop.ts';
import { ownerCreatesMeeting, ownerToken, signIn } from '../../e2e/support/people.ts';
import { serveRenderer } from '../../e2e/support/renderer.ts';
import { coordinationServer } from '../../e2e/support/server.ts';
import { call } from './orgClient.ts';

type ProbeWindow = { probe: { join(url: string, token: string): Promise<string> } };
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
  const probe = await serveStatic({
    '/probe/': path.join(repoRoot, 'e2e/probe'),
    '/livekit-client/': path.join(repoRoot, 'node_modules/livekit-client/dist'),
  });
  const desktop = await openDesktop(browser, site, 'b1-member');
  try {
    const meeting = await ownerCreatesMeeting(server.url, { title: 'B1 standup' });
    const hostJoin = JoinResultSchema.parse(
      await call(server.url, 'POST', `/meetings/${meeting.id}/join`, await ownerToken(server.url), {}),
    );
    if (hostJoin.status !== 'joined') throw new Error('the host did not get into the room');
    const publisher = await browser.newPage();
    await publisher.goto(`${probe.origin}/probe/index.html`);
    await publisher.evaluate(([u, t]) => (window as unknown as ProbeWindow).probe.join(u, t), [
      hostJoin.livekit.url,
      hostJoin.livekit.token,
    ] as const);

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
    await publisher.close();
    return times;
  } finally {
    await desktop.close();
    await probe.close();
    await server.dispose();
    await site.close();
  }
}
