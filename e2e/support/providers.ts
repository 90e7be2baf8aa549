import crypto from 'node:crypto';
import type { Browser } from 'playwright-core';
import type { FakeProviders } from '../../apps/server/src/providers/testing/fakeProviders.ts';
import type { Desktop } from './desktop.ts';

const SYNC = { timeout: 30_000 };

/** The server's settings that point Microsoft 365 (sign-in and Graph) at the local fake of its cloud. */
export const microsoftAtFake = (fake: FakeProviders): Readonly<Record<string, string>> => ({
  PROVIDER_TOKEN_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`,
  MICROSOFT_CLIENT_ID: 'e2e-client',
  MICROSOFT_CLIENT_SECRET: 'e2e-secret',
  MICROSOFT_LOGIN_URL: fake.url,
  MICROSOFT_GRAPH_URL: fake.url,
});

/**
 * An admin connects Microsoft 365 for the organisation from Settings: main opens the consent page
 * in the system browser (a new context of `browser`), where it is approved and sent back to main's
 * receiver; the list is refreshed until it says so. The consent page's URL main opened.
 */
export async function connectMicrosoftForOrganisation(desktop: Desktop, browser: Browser): Promise<URL> {
  const { page } = desktop;
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
  const card = page.getByRole('region', { name: 'Connected calendars and meeting providers' });
  const row = card.getByRole('listitem', { name: 'Microsoft 365' });
  await row.getByText('Not connected').waitFor(SYNC);
  await row.getByRole('button', { name: 'Connect Microsoft 365 for the organisation' }).click();
  await row.getByText('Continue in your browser, then refresh this list.').waitFor(SYNC);
  const consent = new URL(desktop.side.openedLinks.at(-1) ?? '');

  const systemBrowser = await browser.newContext();
  const tab = await systemBrowser.newPage();
  await tab.goto(consent.toString());
  await tab.getByText('The account is connected.').waitFor(SYNC);
  await systemBrowser.close();

  await card.getByRole('button', { name: 'Refresh' }).click();
  await row.getByText('Connected for the organisation').waitFor(SYNC);
  return consent;
}
