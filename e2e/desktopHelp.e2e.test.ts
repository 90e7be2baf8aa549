import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  webhookPair,
  launchChromium,
  screenshotsDir,
  startLivekit,
  type RunningLivekit,
  type StaticServer,
} from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { ConnectionTestReport } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { openDesktop } from './support/desktop.ts';
import { startDesktopSide, type DesktopSide } from './support/ipcBridge.ts';
import { createMeeting, joinByCode, signIn } from './support/people.ts';
import { rendererUrl, serveRenderer } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

/** One check's row on the screen, found by its name. */
const row = (page: Page, name: string) => page.getByRole('listitem').filter({ hasText: name });

/** The state each check shows, in the screen's order. */
const states = (page: Page) =>
  page
    .locator('.connection-test li[data-check]')
    .evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-check'), r.getAttribute('data-state')]));

/**
 * What the help desk and colleagues see of a desktop: the busy status others see while one is in
 * a call (LiveKit's webhooks reach the server), then Help → Connection test, which ends by
 * stopping this file's own livekit-server.
 */
describe('busy status and Help → Connection test', () => {
  let browser: Browser;
  let site: StaticServer;
  // A livekit-server of this file's own: the test stops it.
  let livekit: RunningLivekit | undefined;
  let server: CoordinationServer;
  let side: DesktopSide;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-connection-'));

  beforeAll(async () => {
    // The server's presence follows LiveKit's webhooks: this livekit-server posts them to it.
    [browser, site, [livekit, server]] = await Promise.all([
      launchChromium(),
      serveRenderer(inject('renderer')),
      webhookPair(
        '/livekit/webhook',
        (url) => startLivekit({ webhookUrls: [url] }),
        (started, port) => coordinationServer(started, { PORT: String(port) }),
      ),
    ]);
    side = await startDesktopSide({ dataDir, pageOrigin: site.origin });
  });
  afterAll(async () => {
    await side?.close();
    await browser?.close();
    await site?.close();
    await server?.dispose();
    await livekit?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('Grace joins a call and Ada sees “In a call” beside her in People; it goes when Grace leaves', async () => {
    const [ada, grace] = await Promise.all([openDesktop(browser, site, 'ada'), openDesktop(browser, site, 'grace')]);
    try {
      const [adaPerson, gracePerson] = DEMO_PEOPLE;
      await signIn(ada.page, server.url, adaPerson);
      await signIn(grace.page, server.url, gracePerson);
      const code = await createMeeting(ada.page, 'Busy status');
      const people = ada.page.getByRole('region', { name: 'People', exact: true });
      const graceRow = people.getByRole('listitem').filter({ hasText: gracePerson.name });
      await graceRow.waitFor({ timeout: 20_000 });
      expect(await graceRow.locator('.presence-busy').count()).toBe(0);

      await joinByCode(grace.page, code);
      await graceRow.locator('.presence-busy', { hasText: 'In a call' }).waitFor({ timeout: 20_000 });
      await graceRow.getByRole('img', { name: 'In a call' }).waitFor();
      expect(await accessibilityViolations(ada.page)).toEqual([]);
      await people.scrollIntoViewIfNeeded();
      await ada.page.screenshot({ path: path.join(screenshotsDir, 'busy-in-a-call.png') });

      await grace.page.getByRole('button', { name: 'Leave' }).click();
      await graceRow.locator('.presence-busy').waitFor({ state: 'detached', timeout: 20_000 });
    } finally {
      await Promise.all([ada.close(), grace.close()]);
    }
  });

  it('passes every check, the TURN relay included, then reports the stopped livekit-server as unreachable (media path and relay not tested) while the server, its WebSocket and the devices pass; Collect logs has the result', async () => {
    const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(rendererUrl(site, side.bridgeUrl));
    const [person] = DEMO_PEOPLE;
    await signIn(page, server.url, person);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('button', { name: 'Connection test' }).click();
    await page.getByRole('heading', { name: 'Connection test', level: 1 }).waitFor();

    // Everything up: each check passes; the media path names how it got through, the relay how it
    // reached LiveKit's TURN server (UDP: the dev stack's TURN has no TLS).
    await page.getByRole('status').filter({ hasText: 'Every check passed.' }).waitFor({ timeout: 45_000 });
    expect(await states(page)).toEqual([
      ['server', 'passed'],
      ['websocket', 'passed'],
      ['livekit', 'passed'],
      ['media', 'passed'],
      ['relay', 'passed'],
      ['camera', 'passed'],
      ['microphone', 'passed'],
    ]);
    expect(await row(page, 'Media path').textContent()).toMatch(
      /Passed \(\d+ ms\): (udp|tcp) (host|srflx|prflx|relay)/,
    );
    expect(await row(page, 'Relay for restricted networks (TURN)').textContent()).toMatch(/Passed \(\d+ ms\): udp$/);

    await livekit?.stop();
    livekit = undefined;
    await page.getByRole('button', { name: 'Run again' }).click();
    await page.getByRole('status').filter({ hasText: '1 check failed.' }).waitFor({ timeout: 45_000 });
    expect(await states(page)).toEqual([
      ['server', 'passed'],
      ['websocket', 'passed'],
      ['livekit', 'failed'],
      ['media', 'skipped'],
      ['relay', 'skipped'],
      ['camera', 'passed'],
      ['microphone', 'passed'],
    ]);
    expect(await row(page, 'Media server signalling').textContent()).toContain('Failed: unreachable');
    expect(await row(page, 'Media path').textContent()).toContain('Not tested');
    expect(await row(page, 'Relay for restricted networks').textContent()).toContain('Not tested');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'connection-test.png') });

    // Collect logs carries this run (Settings → Help → Collect logs).
    await page.getByRole('button', { name: 'Back to Settings' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Collect logs' }).click(),
    ]);
    const archive = path.join(dataDir, download.suggestedFilename());
    await download.saveAs(archive);
    const report = JSON.parse(
      spawnSync('unzip', ['-p', archive, 'connection-test.json'], { encoding: 'utf8' }).stdout,
    ) as ConnectionTestReport;
    expect(report.results.find((r) => r.check === 'livekit')).toMatchObject({ state: 'failed', reason: 'unreachable' });
    expect(report.results.find((r) => r.check === 'server')).toMatchObject({ state: 'passed' });
    expect(report.results.find((r) => r.check === 'relay')).toEqual({ check: 'relay', state: 'skipped' });
    expect(errors).toEqual([]);
    await context.close();
  });
});
