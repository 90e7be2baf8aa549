import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCjkFonts, launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { ConversationSchema, ROUTES } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { startDesktopSide, type DesktopSide } from './support/ipcBridge.ts';
import { createMeeting, joinFromPreview, ownerToken, signIn } from './support/people.ts';
import { rendererUrl, serveRenderer } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');

/** The language picker in Settings (its label is mirrored in the right-to-left pseudo-locale). */
const languagePicker = (page: Page) => page.locator('select[name="language"]');

async function choose(page: Page, language: string): Promise<void> {
  await languagePicker(page).selectOption(language);
}

describe('a desktop app that behaves like one: languages, global shortcuts', () => {
  let browser: Browser;
  let site: StaticServer;
  let server: CoordinationServer;
  let side: DesktopSide;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-native-'));

  beforeAll(async () => {
    // The Japanese screenshot needs Japanese glyphs (installed by `npm run setup`, or here).
    ensureCjkFonts();
    [browser, site, server] = await Promise.all([
      launchChromium(),
      serveRenderer(inject('renderer')),
      coordinationServer(livekit),
    ]);
    // Another app on this computer holds Alt+Shift+K (none of the app's defaults).
    side = await startDesktopSide({ dataDir, pageOrigin: site.origin, shortcutsTakenByOthers: ['Alt+Shift+K'] });
  });
  afterAll(async () => {
    await side?.close();
    await browser?.close();
    await site?.close();
    await server?.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('switching the language in Settings changes the screens (the annotation overlay’s window too): German, Japanese, right-to-left, and back', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // react-intl reports a missing message or a formatting error on the console.
    page.on('console', (m) => {
      if (m.type() === 'error' && /formatjs|intl/i.test(m.text())) errors.push(m.text());
    });
    await page.goto(rendererUrl(site, side.bridgeUrl));
    const [person] = DEMO_PEOPLE;
    await signIn(page, server.url, person);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');

    await choose(page, 'de');
    const navDe = page.getByRole('navigation', { name: 'Hauptmenü' });
    await navDe.getByRole('button', { name: 'Einstellungen' }).waitFor();
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Benachrichtigungen' }).waitFor();
    expect(await page.getByRole('button', { name: 'Abmelden' }).count()).toBe(1);
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'de',
      'ltr',
    ]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'i18n-de.png') });
    // The annotation overlay is a window of its own (the same page at #overlay, as main loads it):
    // it reads the app's language from the settings, not from the window that chose it.
    const overlaySays = async (lang: string, label: string) => {
      const overlay = await context.newPage();
      await overlay.goto(`${rendererUrl(site, side.bridgeUrl)}#overlay`);
      const drawing = overlay.locator('svg.annotation-overlay');
      await expect.poll(() => drawing.getAttribute('aria-label')).toBe(label);
      expect(await overlay.evaluate(() => document.documentElement.lang)).toBe(lang);
      await overlay.close();
    };
    await overlaySays('de', 'Anmerkungen auf Ihrem geteilten Bildschirm: 0');
    // The feature screens follow too: Decisions and Search.
    await navDe.getByRole('button', { name: 'Entscheidungen' }).click();
    await page.getByRole('heading', { name: 'Entscheidungen', level: 1 }).waitFor();
    await page.getByText('Entscheidungen und Aufgaben aus allen Besprechungen.', { exact: false }).waitFor();
    await page.getByRole('checkbox', { name: 'Meine' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'i18n-de-decisions.png') });
    await navDe.getByRole('button', { name: 'Suche' }).click();
    await page.getByRole('heading', { name: 'Suchen', level: 1 }).waitFor();
    await page.getByPlaceholder('Nachrichten, Dateien, Kanäle und Personen suchen').waitFor();
    await navDe.getByRole('button', { name: 'Einstellungen' }).click();
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();

    await choose(page, 'ja');
    await page.getByRole('heading', { name: '設定', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'メイン' }).getByRole('button', { name: 'ホーム' }).waitFor();
    await page.getByText('すべての新着メッセージ').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ja');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'i18n-ja.png') });
    await overlaySays('ja', '共有中の画面の注釈: 0');
    // Home's chat lists (channels, direct messages, groups) in Japanese.
    const navJa = page.getByRole('navigation', { name: 'メイン' });
    await navJa.getByRole('button', { name: 'ホーム' }).click();
    await page.getByRole('heading', { name: 'チャンネル', exact: true }).waitFor();
    await page.getByRole('heading', { name: 'ダイレクトメッセージ' }).waitFor();
    await page.getByRole('button', { name: 'チャンネルを作成' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'i18n-ja-home.png') });
    await navJa.getByRole('button', { name: '設定' }).click();
    await page.getByRole('heading', { name: '設定', level: 1 }).waitFor();

    await choose(page, 'ar-XB');
    await expect.poll(() => page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('ar-XB');
    // Mirrored: the brand sits at the right edge of the top bar, the navigation to its left.
    const brand = await page.locator('.brand').boundingBox();
    const navBox = await page.locator('.top-bar nav').boundingBox();
    expect(brand !== null && navBox !== null && brand.x > navBox.x).toBe(true);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'i18n-rtl.png') });

    // Back to the system's language: this page's is English.
    await choose(page, 'system');
    await nav.getByRole('button', { name: 'Settings' }).waitFor();
    expect(await page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([
      'en',
      'ltr',
    ]);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('follows the OS’s preferred language when none is chosen (a German system)', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(rendererUrl(site, side.bridgeUrl));
    // Still signed in from the first test (the session is main's): home, in German.
    const [person] = DEMO_PEOPLE;
    await page.getByRole('heading', { name: `Hallo, ${person.name}` }).waitFor();
    await page.getByRole('heading', { name: 'Anstehende Besprechungen' }).waitFor();
    const nav = page.getByRole('navigation', { name: 'Hauptmenü' });
    await nav.getByRole('button', { name: 'Einstellungen' }).click();
    await expect.poll(() => languagePicker(page).inputValue()).toBe('system');
    await page.getByRole('option', { name: 'Sprache des Systems (Deutsch)' }).waitFor({ state: 'attached' });
    await context.close();
  });

  it('the global mute and camera shortcuts act on the current call, and one another app holds is reported in Settings (OS shortcuts played at the platform seam)', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(rendererUrl(site, side.bridgeUrl));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Settings' }).click();
    // The Desktop card: close to tray, start at login, the shortcuts as main registered them.
    await page.getByLabel('Keep Tandem running in the tray when I close its window').waitFor();
    expect(await page.getByLabel('Mute or unmute').inputValue()).toBe('CommandOrControl+Shift+M');
    // A shortcut another app holds: main could not register it, and Settings says so.
    const camera = page.getByLabel('Camera on or off');
    const conflict = page.getByRole('alert').filter({ hasText: 'Alt+Shift+K (camera): another app already uses it.' });
    await camera.fill('Alt+Shift+K');
    await camera.press('Tab');
    await conflict.waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await conflict.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshotsDir, 'settings-shortcut-conflict.png') });
    await camera.fill('CommandOrControl+Shift+O');
    await camera.press('Tab');
    await conflict.waitFor({ state: 'detached' });
    await nav.getByRole('button', { name: 'Home' }).click();
    await createMeeting(page, 'Shortcut check');
    await page.getByRole('button', { name: 'Join Shortcut check' }).click();
    await joinFromPreview(page);
    const controls = page.getByRole('navigation', { name: 'Call controls' });
    await controls.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    side.pressShortcut('CommandOrControl+Shift+M');
    await controls.getByRole('button', { name: 'Unmute', exact: true }).waitFor();
    side.pressShortcut('CommandOrControl+Shift+M');
    await controls.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    const cameraOff = () => controls.getByRole('button', { name: 'Start camera', exact: true }).count();
    const before = await cameraOff();
    side.pressShortcut('CommandOrControl+Shift+O');
    await expect.poll(cameraOff).toBe(1 - before);
    await context.close();
  });

  it('push to talk: on in Settings with F8 as its key (a typing key refused in words), holding F8 unmutes a muted microphone in the call and letting go mutes it again', async () => {
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(rendererUrl(site, side.bridgeUrl));
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Settings' }).click();
    const setting = page.getByLabel('Push to talk: hold a key to talk while muted');
    expect(await setting.isChecked()).toBe(false);
    await setting.check();
    await expect.poll(() => setting.isChecked()).toBe(true);
    // The key: Change key listens; a key that types is refused, saying why; Escape cancels.
    const change = page.getByRole('button', { name: 'Change key' });
    expect(await change.getAttribute('aria-describedby')).toBeTruthy();
    await change.scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, 200);
    await change.click();
    await page.getByRole('button', { name: 'Press a key… (Escape cancels)' }).waitFor();
    await page.keyboard.press('KeyA');
    await page
      .getByRole('alert')
      .filter({ hasText: 'A cannot be the push-to-talk key: it types text. Try Space or a function key.' })
      .waitFor();
    await page.screenshot({ path: path.join(screenshotsDir, 'settings-push-to-talk-refused.png') });
    await page.keyboard.press('Escape');
    await change.waitFor();
    expect(await change.evaluate((b) => b.parentElement?.querySelector('kbd')?.textContent)).toBe('Space');
    await change.click();
    await page.keyboard.press('F8');
    await expect.poll(() => change.evaluate((b) => b.parentElement?.querySelector('kbd')?.textContent)).toBe('F8');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'settings-push-to-talk-key.png') });
    await nav.getByRole('button', { name: 'Home' }).click();
    await createMeeting(page, 'Push to talk');
    await page.getByRole('button', { name: 'Join Push to talk' }).click();
    await joinFromPreview(page);
    const controls = page.getByRole('navigation', { name: 'Call controls' });
    // Muted by its button, which keeps the focus.
    await controls.getByRole('button', { name: 'Mute', exact: true }).click();
    const unmute = controls.getByRole('button', { name: 'Unmute', exact: true });
    await unmute.waitFor();
    // Space is no longer push to talk: held (away from the button) for half a second, it unmutes nothing.
    await unmute.evaluate((b) => (b as HTMLElement).blur());
    await page.keyboard.down('Space');
    await page.waitForTimeout(500);
    expect(await unmute.isVisible()).toBe(true);
    await page.keyboard.up('Space');
    await page.keyboard.down('F8');
    await controls.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await page.keyboard.up('F8');
    await unmute.waitFor();
    // A microphone that is on stays on.
    await unmute.click();
    await page.keyboard.press('F8');
    await controls.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await page.getByRole('button', { name: 'Leave' }).click();
    await context.close();
  });

  it('Help → Collect logs saves a zip with the logs, versions and settings, and none of the tokens the app holds, the password or a message’s text', async () => {
    const context = await browser.newContext({ locale: 'en-US', acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(rendererUrl(site, side.bridgeUrl));
    // A message the app has in its cache (found by its search): its text must not travel to IT.
    const token = await ownerToken(server.url);
    const channel = ConversationSchema.parse(
      await (
        await fetch(`${server.url}${ROUTES.createChannel.path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ name: 'Diagnostics' }),
        })
      ).json(),
    );
    const MESSAGE = 'Quarterly figures before the announcement: revenue 41 million';
    const sent = await fetch(`${server.url}${ROUTES.sendMessage.path.replace(':conversationId', channel.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body: MESSAGE }),
    });
    expect(sent.ok).toBe(true);
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect
      .poll(
        async () => {
          await nav.getByRole('button', { name: 'Search' }).click();
          await page.getByRole('searchbox', { name: 'Search messages' }).fill('announcement');
          await page.getByRole('search').getByRole('button', { name: 'Search' }).click();
          await page.locator('.hit').or(page.getByText('Nothing matches')).first().waitFor();
          return page.locator('.hit').count();
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBeGreaterThan(0);
    const tokens = await side.keptTokens();
    expect(tokens?.refreshToken).toBeTruthy();
    await nav.getByRole('button', { name: 'Settings' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Collect logs' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^tandem-diagnostics-[\d-]+\.zip$/);
    const archive = path.join(dataDir, download.suggestedFilename());
    await download.saveAs(archive);
    const listing = spawnSync('unzip', ['-l', archive], { encoding: 'utf8' });
    expect(listing.status).toBe(0);
    for (const name of ['logs/main.log', 'versions.json', 'settings.json', 'policy.json', 'connection-test.json'])
      expect(listing.stdout).toContain(name);
    const everything = spawnSync('unzip', ['-p', archive], { encoding: 'utf8' }).stdout;
    expect(everything).toContain('"language": "system"');
    expect(everything).not.toContain(DEMO_PASSWORD);
    expect(everything).not.toMatch(/eyJ[\w-]+\.[\w-]+\.[\w-]+/);
    for (const secret of [tokens?.accessToken ?? '', tokens?.refreshToken ?? '', MESSAGE, 'revenue 41 million'])
      expect(everything).not.toContain(secret);
    expect(await accessibilityViolations(page)).toEqual([]);
    await context.close();
  });
});
