import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { ACCOUNT_DEACTIVATED_NOTICE, ROUTES, UserListSchema, type User } from '@tandem/shared';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { asOwner, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const NEWCOMER = { name: 'Linus Newcomer', email: `linus-${Date.now()}@tandem.example` };
/** Deactivation reaches Grace's screen through the server closing her WebSocket: seconds, not the 30 s token check. */
const SOON = { timeout: 10_000 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** One person's row in the People list, found by their name. */
const row = (page: Page, name: string): Locator =>
  page.getByRole('list', { name: 'People in your organisation' }).getByRole('listitem', { name: new RegExp(name) });

/** What the server holds about the organisation's people. */
async function people(serverUrl: string): Promise<readonly User[]> {
  return UserListSchema.parse(await asOwner(serverUrl, '/users')).users;
}

/** Fills the sign-in form and submits it, without waiting for home (it may be refused). */
async function trySignIn(page: Page, serverUrl: string, email: string): Promise<void> {
  const server = page.getByLabel('Server', { exact: true });
  if ((await server.inputValue()) !== serverUrl) await server.fill(serverUrl);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/**
 * Managing people from the app: Ada (the demo organisation's owner) adds a person and changes
 * their role in Settings → People; she deactivates Grace, whose own desktop drops to sign-in
 * at once and says why, and refuses her sign-in with the same words; reactivated, Grace signs in.
 */
describe('people: add, change a role, deactivate and reactivate, end to end', () => {
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

  it('Ada sees People in Settings; Grace, a member, does not', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    for (const page of [ada.page, grace.page]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    }
    await row(ada.page, GRACE.name).waitFor();
    await expect.poll(() => row(ada.page, ADA.name).textContent()).toContain('(you)');
    expect(await grace.page.getByRole('heading', { name: 'People' }).count()).toBe(0);
    await ada.page.getByRole('heading', { name: 'People' }).scrollIntoViewIfNeeded();
    await shot(ada.page, 'settings-people');
  });

  it('Ada makes Grace an admin and back: Grace’s open Settings gains People, then loses it', async () => {
    const graceRow = row(ada.page, GRACE.name);
    const setRole = async (role: 'admin' | 'member') => {
      await graceRow.getByLabel(`Role of ${GRACE.name}`, { exact: true }).selectOption(role);
      await graceRow.getByRole('button', { name: `Change role of ${GRACE.name}` }).click();
      await expect.poll(async () => (await people(server.url)).find((p) => p.email === GRACE.email)?.role).toBe(role);
    };
    const graceSeesPeople = grace.page.getByRole('heading', { name: 'People' });
    await setRole('admin');
    await graceSeesPeople.waitFor(SOON);
    await setRole('member');
    await graceSeesPeople.waitFor({ state: 'detached', ...SOON });
  });

  it('Ada adds a person with a temporary password, and they can sign in with it', async () => {
    const { page } = ada;
    const form = page.getByRole('form', { name: 'Add a person' });
    await form.getByLabel('Name').fill(NEWCOMER.name);
    await form.getByLabel('Email').fill(NEWCOMER.email);
    await form.getByLabel('Temporary password').fill(DEMO_PASSWORD);
    await form.getByLabel('Role').selectOption('member');
    await form.getByRole('button', { name: 'Add person' }).click();
    await form
      .getByRole('status')
      .filter({ hasText: `${NEWCOMER.name} was added.` })
      .waitFor();
    await row(page, NEWCOMER.name).waitFor();
    expect(await form.getByLabel('Name').inputValue()).toBe('');
    const added = (await people(server.url)).find((p) => p.email === NEWCOMER.email);
    expect(added).toMatchObject({ name: NEWCOMER.name, role: 'member', status: 'active' });
    const signedIn = await fetch(`${server.url}${ROUTES.signIn.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: NEWCOMER.email, password: DEMO_PASSWORD }),
    });
    expect(signedIn.status).toBe(200);
    await shot(page, 'settings-people-added');
    expect(await accessibilityViolations(page)).toEqual([]);
  });

  it('Ada changes the newcomer’s role; the server holds it', async () => {
    const { page } = ada;
    const newcomer = row(page, NEWCOMER.name);
    const change = newcomer.getByRole('button', { name: `Change role of ${NEWCOMER.name}` });
    expect(await change.isDisabled()).toBe(true);
    await newcomer.getByLabel(`Role of ${NEWCOMER.name}`, { exact: true }).selectOption('admin');
    await change.click();
    await expect.poll(() => change.isDisabled()).toBe(true);
    expect((await people(server.url)).find((p) => p.email === NEWCOMER.email)?.role).toBe('admin');
    // The last owner is the server's to protect: demoting herself is refused, and said so.
    const self = row(page, ADA.name);
    await self.getByLabel(`Role of ${ADA.name}`, { exact: true }).selectOption('member');
    await self.getByRole('button', { name: `Change role of ${ADA.name}` }).click();
    await self.getByRole('alert').filter({ hasText: 'Role not changed' }).waitFor();
    expect((await people(server.url)).find((p) => p.email === ADA.email)?.role).toBe('owner');
    await self.getByLabel(`Role of ${ADA.name}`, { exact: true }).selectOption('owner');
  });

  it('Ada deactivates Grace with the keyboard after confirming; Grace’s app drops to sign-in and says why', async () => {
    const { page } = ada;
    const opener = row(page, GRACE.name).getByRole('button', { name: `Deactivate ${GRACE.name}…` });
    await opener.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Deactivate ${GRACE.name}?` });
    await dialog.waitFor();
    // The safe choice has focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Keep active');
    await shot(page, 'settings-people-deactivate');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row(page, GRACE.name).textContent()).toContain('Deactivated');
    expect((await people(server.url)).find((p) => p.email === GRACE.email)?.status).toBe('deactivated');

    await grace.page.getByRole('heading', { name: 'Sign in' }).waitFor(SOON);
    await grace.page.getByRole('status').filter({ hasText: ACCOUNT_DEACTIVATED_NOTICE }).waitFor(SOON);
    await shot(grace.page, 'sign-in-deactivated');
  });

  it('signing in again is refused with the same words', async () => {
    const { page } = grace;
    await trySignIn(page, server.url, GRACE.email);
    await page.getByRole('alert').filter({ hasText: ACCOUNT_DEACTIVATED_NOTICE }).waitFor();
    expect(await page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);
  });

  it('Ada reactivates Grace, and Grace signs in', async () => {
    const { page } = ada;
    await row(page, GRACE.name)
      .getByRole('button', { name: `Reactivate ${GRACE.name}…` })
      .click();
    const dialog = page.getByRole('dialog', { name: `Reactivate ${GRACE.name}?` });
    await dialog.getByRole('button', { name: 'Reactivate', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(() => row(page, GRACE.name).textContent()).toContain('Active');

    await trySignIn(grace.page, server.url, GRACE.email);
    await grace.page.getByRole('heading', { name: `Hello, ${GRACE.name}` }).waitFor();
    await shot(grace.page, 'home-after-reactivation');
    for (const desktop of [ada, grace]) {
      expect(desktop.pageErrors).toEqual([]);
      expect(desktop.cspViolations).toEqual([]);
    }
  });
});
