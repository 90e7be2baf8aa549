import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, startLivekit } from '@tandem/devstack';
import type { ServerMessage } from '@tandem/shared';
import { serveRenderer } from '../../e2e/support/renderer.ts';
import { coordinationServer } from '../../e2e/support/server.ts';
import type { Benchmark } from './benchmark.ts';
import { firstRemoteFrame } from './firstRemoteFrame.ts';
import { hostCamera } from './hostCamera.ts';
import { call, connect } from './orgClient.ts';
import { summarise } from './stats.ts';

const RUNS = Number(process.env['B7_RUNS'] ?? 15);
/** A folder for the first measured guest's CPU profile of the page, link to frame (`BENCH_PROF`, as for the server). */
const PROFILE_DIR = process.env['BENCH_PROF'];

/**
 * B7: someone from outside opens a meeting's https link in a fresh browser tab (the page is the
 * browser client, showing the meeting with the name form), types a name, and is admitted by API
 * the moment they knock (so no host's reaction time counts). Measured from navigation to the first decoded frame of the host's camera (a remote
 * <video> with a frame), and from the knock alone. The host publishes from the e2e probe page.
 */
export const b7GuestJoin: Benchmark = {
  id: 'B7',
  what: 'join link opened in a browser to the first remote video frame, guest admitted on knock',
  goals: [
    { figure: 'linkToFrame.p50', below: 900, unit: 'ms' },
    { figure: 'linkToFrame.p95', below: 1300, unit: 'ms' },
  ],
  async run() {
    const livekit = await startLivekit();
    const site = await serveRenderer();
    const server = await coordinationServer(livekit, { WEB_APP_DIR: site.dir });
    const browser = await launchChromium();
    const camera = await hostCamera(server.url, 'B7 customer call');
    try {
      const { meeting, hostToken: token } = camera;
      // The host's side admits every knock at once.
      const host = await connect(server.url, token, (m: ServerMessage) => {
        if (m.type !== 'lobby.entry' || m.entry.status !== 'waiting' || m.entry.meetingId !== meeting.id) return;
        void call(server.url, 'POST', `/meetings/${meeting.id}/lobby/${m.entry.id}/admit`, token, {});
      });
      const linkToFrame: number[] = [];
      const knockToFrame: number[] = [];
      const linkToKnock: number[] = [];
      // One warm-up run so Chromium's first-ever page set-up is not counted.
      for (let i = -1; i < RUNS; i += 1) {
        const context = await browser.newContext({ viewport: { width: 1100, height: 760 } });
        const { framed: framedAt } = await firstRemoteFrame(context);
        const page = await context.newPage();
        const cdp = PROFILE_DIR === undefined || i !== 0 ? undefined : await context.newCDPSession(page);
        await cdp?.send('Profiler.enable');
        await cdp?.send('Profiler.setSamplingInterval', { interval: 100 });
        await cdp?.send('Profiler.start');
        const opened = performance.now();
        // The link's page is the browser client: it shows the meeting and asks for the name at once.
        await page.goto(meeting.webJoinUrl);
        await page.getByLabel('Your name').fill(`Guest ${i + 1}`);
        const knocked = performance.now();
        await page.getByRole('button', { name: 'Ask to join' }).click();
        const framed = await framedAt;
        if (cdp !== undefined && PROFILE_DIR !== undefined) {
          const { profile } = await cdp.send('Profiler.stop');
          fs.writeFileSync(path.join(PROFILE_DIR, `b7-guest-${Date.now()}.cpuprofile`), JSON.stringify(profile));
          await cdp.detach();
        }
        if (i >= 0) {
          linkToFrame.push(framed - opened);
          knockToFrame.push(framed - knocked);
          linkToKnock.push(knocked - opened);
        }
        await context.close();
      }
      host.terminate();
      const l = summarise(linkToFrame);
      const k = summarise(knockToFrame);
      const n = summarise(linkToKnock);
      return {
        params: { runs: RUNS, publisher: 'e2e/probe 640x360 fake camera', admission: 'by API on knock' },
        figures: {
          'linkToFrame.p50': l.p50,
          'linkToFrame.p95': l.p95,
          'linkToFrame.max': l.max,
          'knockToFrame.p50': k.p50,
          'knockToFrame.p95': k.p95,
          // The page's own start: navigation to the name form, filled (what the page load costs).
          'linkToKnock.p50': n.p50,
        },
      };
    } finally {
      await camera.close();
      await browser.close();
      await server.dispose();
      await site.close();
      await livekit.stop();
    }
  },
};
