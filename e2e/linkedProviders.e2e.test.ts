import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../apps/server/src/providers/testing/fakeProviders.ts';
import { accessibilityViolations } from './support/accessibility.ts';
import { signIn } from './support/people.ts';
import { connectMicrosoftForOrganisation, microsoftAtFake } from './support/providers.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA] = DEMO_PEOPLE;
const SYNC = { timeout: 30_000 };

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });

/**
 * Connecting and revoking Teams (Microsoft 365) and Zoom from the desktop app, end to end: the
 * real server, the app in Chromium, main's real consent receiver, and the "system browser" a
 * second Chromium page. Only the providers' clouds are a fake (one local HTTP server speaking the
 * Microsoft identity platform's, Graph's and Zoom's documented wire formats), reached through the
 * server's provider URL settings.
 */
describe('Teams and Zoom connected and revoked from the desktop app (providers a local fake speaking their wire formats)', () => {
  let fake: FakeProviders;
  let world: World<readonly ['ada']>;
  let page: Page;

  const settings = async (): Promise<Locator> => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    return page.getByRole('region', { name: 'Connected calendars and meeting providers' });
  };
  const home = () => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
  const form = () => page.getByRole('region', { name: 'New meeting' });
  const entry = (title: string) =>
    page.getByRole('region', { name: 'Calendar' }).locator('.linked-entry', { hasText: title });

  /** Fills the new-meeting form for tomorrow at 10:00; `app` is the "Meet in" choice. */
  async function schedule(title: string, app: string): Promise<void> {
    const f = form();
    await f.getByLabel('Title', { exact: true }).fill(title);
    await f.getByRole('radio', { name: 'At a set time' }).check();
    const tomorrow = await page.evaluate(() => {
      const d = new Date(Date.now() + 24 * 3600_000);
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    });
    await f.getByLabel('Date', { exact: true }).fill(tomorrow);
    await f.getByLabel('Start time').fill('10:00');
    await f.getByRole('group', { name: 'Meet in' }).getByRole('radio', { name: app }).check();
  }

  beforeAll(async () => {
    fake = await startFakeProviders();
    world = await startWorld(livekit, ['ada'] as const, [], {
      ...microsoftAtFake(fake),
      ZOOM_ENABLED: '1',
      ZOOM_API_URL: fake.url,
      ZOOM_TOKEN_URL: `${fake.url}/oauth/token`,
    });
    page = world.desktops[0].page;
    await signIn(page, world.server.url, ADA);
  });
  afterAll(async () => {
    await world?.close();
    await fake?.close();
  });

  it('Ada connects Microsoft 365 for the organisation: the consent page opens in the system browser and comes back to the app', async () => {
    const consent = await connectMicrosoftForOrganisation(world.desktops[0], world.browser);
    expect(`${consent.origin}${consent.pathname}`).toBe(`${fake.url}/organizations/oauth2/v2.0/authorize`);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    const token = fake.requests.find((r) => r.method === 'POST' && r.path.endsWith('/oauth2/v2.0/token'));
    expect(new URLSearchParams(token?.body).get('grant_type')).toBe('authorization_code');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('Ada makes a meeting in Teams from the form; its Teams join link is shown and opens msteams:', async () => {
    await home();
    await schedule('Teams review', 'Microsoft Teams');
    await form().scrollIntoViewIfNeeded();
    await form().screenshot({ path: path.join(screenshotsDir, 'teams-meeting-choice.png') });
    expect(await accessibilityViolations(page)).toEqual([]);
    await form().getByRole('button', { name: 'Create' }).click();

    await expect
      .poll(() => fake.requests.some((r) => r.method === 'POST' && r.path === '/v1.0/me/onlineMeetings'), SYNC)
      .toBe(true);
    const teams = entry('Teams review');
    await teams.getByText('Linked Microsoft Teams meeting').click(SYNC);
    const link = await teams.locator('.linked-detail', { hasText: 'Link' }).locator('code').textContent();
    expect(link).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    await teams.getByRole('button', { name: 'Join Teams review in Microsoft Teams' }).click();
    await teams.getByText('Opened in Microsoft Teams.').waitFor(SYNC);
    expect(world.desktops[0].side.openedLinks.at(-1)).toMatch(/^msteams:\/l\/meetup-join\//);
  });

  it('Ada disconnects Microsoft 365: Teams leaves the form, and the linked meeting says in plain words what that means', async () => {
    const card = await settings();
    const row = card.getByRole('listitem', { name: 'Microsoft 365' });
    await row.getByRole('button', { name: 'Disconnect Microsoft 365 for the organisation' }).click();
    await row.getByRole('group', { name: 'Disconnect Microsoft 365 for the organisation?' }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await row.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await row.getByText('Not connected').waitFor(SYNC);

    await home();
    await form().getByLabel('Title', { exact: true }).waitFor();
    expect(await form().getByRole('radio', { name: 'Microsoft Teams' }).count()).toBe(0);
    await entry('Teams review')
      .getByText(/The account that made its Microsoft Teams meeting is no longer connected/)
      .waitFor(SYNC);
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it("Ada connects the organisation's Zoom app, makes a Zoom meeting and disconnects it", async () => {
    const card = await settings();
    const row = card.getByRole('listitem', { name: 'Zoom' });
    await row.getByLabel('Account ID').fill('e2e-account');
    await row.getByLabel('Client ID').fill('e2e-zoom-client');
    await row.getByLabel('Client secret').fill('e2e-zoom-secret');
    await row.getByRole('button', { name: 'Connect Zoom' }).click();
    await row.getByText('Connected for the organisation').waitFor(SYNC);
    const token = fake.requests.find((r) => r.path === '/oauth/token');
    expect(token?.query.get('account_id')).toBe('e2e-account');
    expect(token?.headers.authorization).toBe(
      `Basic ${Buffer.from('e2e-zoom-client:e2e-zoom-secret').toString('base64')}`,
    );
    await row.scrollIntoViewIfNeeded();
    await shot(page, 'zoom-connected');
    expect(await accessibilityViolations(page)).toEqual([]);

    await home();
    await schedule('Zoom sync', 'Zoom');
    await form().getByRole('button', { name: 'Create' }).click();
    const zoom = entry('Zoom sync');
    await zoom.getByText('Linked Zoom meeting').click(SYNC);
    await zoom.getByRole('button', { name: 'Join Zoom sync in Zoom' }).click();
    await zoom.getByText('Opened in Zoom.').waitFor(SYNC);
    expect(world.desktops[0].side.openedLinks.at(-1)).toMatch(/^zoommtg:\/\/acme\.zoom\.us\/join\?confno=\d+/);

    const again = await settings();
    const zoomRow = again.getByRole('listitem', { name: 'Zoom' });
    await zoomRow.getByRole('button', { name: 'Disconnect Zoom for the organisation' }).click();
    await zoomRow.getByRole('button', { name: 'Disconnect', exact: true }).click();
    await zoomRow.getByLabel('Account ID').waitFor(SYNC);
    await home();
    await form().getByLabel('Title', { exact: true }).waitFor();
    expect(await form().getByRole('group', { name: 'Meet in' }).count()).toBe(0);
    await entry('Zoom sync')
      .getByText(/The account that made its Zoom meeting is no longer connected/)
      .waitFor(SYNC);
    expect(world.desktops[0].pageErrors).toEqual([]);
    expect(world.desktops[0].cspViolations).toEqual([]);
  });
});
