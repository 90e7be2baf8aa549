import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { aptInstall, isDebianRoot } from './debian.ts';
import { SetupError } from './setupError.ts';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/**
 * Flags that make headless Chromium work on machines without a GPU, sandbox or open network, and
 * spend nothing on browser UI no test sees.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  // Chromium 156 renders the address bar's suggestion popup as a web page (chrome://omnibox-popup)
  // in a renderer process of its own for every new window, and each Playwright browser context
  // is a new window: ~0.5 s of CPU per context (about as much as the page under test), spent
  // while that page loads. Nothing here uses the address bar; the native popup costs nothing.
  // Chromium merges this list with Playwright's own `--disable-features`.
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup,WebUIOmniboxFullPopup',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--auto-select-desktop-capture-source=Entire screen',
];

function playwrightsOwn(): string | undefined {
  try {
    const p = chromium.executablePath();
    return fs.existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Finds a Chromium: CHROMIUM_PATH, Debian's /usr/bin/chromium, or Playwright's own browser.
 * On Debian as root it installs the `chromium` package when none is there.
 */
export function ensureChromium(log: (line: string) => void = () => {}): string {
  const fromEnv = process.env['CHROMIUM_PATH'];
  if (fromEnv !== undefined && fs.existsSync(fromEnv)) return fromEnv;
  if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const own = playwrightsOwn();
  if (own !== undefined) return own;
  if (isDebianRoot()) {
    aptInstall(['chromium'], log);
    if (fs.existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  }
  throw new SetupError(
    'Chromium is missing: on Debian run `apt-get install chromium` as root; elsewhere run ' +
      '`npx playwright-core install chromium` or set CHROMIUM_PATH to a Chromium binary.',
  );
}

/**
 * Japanese glyphs for Chromium's screenshots (the app ships a Japanese catalogue): a font that
 * covers them, or `fonts-noto-cjk` installed on Debian as root. Without one, Japanese shows as boxes.
 */
export function ensureCjkFonts(log: (line: string) => void = () => {}): string {
  const found = (): string =>
    String(spawnSync('fc-list', [':lang=ja', 'family'], { encoding: 'utf8' }).stdout ?? '').trim();
  if (found() === '' && isDebianRoot()) aptInstall(['fonts-noto-cjk'], log);
  const families = found();
  if (families === '') {
    throw new SetupError('No font with Japanese glyphs: on Debian run `apt-get install fonts-noto-cjk` as root.');
  }
  return families.split('\n')[0] ?? families;
}

/**
 * Launches headless Chromium with fake camera, microphone and screen. Playwright gives every
 * launch a fresh temporary profile (its own --user-data-dir) and removes it on close.
 */
export async function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: [...CHROMIUM_FLAGS, ...extraArgs],
  });
}
