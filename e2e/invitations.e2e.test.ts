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
const PLANNING = 'Quarterly planning';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** `yyyy-mm-dd` of the day after today, in the page's time zone. */
const tomorrow = (page: Page) =>
  page.evaluate(() => {
    const d = new Date(Date.now() + 24 * 60 * 60_000);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

/**
 * Invitations between two desktops over the real server and WebSocket: Ada schedules, Grace's
 * Home follows live (her notifications come from main's real service over the harness's
 * recording notification centre).
 */
describe('meeting invitations (real server, two desktops in Chromium)', () => {
  let world: World<readonly ['ada', 'grace']>;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  let form: Locator;
  const row = (who: Desktop, title: string) =>
    who.page.getByRole('region', { name: 'Upcoming meetings' }).locator('.meeting', { hasText: title });

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    ({
      server,
      desktops: [ada, grace],
    } = world);
    await Promise.all([signIn(ada.page, server.url, ADA), signIn(grace.page, server.url, GRACE)]);
    form = ada.page.getByRole('region', { name: 'New meeting' });
  });
  afterAll(() => world?.close());

  it('Ada invites Grace with the keyboard; Grace sees it live with Ada as organiser, and is notified', async () => {
    await form.getByLabel('Title', { exact: true }).fill(PLANNING);
    await form.getByRole('radio', { name: 'At a set time' }).check();
    await form.getByLabel('Date', { exact: true }).fill(await tomorrow(ada.page));
    await form.getByLabel('Start time').fill('10:00');

    const invite = form.getByRole('combobox', { name: 'Invite people' });
    await invite.focus();
    await ada.page.keyboard.type('gra');
    const options = form.getByRole('listbox', { name: 'Invite people' }).getByRole('option');
    await expect.poll(() => options.allTextContents(), SYNC).toEqual([expect.stringContaining(GRACE.name)]);
    // The organiser is never offered to herself.
    await invite.fill('ada');
    await form.getByText('Nobody else matches “ada”.').waitFor();
    await invite.fill('');
    await ada.page.keyboard.type('demo');
    await ada.page.keyboard.press('ArrowDown');
    expect(await invite.getAttribute('aria-activedescendant')).toBe(await options.first().getAttribute('id'));
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'meeting-invite-people');
    await ada.page.keyboard.press('Enter');
    const chips = form.getByRole('list', { name: 'Invite people: chosen' });
    await chips.getByText(GRACE.name).waitFor();
    // Backspace in the empty field takes her out again, Enter on her option puts her back.
    await ada.page.keyboard.press('Backspace');
    await chips.waitFor({ state: 'detached' });
    await form
      .getByRole('status')
      .filter({ hasText: `${GRACE.name} removed.` })
      .waitFor();
    await ada.page.keyboard.type('grace');
    await ada.page.keyboard.press('Enter');
    await chips.getByRole('button', { name: `Remove ${GRACE.name}` }).waitFor();
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'meeting-invite-chosen');
    await form.getByRole('button', { name: 'Create' }).click();

    await row(ada, PLANNING).getByText('Organised by you · 1 person invited').waitFor(SYNC);
    expect(await chips.count()).toBe(0);

    // Grace, on Home, sees it arrive without doing anything.
    await row(grace, PLANNING).getByText(`Organised by ${ADA.name}`).waitFor(SYNC);
    expect(
      await row(grace, PLANNING)
        .getByText(/^Tomorrow, /)
        .count(),
    ).toBe(1);
    await shot(grace.page, 'home-invited');
    await row(grace, PLANNING)
      .getByRole('button', { name: `Options for ${PLANNING}` })
      .click();
    const menu = grace.page.getByRole('menu');
    // An invitee copies the invitation and sees the recordings, notes, whiteboard, transcript and
    // insights; editing and cancelling are the organiser's.
    expect(await menu.getByRole('menuitem').allTextContents()).toEqual([
      'Copy invitation',
      'Invitation…',
      'Recordings…',
      'Notes…',
      'Whiteboard…',
      'Transcript',
      'Insights…',
    ]);
    await grace.page.keyboard.press('Escape');

    await expect
      .poll(() => grace.side.notifications.shown.filter((n) => n.title.includes('invited you')), SYNC)
      .toEqual([
        { title: `${ADA.name} invited you: ${PLANNING}`, body: expect.stringMatching(/^Tomorrow, /), open: true },
      ]);
    // Clicking it, from elsewhere in the app, opens Home.
    await grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Search' }).click();
    await grace.page.getByRole('searchbox', { name: 'Search messages' }).waitFor();
    expect(grace.side.notifications.click('invited you')).toBe(true);
    await grace.page.getByRole('heading', { name: `Hello, ${GRACE.name}` }).waitFor(SYNC);
  });

  it('a meeting Ada does not invite Grace to never shows on her Home; a rescheduling does, live', async () => {
    await form.getByLabel('Title', { exact: true }).fill('Board only');
    await form.getByRole('button', { name: 'Create' }).click();
    await row(ada, 'Board only').waitFor(SYNC);

    // Moved to 11:30: Grace's row follows, so her app has heard everything sent before it.
    await row(ada, PLANNING)
      .getByRole('button', { name: `Options for ${PLANNING}` })
      .click();
    await ada.page.getByRole('menuitem', { name: 'Edit…' }).click();
    const dialog = ada.page.getByRole('dialog', { name: `Edit ${PLANNING}` });
    await dialog.getByLabel('Start time').fill('11:30');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    const moved = await grace.page.evaluate(() => {
      const d = new Date(Date.now() + 24 * 60 * 60_000);
      d.setHours(11, 30, 0, 0);
      return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(d);
    });
    await row(grace, PLANNING).getByText(`Tomorrow, ${moved}`, { exact: false }).waitFor(SYNC);
    expect(await row(grace, 'Board only').count()).toBe(0);
    expect(grace.side.notifications.shown.filter((n) => n.title.includes('Board only'))).toEqual([]);
  });

  it('Ada removes Grace from the invitees in the edit dialog: the meeting leaves Grace’s Home', async () => {
    await row(ada, PLANNING)
      .getByRole('button', { name: `Options for ${PLANNING}` })
      .click();
    await ada.page.getByRole('menuitem', { name: 'Edit…' }).click();
    const dialog = ada.page.getByRole('dialog', { name: `Edit ${PLANNING}` });
    const remove = dialog.getByRole('button', { name: `Remove ${GRACE.name}` });
    await remove.waitFor();
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'meeting-edit-invitees');
    await remove.click();
    // Focus goes back to the field, not to the page behind the dialog.
    expect(
      await dialog.getByRole('combobox', { name: 'Invite people' }).evaluate((e) => e === document.activeElement),
    ).toBe(true);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row(ada, PLANNING).getByText('Organised by you · nobody invited yet').waitFor(SYNC);

    await row(grace, PLANNING).waitFor({ state: 'detached', timeout: SYNC.timeout });
    await grace.page.getByRole('region', { name: 'Upcoming meetings' }).getByText('No upcoming meetings').waitFor();
  });
});
