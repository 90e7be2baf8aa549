import path from 'node:path';
import { launchChromium, repoRoot, serveStatic, startLivekit } from '@tandem/devstack';
import { AccessToken } from 'livekit-server-sdk';
import { mediaSwitchArgs } from '../../apps/desktop/src/main/shell/mediaSwitches.ts';
import { appJoinTimes } from './b1AppJoin.ts';
import type { Benchmark } from './benchmark.ts';
import { summarise } from './stats.ts';

type ProbeWindow = {
  probe: {
    join(url: string, token: string): Promise<string>;
    joinTimed(url: string, token: string): Promise<{ connectMs: number; firstFrameMs: number }>;
  };
};

const JOINS = 20;
/** Joins made after the previous joiner has been gone this long, outside every keyframe-request window. */
const PAUSED_JOINS = 5;
const PAUSE_MS = 1_500;
/** Joins from the app's pre-join screen (the figure people feel). */
const APP_JOINS = Number(process.env['B1_APP_JOINS'] ?? 10);

/**
 * B1: a publisher is live; a second Chromium page joins the room JOINS times and measures
 * connect() alone and join-to-first-decoded-remote-frame (requestVideoFrameCallback).
 * It uses e2e/probe (the smallest livekit-client page), so it measures the media path
 * without the app's own UI work. The joins follow each other at once, as people do when a meeting
 * starts (each asks the publisher for a keyframe right after the one before); PAUSED_JOINS more
 * come after a pause, to show what is left when no earlier request is in the way.
 */
export const b1Join: Benchmark = {
  id: 'B1',
  what: 'join to first remote video frame: from the app’s Join now, and the bare livekit-client floor',
  goals: [
    { figure: 'app.joinToFrame.p50', below: 350, unit: 'ms' },
    { figure: 'app.joinToFrame.p95', below: 500, unit: 'ms' },
    { figure: 'firstFrame.p50', below: 250, unit: 'ms' },
    { figure: 'firstFrame.p95', below: 400, unit: 'ms' },
    { figure: 'connect.p95', below: 150, unit: 'ms' },
  ],
  async run() {
    const livekit = await startLivekit();
    // Every page here is a desktop participant: Chromium starts with the app's media switches.
    const browser = await launchChromium(mediaSwitchArgs());
    const site = await serveStatic({
      '/probe/': path.join(repoRoot, 'e2e/probe'),
      '/livekit-client/': path.join(repoRoot, 'node_modules/livekit-client/dist'),
    });
    const room = `b1-${Date.now()}`;
    const token = (identity: string) => {
      const t = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity, ttl: '10m' });
      t.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true });
      return t.toJwt();
    };
    try {
      const publisher = await browser.newPage();
      await publisher.goto(`${site.origin}/probe/index.html`);
      const pubToken = await token('publisher');
      await publisher.evaluate(([u, t]) => (window as unknown as ProbeWindow).probe.join(u, t), [
        livekit.wsUrl,
        pubToken,
      ] as const);
      const joiner = await browser.newPage();
      await joiner.goto(`${site.origin}/probe/index.html`);
      const connect: number[] = [];
      const firstFrame: number[] = [];
      // One warm-up join so the page's module and codec set-up is not counted as a join.
      for (let i = -1; i < JOINS; i += 1) {
        const t = await token(`joiner-${i + 1}`);
        const r = await joiner.evaluate(([u, tk]) => (window as unknown as ProbeWindow).probe.joinTimed(u, tk), [
          livekit.wsUrl,
          t,
        ] as const);
        if (i >= 0) {
          connect.push(r.connectMs);
          firstFrame.push(r.firstFrameMs);
        }
      }
      const afterPause: number[] = [];
      for (let i = 0; i < PAUSED_JOINS; i += 1) {
        await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
        const t = await token(`paused-${i}`);
        const r = await joiner.evaluate(([u, tk]) => (window as unknown as ProbeWindow).probe.joinTimed(u, tk), [
          livekit.wsUrl,
          t,
        ] as const);
        afterPause.push(r.firstFrameMs);
      }
      const a = summarise(await appJoinTimes(livekit, browser, APP_JOINS));
      const c = summarise(connect);
      const f = summarise(firstFrame);
      const p = summarise(afterPause);
      return {
        params: {
          joins: JOINS,
          pausedJoins: PAUSED_JOINS,
          pauseMs: PAUSE_MS,
          appJoins: APP_JOINS,
          publisher: '640x360 fake camera, simulcast',
          page: 'e2e/probe',
        },
        figures: {
          'app.joinToFrame.p50': a.p50,
          'app.joinToFrame.p95': a.p95,
          'app.joinToFrame.max': a.max,
          'connect.p50': c.p50,
          'connect.p95': c.p95,
          'firstFrame.p50': f.p50,
          'firstFrame.p95': f.p95,
          'firstFrame.max': f.max,
          'firstFrameAfterPause.p50': p.p50,
          'firstFrameAfterPause.max': p.max,
        },
      };
    } finally {
      await browser.close();
      await site.close();
      await livekit.stop();
    }
  },
};
