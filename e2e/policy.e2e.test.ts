import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { applyPolicy, parsePolicy } from '@tandem/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
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

  it('fixes the language (German, from the sign-in screen on), closing to the tray, no start at login and no global shortcuts: Settings shows each locked', async () => {
    const { policy, problems } = parsePolicy(
      { serverUrl: server.url, language: 'de', closeToTray: 1, startAtLogin: 'off', globalShortcuts: 0 },
      'HKLM',
    );
    expect(problems).toEqual([]);
    const lockedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-policy-de-'));
    const locked = await startDesktopSide({
      dataDir: lockedDir,
      pageOrigin: site.origin,
      policy: applyPolicy({}, policy),
    });
    // The browser's own language is English: the German is the policy's.
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    try {
      await page.goto(rendererUrl(site, locked.bridgeUrl));
      const [, person] = DEMO_PEOPLE;
      await page.getByLabel('E-Mail').fill(person.email);
      await page.getByLabel('Passwort').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Anmelden', exact: true }).click();
      await page.getByRole('heading', { name: `Hallo, ${person.name}` }).waitFor({ timeout: 60_000 });
      await page.getByRole('navigation', { name: 'Hauptmenü' }).getByRole('button', { name: 'Einstellungen' }).click();
      await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('de');

      const language = page.getByLabel('Sprache der App');
      expect(await language.inputValue()).toBe('de');
      expect(await language.isDisabled()).toBe(true);
      const tray = page.getByLabel('Tandem beim Schließen des Fensters im Infobereich weiterlaufen lassen');
      expect([await tray.isChecked(), await tray.isDisabled()]).toEqual([true, true]);
      const login = page.getByLabel('Tandem beim Anmelden an diesem Computer starten, minimiert im Infobereich');
      expect([await login.isChecked(), await login.isDisabled()]).toEqual([false, true]);
      // The language's hint and the Desktop card's both say who set them.
      expect(await page.getByText('Von Ihrer Organisation festgelegt.').count()).toBe(2);
      const shortcuts = page.getByLabel('Globale Tastenkürzel', { exact: false });
      expect([await shortcuts.isChecked(), await shortcuts.isDisabled()]).toEqual([false, true]);
      await page.getByText('Ihre Organisation hat globale Tastenkürzel auf diesem Computer ausgeschaltet.').waitFor();
      expect(await page.getByLabel('Drücken zum Sprechen', { exact: false }).isDisabled()).toBe(true);
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByRole('heading', { name: 'Desktop' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(screenshotsDir, 'settings-desktop-locked-de.png') });
    } finally {
      await page.close();
      await locked.close();
      fs.rmSync(lockedDir, { recursive: true, force: true });
    }
  });
});
