import path from 'node:path';
import { screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { MeetingListSchema } from '@tandem/shared';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { asOwner, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA] = DEMO_PEOPLE;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** `yyyy-mm-dd` of the day after today, in the page's time zone. */
const tomorrow = (page: Page) =>
  page.evaluate(() => {
    const d = new Date(Date.now() + 24 * 60 * 60_000);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

/** A meeting as the server holds it now, by title (the demo owner sees every meeting of the organisation). */
async function serverMeeting(serverUrl: string, title: string) {
  const { meetings } = MeetingListSchema.parse(await asOwner(serverUrl, '/meetings'));
  return meetings.find((m) => m.title === title);
}

describe('scheduling meetings from Home (real server, Chromium)', () => {
  let world: World<readonly ['ada']>;
  let site: StaticServer;
  let server: CoordinationServer;
  let ada: Desktop;
  let form: Locator;
  const row = (title: string) => ada.page.locator('.meeting', { hasText: title });

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada']);
    ({
      server,
      site,
      desktops: [ada],
    } = world);
    await ada.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: site.origin });
    await signIn(ada.page, server.url, ADA);
    form = ada.page.getByRole('region', { name: 'New meeting' });
  });
  afterAll(() => world?.close());

  it('refuses a time gone by, then schedules one for tomorrow with a lobby', async () => {
    await form.getByLabel('Title', { exact: true }).fill('Quarterly planning');
    await form.getByRole('radio', { name: 'At a set time' }).check();
    await form.getByLabel('Date', { exact: true }).fill('2020-01-01');
    await form.getByLabel('Start time').fill('10:00');
    await form.getByRole('button', { name: 'Create' }).click();
    await form.getByRole('alert').filter({ hasText: 'That time has already passed.' }).waitFor();

    await form.getByLabel('Date', { exact: true }).fill(await tomorrow(ada.page));
    await form.getByLabel('Length', { exact: true }).selectOption({ label: '45 minutes' });
    await form.getByRole('checkbox', { name: 'People wait in the lobby until a host lets them in' }).check();
    await form.getByRole('button', { name: 'Create' }).click();
    await row('Quarterly planning')
      .getByText(/^Tomorrow, /)
      .waitFor(SYNC);
    await shot(ada.page, 'home-scheduled-meeting');

    const meeting = await serverMeeting(server.url, 'Quarterly planning');
    expect(meeting?.settings.lobby).toBe(true);
    expect(meeting?.startsAt).not.toBeNull();
    expect(Date.parse(meeting?.endsAt ?? '') - Date.parse(meeting?.startsAt ?? '')).toBe(45 * 60_000);
    const start = new Date(meeting?.startsAt ?? '');
    expect(await ada.page.evaluate((iso) => new Date(iso).getHours(), start.toISOString())).toBe(10);
  });

  it('copies an invitation with the time and the join link', async () => {
    await row('Quarterly planning').getByRole('button', { name: 'Options for Quarterly planning' }).click();
    await ada.page.getByRole('menuitem', { name: 'Copy invitation' }).click();
    await ada.page.getByRole('status').filter({ hasText: 'Invitation copied.' }).waitFor();
    const text = await ada.page.evaluate(() => navigator.clipboard.readText());
    const meeting = await serverMeeting(server.url, 'Quarterly planning');
    expect(text).toContain(`${ADA.name} invites you to a Tandem meeting.`);
    expect(text).toContain('Quarterly planning');
    expect(text).toContain(`Join: ${meeting?.webJoinUrl}`);
  });

  it('edits the title and the time in a dialog that passes axe-core', async () => {
    await row('Quarterly planning').getByRole('button', { name: 'Options for Quarterly planning' }).click();
    await ada.page.getByRole('menuitem', { name: 'Edit…' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Edit Quarterly planning' });
    await dialog.waitFor();
    expect(await dialog.getByLabel('Start time').inputValue()).toBe('10:00');
    expect(await dialog.getByLabel('Length', { exact: true }).inputValue()).toBe('45');
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'home-edit-meeting');
    await dialog.getByLabel('Title', { exact: true }).fill('Quarterly planning (moved)');
    await dialog.getByLabel('Start time').fill('11:30');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await row('Quarterly planning (moved)').waitFor(SYNC);
    const meeting = await serverMeeting(server.url, 'Quarterly planning (moved)');
    expect(await ada.page.evaluate((iso) => new Date(iso).getMinutes(), meeting?.startsAt ?? '')).toBe(30);
  });

  it('cancels after confirmation: gone from Home, cancelled on the server', async () => {
    const title = 'Quarterly planning (moved)';
    await row(title)
      .getByRole('button', { name: `Options for ${title}` })
      .click();
    await ada.page.getByRole('menuitem', { name: 'Cancel meeting…' }).click();
    const dialog = ada.page.getByRole('dialog', { name: `Cancel ${title}?` });
    await dialog.getByRole('button', { name: 'Keep it' }).click();
    expect(await row(title).count()).toBe(1);
    await row(title)
      .getByRole('button', { name: `Options for ${title}` })
      .click();
    await ada.page.getByRole('menuitem', { name: 'Cancel meeting…' }).click();
    await dialog.getByRole('button', { name: 'Cancel meeting' }).click();
    await row(title).waitFor({ state: 'detached', timeout: SYNC.timeout });
    expect((await serverMeeting(server.url, title))?.status).toBe('cancelled');
  });
});
