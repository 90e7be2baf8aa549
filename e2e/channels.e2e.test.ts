import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const CHANNEL = 'Launch plans';

const channels = (page: Page): Locator => page.getByRole('region', { name: 'Channels' });

/** A screenshot with the Channels card in view when the page shows Home. */
const shot = async (page: Page, name: string) => {
  if ((await channels(page).count()) > 0) await channels(page).scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
};
/** A channel's row on Home: a button named by what it shows (name, newest message, unread count). */
const channelRow = (page: Page, name: string): Locator =>
  channels(page).getByRole('button', { name: new RegExp(`^${name}\\b`) });
const goHome = (page: Page) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();

const send = async (page: Page, text: string) => {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
};

/**
 * Channels on Home for two people on the real server: Ada creates one while Grace is signed in;
 * it appears on Grace's Home without a reload; Ada's two messages show there as "2 unread" with
 * the newest as a preview, and opening the channel clears the count (so does seeing a message
 * arrive while it is open).
 */
describe('channels on Home, end to end: discover, create, unread, live', () => {
  let world: World<readonly ['ada', 'grace']>;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    ({
      server,
      desktops: [ada, grace],
    } = world);
  });
  afterAll(() => world?.close());

  it('both sign in; Home says there are no channels yet', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    for (const { page } of [ada, grace]) {
      await channels(page).getByText('No channels yet. Start the first one.').waitFor(SYNC);
    }
    await shot(grace.page, 'channels-empty');
  });

  it('Ada is told what is wrong with a name, then creates a channel from Home and lands in it', async () => {
    const { page } = ada;
    const form = channels(page).getByRole('form', { name: 'New channel' });
    const name = form.getByLabel('Channel name');
    await form.getByRole('button', { name: 'Create channel' }).click();
    await form.getByRole('alert').filter({ hasText: 'Give the channel a name.' }).waitFor();
    expect(await name.getAttribute('aria-invalid')).toBe('true');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'channels-name-invalid');
    await name.fill(CHANNEL);
    expect(await form.getByRole('alert').count()).toBe(0);
    await form.getByRole('button', { name: 'Create channel' }).click();
    await page.getByRole('heading', { level: 1, name: CHANNEL }).waitFor(SYNC);
  });

  it('Grace sees the new channel appear on her Home without a reload', async () => {
    const row = channelRow(grace.page, CHANNEL);
    await row.waitFor(SYNC);
    expect(await row.textContent()).toContain('No messages');
    expect(await row.getByText(/unread$/).count()).toBe(0);
    await shot(grace.page, 'channels-appeared');
  });

  it('Ada writes two messages; Grace sees “2 unread” with the newest as a preview', async () => {
    // The second is typed at once: it stays in the composer while the first is still sending.
    await send(ada.page, 'Kick-off on Monday');
    await send(ada.page, 'Slides are in the shared folder');
    await expect.poll(() => ada.page.getByLabel('Message', { exact: true }).inputValue(), SYNC).toBe('');
    const row = channelRow(grace.page, CHANNEL);
    await row.getByText('2 unread', { exact: true }).waitFor(SYNC);
    expect(await row.textContent()).toContain(`${ADA.name}: Slides are in the shared folder`);
    // Her own channel shows Ada nothing unread.
    await goHome(ada.page);
    const own = channelRow(ada.page, CHANNEL);
    await own.waitFor();
    expect(await own.textContent()).toContain(`${ADA.name}: Slides are in the shared folder`);
    expect(await own.getByText(/unread$/).count()).toBe(0);
    // The list with its count passes axe-core (WCAG 2.1 AA) like every other screen.
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await shot(grace.page, 'channels-unread');
  });

  it('Grace opens the channel: she reads both messages and the count goes; what arrives while she reads stays read', async () => {
    const { page } = grace;
    await channelRow(page, CHANNEL).click();
    await page.getByRole('heading', { level: 1, name: CHANNEL }).waitFor();
    await page.getByText('Slides are in the shared folder').waitFor(SYNC);
    await channelRow(ada.page, CHANNEL).click();
    await send(ada.page, 'See you there');
    await page.getByText('See you there').waitFor(SYNC);
    await goHome(page);
    const row = channelRow(page, CHANNEL);
    await expect.poll(() => row.textContent(), SYNC).toContain(`${ADA.name}: See you there`);
    expect(await row.getByText(/unread$/).count()).toBe(0);
    await shot(page, 'channels-read');
  });

  it('left no uncaught page error', () => {
    expect([...ada.pageErrors, ...grace.pageErrors]).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations]).toEqual([]);
  });
});
