import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { addPerson, signIn, LINUS } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const GROUP = 'Launch crew';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
const region = (page: Page, name: string): Locator => page.getByRole('region', { name, exact: true });
/** A conversation's row in a list: a button named by its title first. */
const row = (list: Locator, title: string): Locator => list.getByRole('button', { name: new RegExp(`^${title}\\b`) });
const goHome = (page: Page) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
const send = async (page: Page, text: string) => {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
};
const messageWith = (page: Page, text: string): Locator =>
  page.locator('section.chat .message').filter({ has: page.locator('.message-body', { hasText: text }) });

/**
 * Direct and group chats for three people on the real server: Ada messages Grace from People on
 * Home; the chat appears on Grace's Home live, unread; Grace opens it and replies; what Ada writes
 * while Grace has it open shows "Seen by Grace Demo". Ada starts a named group with Grace and
 * Linus from New group (keyboard people picker); it appears on Grace's Home and messages reach
 * her; its members are listed. axe-core checks each new screen.
 */
describe('direct messages and group chats, end to end', () => {
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
    await addPerson(server.url, LINUS);
  });
  afterAll(() => world?.close());

  it('Ada messages Grace from People on Home; Grace sees the chat arrive, unread', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    const people = region(ada.page, 'People');
    await people.getByRole('button', { name: `Message ${GRACE.name}` }).waitFor(SYNC);
    await region(ada.page, 'Direct messages').getByText('No direct messages yet').waitFor();
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await people.scrollIntoViewIfNeeded();
    await shot(ada.page, 'dm-people');

    await people.getByRole('button', { name: `Message ${GRACE.name}` }).click();
    await ada.page.getByRole('heading', { level: 1, name: GRACE.name }).waitFor(SYNC);
    await send(ada.page, 'Hello Grace, got a minute?');
    await messageWith(ada.page, 'Hello Grace, got a minute?').waitFor(SYNC);
    expect(await accessibilityViolations(ada.page)).toEqual([]);

    const gracesRow = row(region(grace.page, 'Direct messages'), ADA.name);
    await gracesRow.waitFor(SYNC);
    await expect.poll(() => gracesRow.textContent(), SYNC).toMatch(/1 unread/);
    await region(grace.page, 'Direct messages').scrollIntoViewIfNeeded();
    await shot(grace.page, 'dm-unread');
  });

  it('Grace opens it and replies; what Ada writes while Grace reads shows "Seen by"', async () => {
    await row(region(grace.page, 'Direct messages'), ADA.name).click();
    await grace.page.getByRole('heading', { level: 1, name: ADA.name }).waitFor(SYNC);
    await messageWith(grace.page, 'Hello Grace, got a minute?').waitFor(SYNC);
    await send(grace.page, 'Sure, what is up?');
    await messageWith(ada.page, 'Sure, what is up?').waitFor(SYNC);

    await send(ada.page, 'The launch moved to Friday');
    await messageWith(grace.page, 'The launch moved to Friday').waitFor(SYNC);
    await ada.page.getByText(`Seen by ${GRACE.name}`).waitFor(SYNC);
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'dm-seen-by');
  });

  it('Ada starts a named group with Grace and Linus; Grace sees it live and its messages', async () => {
    await goHome(ada.page);
    await region(ada.page, 'Groups').getByRole('button', { name: 'New group' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'New group' });
    await dialog.waitFor();
    // Too few people is refused with a reason.
    await dialog.getByRole('button', { name: 'Start group' }).click();
    await dialog.getByRole('alert').getByText('Choose at least two people').waitFor();
    const picker = dialog.getByRole('combobox', { name: 'People' });
    for (const name of [GRACE.name, LINUS.name]) {
      await picker.fill(name.split(' ')[0] ?? name);
      await dialog.getByRole('option', { name: new RegExp(name) }).waitFor(SYNC);
      await picker.press('Enter');
    }
    await dialog.getByLabel('Group name (optional)').fill(GROUP);
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'group-new');
    await dialog.getByRole('button', { name: 'Start group' }).click();
    await ada.page.getByRole('heading', { level: 1, name: GROUP }).waitFor(SYNC);
    await send(ada.page, 'Welcome to the launch crew');

    await goHome(grace.page);
    const gracesGroup = row(region(grace.page, 'Groups'), GROUP);
    await gracesGroup.waitFor(SYNC);
    await gracesGroup.click();
    await messageWith(grace.page, 'Welcome to the launch crew').waitFor(SYNC);
    await shot(grace.page, 'group-conversation');

    await ada.page.getByRole('button', { name: 'Members (3)' }).click();
    const members = ada.page.getByRole('dialog', { name: `Members of ${GROUP}` });
    const list = members.getByRole('list', { name: 'Members' });
    for (const name of [`${ADA.name} (you)`, GRACE.name, LINUS.name]) await list.getByText(name).waitFor(SYNC);
    await members.getByRole('checkbox', { name: /Show them the history/ }).waitFor();
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'group-members');
    await members.getByRole('button', { name: 'Close' }).click();
  });
});
