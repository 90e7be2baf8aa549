import path from 'node:path';
import { launchChromium, screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { openDesktop, type Desktop } from './support/desktop.ts';
import { signIn } from './support/people.ts';
import { serveRenderer, type RendererSite } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const TITLE = 'Weekly sync';
const SYNC = { timeout: 30_000, interval: 250 };

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });

/** `yyyy-mm-dd` of the next Monday after today, in the page's time zone. */
const nextMonday = (page: Page) =>
  page.evaluate(() => {
    const d = new Date();
    d.setDate(d.getDate() + ((8 - d.getDay()) % 7 || 7));
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

/**
 * Recurring meetings across time zones, two desktops over the real server: Ada's computer is in
 * Berlin, Grace's in New York (the page's time zone, as Chromium reports it to the renderer).
 */
describe('scheduling a weekly meeting across two time zones (real server, two desktops in Chromium)', () => {
  let browser: Browser;
  let site: RendererSite;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  let monday: string;
  const calendarEntries = (who: Desktop): Locator =>
    who.page.getByRole('region', { name: 'Calendar' }).locator('.linked-entry', { hasText: TITLE });

  beforeAll(async () => {
    [browser, site] = await Promise.all([launchChromium(), serveRenderer(inject('renderer'))]);
    server = await coordinationServer(livekit, { WEB_APP_DIR: site.dir });
    [ada, grace] = await Promise.all([
      openDesktop(browser, site, 'ada-sched', undefined, undefined, 'Europe/Berlin'),
      openDesktop(browser, site, 'grace-sched', undefined, undefined, 'America/New_York'),
    ]);
    await Promise.all([signIn(ada.page, server.url, ADA), signIn(grace.page, server.url, GRACE)]);
  });
  afterAll(async () => {
    await ada?.close();
    await grace?.close();
    await browser?.close();
    await site?.close();
    await server?.dispose();
  });

  it('Ada schedules a weekly Monday 09:00 meeting in her zone with the recurrence editor, by keyboard-operable controls', async () => {
    const form = ada.page.getByRole('region', { name: 'New meeting' });
    monday = await nextMonday(ada.page);
    await form.getByLabel('Title', { exact: true }).fill(TITLE);
    await form.getByRole('radio', { name: 'At a set time' }).check();
    await form.getByLabel('Date', { exact: true }).fill(monday);
    await form.getByLabel('Start time').fill('09:00');
    // The zone picker starts at the computer's own zone.
    expect(await form.getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    await form.getByLabel('Repeats').selectOption('weekly');
    // The start's own weekday is always one of a weekly series' days.
    const mondayBox = form
      .getByRole('group', { name: 'On' })
      .getByRole('checkbox', { name: "Monday (the start's day)" });
    expect([await mondayBox.isChecked(), await mondayBox.isDisabled()]).toEqual([true, true]);
    await form.getByRole('radio', { name: 'After' }).check();
    await form.getByLabel('Number of occurrences').fill('4');
    const invite = form.getByRole('combobox', { name: 'Invite people' });
    await invite.focus();
    await ada.page.keyboard.type('grace');
    await form.getByRole('listbox', { name: 'Invite people' }).getByRole('option').first().waitFor(SYNC);
    await ada.page.keyboard.press('Enter');
    await form.getByRole('list', { name: 'Invite people: chosen' }).getByText(GRACE.name).waitFor();
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await form.screenshot({ path: path.join(screenshotsDir, 'recurrence-editor.png') });
    await form.getByRole('button', { name: 'Create' }).click();

    const row = ada.page.getByRole('region', { name: 'Upcoming meetings' }).locator('.meeting', { hasText: TITLE });
    await row.getByText('Every week on Monday, 4 times').waitFor(SYNC);
  });

  it('Grace, in New York, sees it at her own local time (03:00) and Ada at hers (09:00), each occurrence with its Join button', async () => {
    await expect.poll(() => calendarEntries(grace).count(), SYNC).toBeGreaterThanOrEqual(1);
    const graceWhen = await calendarEntries(grace).first().locator('.linked-entry-when').textContent();
    expect(graceWhen).toContain('03:00');
    await expect.poll(() => calendarEntries(ada).count(), SYNC).toBeGreaterThanOrEqual(1);
    expect(await calendarEntries(ada).first().locator('.linked-entry-when').textContent()).toContain('09:00');
    expect(
      await calendarEntries(grace)
        .first()
        .getByRole('button', { name: `Join ${TITLE}`, exact: true })
        .count(),
    ).toBe(1);
    await calendarEntries(grace).first().scrollIntoViewIfNeeded();
    await shot(grace.page, 'calendar-two-zones');
    expect(await accessibilityViolations(grace.page)).toEqual([]);
  });

  it('Ada moves the second occurrence to 11:00 for this occurrence only; the series shows it changed and Grace sees 05:00', async () => {
    const row = ada.page.getByRole('region', { name: 'Upcoming meetings' }).locator('.meeting', { hasText: TITLE });
    await row.getByText('Every week on Monday, 4 times').click();
    const occurrences = row.getByRole('list', { name: `Occurrences of ${TITLE}` }).getByRole('listitem');
    await expect.poll(() => occurrences.count(), SYNC).toBe(4);
    await occurrences
      .nth(1)
      .getByRole('button', { name: /^Change / })
      .click();
    const dialog = ada.page.getByRole('dialog', { name: `Change ${TITLE}` });
    expect(await dialog.getByRole('radio', { name: 'This occurrence', exact: true }).isChecked()).toBe(true);
    await dialog.getByLabel(/^Start time/).fill('11:00');
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await occurrences.nth(1).getByText('Changed').waitFor(SYNC);
    expect(await occurrences.nth(1).textContent()).toContain('11:00');
    expect(await occurrences.nth(0).textContent()).toContain('09:00');
    await row.scrollIntoViewIfNeeded();
    await shot(ada.page, 'series-exception');

    // Grace's calendar follows the change live: the second Monday is at 05:00 in New York.
    await expect
      .poll(async () => (await calendarEntries(grace).allTextContents()).some((t) => t.includes('05:00')), SYNC)
      .toBe(true);
    expect(ada.pageErrors).toEqual([]);
    expect(grace.pageErrors).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations]).toEqual([]);
  });
});
