import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { applyPolicy, parsePolicy } from '@tandem/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startDesktopSide, type DesktopSide } from './support/ipcBridge.ts';
import { createMeeting, joinFromPreview, signIn } from './support/people.ts';
import { rendererUrl, serveRenderer } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');

describe('IT policy in the app: locked settings show as set by the organisation', () => {
  let browser: Browser;
  let site: StaticServer;
  let server: CoordinationServer;
  let side: DesktopSide;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-policy-'));

  beforeAll(async () => {
    [browser, site, server] = await Promise.all([
      launchChromium(),
      serveRenderer(inject('renderer')),
      coordinationServer(livekit),
    ]);
    // What the Windows registry reader hands over: a DWORD 0 for allow2160p.
    const { policy, problems } = parsePolicy(
      { serverUrl: server.url, allow2160p: 0, telemetry: false, screenShare: 'nobody' },
      'HKLM',
    );
    expect(problems).toEqual([]);
    side = await startDesktopSide({ dataDir, pageOrigin: site.origin, policy: applyPolicy({}, policy) });
  });
  afterAll(async () => {
    await side?.close();
    await browser?.close();
    await site?.close();
    await server?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('fixes the server at sign-in, locks 2160p off in Settings and turns screen sharing off in calls', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(rendererUrl(site, side.bridgeUrl));
    const serverField = page.getByLabel('Server', { exact: true });
    await expect.poll(() => serverField.inputValue()).toBe(server.url);
    expect(await serverField.getAttribute('readonly')).not.toBeNull();
    await page.getByText('Set by your organisation.').waitFor();

    const [person] = DEMO_PEOPLE;
    await signIn(page, server.url, person);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const uhd = page.getByLabel('Send 2160p (4K) video when my camera supports it');
    expect(await uhd.isDisabled()).toBe(true);
    expect(await uhd.isChecked()).toBe(false);
    const managed = page.getByRole('region', { name: 'Set by your organisation' });
    await expect.poll(() => managed.getByText('2160p (4K) video').count()).toBe(1);
    expect(await managed.getByText('Usage data').count()).toBe(1);
    expect(await managed.getByText(server.url).count()).toBe(1);
    expect(await managed.getByText('Who may share their screen').count()).toBe(1);
    await page.screenshot({ path: path.join(screenshotsDir, 'settings-locked-by-policy.png') });

    // In a call of her own (she is its host), sharing stays off on this machine, and says why.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    await createMeeting(page, 'No sharing here');
    await page.getByRole('button', { name: 'Join No sharing here' }).click();
    await joinFromPreview(page);
    const share = page.getByRole('button', { name: 'Share screen' });
    expect(await share.isDisabled()).toBe(true);
    expect(await share.getAttribute('title')).toBe('Your organisation has turned screen sharing off on this computer.');
    await page.screenshot({ path: path.join(screenshotsDir, 'call-share-off-by-policy.png') });
    await page.close();
  });
});
