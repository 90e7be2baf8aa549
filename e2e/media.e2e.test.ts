import path from 'node:path';
import { launchChromium, screenshotsDir, serveStatic, type StaticServer } from '@tandem/devstack';
import { AccessToken } from 'livekit-server-sdk';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

type ProbeWindow = {
  probe: {
    join(url: string, token: string): Promise<string>;
    framesFrom(identity: string): number;
    iceServers(url: string, token: string): Promise<RTCIceServer[]>;
    relayOnlyMessage(iceServers: RTCIceServer[], text: string): Promise<{ message: string; path: string[] }>;
  };
};

const livekit = inject('livekit');
const room = `probe-${Date.now()}`;

async function tokenFor(identity: string): Promise<string> {
  const token = new AccessToken(livekit.apiKey, livekit.apiSecret, { identity, ttl: '5m' });
  token.addGrant({ room, roomJoin: true, canPublish: true, canSubscribe: true });
  return token.toJwt();
}

describe('media path: two Chromium pages on the real livekit-server', () => {
  let browser: Browser;
  let site: StaticServer;

  beforeAll(async () => {
    browser = await launchChromium();
    site = await serveStatic({
      '/probe/': path.join(import.meta.dirname, 'probe'),
      '/livekit-client/': path.join(import.meta.dirname, '../node_modules/livekit-client/dist'),
    });
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  async function joinAs(identity: string): Promise<Page> {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`[${identity}]`, e));
    await page.goto(`${site.origin}/probe/index.html`);
    const token = await tokenFor(identity);
    await page.evaluate(([url, t]) => (window as unknown as ProbeWindow).probe.join(url, t), [
      livekit.wsUrl,
      token,
    ] as const);
    return page;
  }

  it("each page decodes frames of the other page's camera", async () => {
    const alice = await joinAs('alice');
    const bob = await joinAs('bob');
    const framesSeen = (page: Page, from: string) =>
      page.evaluate((id) => (window as unknown as ProbeWindow).probe.framesFrom(id), from);
    await expect.poll(() => framesSeen(alice, 'bob'), { timeout: 30_000, interval: 250 }).toBeGreaterThan(10);
    await expect.poll(() => framesSeen(bob, 'alice'), { timeout: 30_000, interval: 250 }).toBeGreaterThan(10);
    await alice.screenshot({ path: path.join(screenshotsDir, 'probe-alice-sees-bob.png') });
  });

  it('carries data between two relay-only peer connections through the TURN server LiveKit hands out', async () => {
    const page = await browser.newPage();
    await page.goto(`${site.origin}/probe/index.html`);
    const token = await tokenFor('turn-user');
    const servers = await page.evaluate(([url, t]) => (window as unknown as ProbeWindow).probe.iceServers(url, t), [
      livekit.wsUrl,
      token,
    ] as const);
    expect(servers).toEqual([
      {
        urls: [expect.stringMatching(/^turn:127\.0\.0\.1:\d+\?transport=udp$/)],
        username: expect.any(String),
        credential: expect.any(String),
      },
    ]);
    const crossed = await page.evaluate(
      ([s, text]) => (window as unknown as ProbeWindow).probe.relayOnlyMessage(s, text),
      [servers, 'through TURN'] as const,
    );
    expect(crossed).toEqual({ message: 'through TURN', path: ['relay', 'relay'] });
    await page.close();
  });
});
