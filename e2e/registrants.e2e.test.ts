import fs from 'node:fs';
import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { ROUTES, type Meeting } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { ownerCreatesMeeting, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA] = DEMO_PEOPLE;
const SYNC = { timeout: 30_000, interval: 250 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * A webinar's registration in the desktop app (issue 19): Ada, its owner, opens Registration… from
 * the webinar's options on Home, opens registration with approval by hand, a capacity and a
 * question of her own, and saves; two people register on the public API the page posts to; she
 * approves one (and gets the join link to pass on), denies the other, revokes the first, and
 * exports the list as CSV.
 */
describe('webinar registration settings and registrants in the app (real server, Chromium)', () => {
  let world: World<readonly ['ada']>;
  let webinar: Meeting;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada']);
    const startsAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString();
    webinar = await ownerCreatesMeeting(world.server.url, {
      title: 'Customer briefing',
      type: 'webinar',
      startsAt,
      endsAt,
    });
  });
  afterAll(async () => {
    await world?.close();
  });

  const register = (name: string, email: string, role: string) =>
    fetch(`${world.server.url}${ROUTES.register.path.replace(':code', webinar.joinCode)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, email, answers: { q1: role } }),
    });

  it('Ada sets the registration, decides on registrants and exports them', async () => {
    const { page } = world.desktops[0];
    await signIn(page, world.server.url, ADA);
    const row = page.getByRole('region', { name: 'Upcoming meetings' }).locator('.meeting', { hasText: webinar.title });
    await row.getByRole('button', { name: `Options for ${webinar.title}` }).click();
    await page.getByRole('menuitem', { name: 'Registration…' }).click();
    const dialog = page.getByRole('dialog', { name: `Registration: ${webinar.title}` });
    await dialog.getByText('Nobody has registered yet.').waitFor(SYNC);

    await dialog.getByLabel('Registration open').check();
    await dialog.getByLabel('By hand: a host approves each registrant').check();
    await dialog.getByLabel('Capacity').fill('0');
    await dialog.getByRole('button', { name: 'Add a question' }).click();
    await dialog.getByRole('textbox', { name: 'Question 1' }).fill('Your role');
    await dialog.getByLabel('Question 1 required').check();
    await dialog.getByRole('button', { name: 'Save registration' }).click();
    await dialog
      .getByRole('alert')
      .getByText(/Check the capacity/)
      .waitFor();
    await dialog.getByLabel('Capacity').fill('50');
    await dialog.getByRole('button', { name: 'Save registration' }).click();
    await dialog.getByRole('status').getByText('Registration saved.').waitFor(SYNC);

    expect((await register('Carol Outside', 'carol@example.org', 'Buyer')).status).toBe(201);
    expect((await register('Dan Other', 'dan@example.org', 'Press')).status).toBe(201);
    // Reopened, the dialog reads the saved settings and the registrants.
    await page.keyboard.press('Escape');
    await row.getByRole('button', { name: `Options for ${webinar.title}` }).click();
    await page.getByRole('menuitem', { name: 'Registration…' }).click();
    await dialog.getByRole('heading', { name: 'Registrants (2)' }).waitFor(SYNC);
    expect(await dialog.getByLabel('Capacity').inputValue()).toBe('50');
    expect(await dialog.getByRole('textbox', { name: 'Question 1' }).inputValue()).toBe('Your role');
    const table = dialog.getByRole('table');
    await table.getByRole('row', { name: /Carol Outside.*Waiting for approval/ }).waitFor();

    await table.getByRole('button', { name: 'Approve Carol Outside' }).click();
    const link = dialog.getByRole('textbox', { name: 'Join link for Carol Outside' });
    await link.waitFor(SYNC);
    expect(await link.inputValue()).toMatch(/\/w\/[\w-]{40,}$/);
    await table.getByRole('button', { name: 'Deny Dan Other' }).click();
    await table.getByRole('row', { name: /Dan Other.*Denied/ }).waitFor(SYNC);
    await table.getByRole('row', { name: /Carol Outside.*Approved/ }).waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'webinar-registrants');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('registrants.csv');
    const csv = fs.readFileSync(await download.path(), 'utf8');
    expect(csv).toContain('Carol Outside,carol@example.org,approved');
    expect(csv).toContain('Dan Other,dan@example.org,denied');
    expect(csv).toContain('Buyer');

    await table.getByRole('button', { name: 'Revoke the link of Carol Outside' }).click();
    await table.getByRole('row', { name: /Carol Outside.*Link revoked/ }).waitFor(SYNC);
  });
});
