import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { probeMedia, screenshotsDir, startRtmpServer, type RunningRtmpServer } from '@tandem/devstack';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { joinByCode, ownerCreatesMeeting, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';
import { DEMO_PEOPLE } from '@tandem/server';

const livekit = inject('livekit');
const [ADA] = DEMO_PEOPLE;
const LIVE = { timeout: 90_000, interval: 500 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * Live streaming in the app (issue 19): Ada hosts a call from the desktop and streams it from
 * Hands & host to a real RTMP server on loopback (Debian's nginx with its RTMP module, started by
 * devstack); the panel shows Live with the stream's bitrate as the server pushes it, and what
 * nginx received probes as h264 + aac. The server may stream to loopback (`STREAM_ALLOW_PRIVATE`)
 * and seals stream keys with its vault keyring.
 */
describe('live streaming from the call (real server, recorder, nginx-rtmp, Chromium)', () => {
  let rtmp: RunningRtmpServer;
  let world: World<readonly ['ada']>;
  const key = `e2e-${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    rtmp = await startRtmpServer();
    world = await startWorld(livekit, ['ada'], [], {
      STREAM_ALLOW_PRIVATE: '1',
      PROVIDER_TOKEN_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    });
  });
  afterAll(async () => {
    await world?.close();
    await rtmp?.stop();
  });

  it('Ada streams the call: Live with its bitrate, then stopped; nginx received h264 + aac', async () => {
    const [ada] = world.desktops;
    const { page } = ada;
    const meeting = await ownerCreatesMeeting(world.server.url, { title: 'All hands' });
    await signIn(page, world.server.url, ADA);
    await joinByCode(page, meeting.joinCode);
    await page.getByRole('button', { name: 'Hands & host' }).click();
    const panel = page.getByRole('region', { name: 'Live stream' });
    await panel.getByText('Not streaming.').waitFor(LIVE);

    // A web address is not a stream destination: refused before it is sent.
    await panel.getByRole('textbox', { name: 'Stream address (RTMP or RTMPS)' }).fill('https://example.com/live');
    await panel.getByLabel('Stream key').fill(key);
    await panel.getByRole('button', { name: 'Start streaming' }).click();
    await panel
      .getByRole('alert')
      .getByText(/Type an rtmp:\/\/ or rtmps:\/\/ address/)
      .waitFor();

    await panel.getByRole('textbox', { name: 'Stream address (RTMP or RTMPS)' }).fill(rtmp.url);
    await panel.getByRole('button', { name: 'Start streaming' }).click();
    await panel.getByText(/^Live · [\d,.]+ kbit\/s · \d+ fps$/).waitFor(LIVE);
    expect(await panel.getByLabel('Stream key').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'live-stream');
    // Let nginx record a few seconds.
    await page.waitForTimeout(4000);

    await panel.getByRole('button', { name: 'Stop streaming' }).click();
    await panel.getByText('Stopped.').waitFor(LIVE);
    // The key is kept (encrypted): streaming again needs only the address.
    await panel.getByText('A key is saved for this address: leave it empty to use it.').waitFor();

    const file = rtmp.recorded(key);
    await expect.poll(() => fs.existsSync(file) && fs.statSync(file).size > 50_000, LIVE).toBe(true);
    const probed = probeMedia(file);
    expect(probed.videoCodec).toBe('h264');
    expect(probed.audioCodec).toBe('aac');
  });
});
