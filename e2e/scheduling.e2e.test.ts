import path from 'node:path';
import { launchChromium, screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../apps/server/src/providers/testing/fakeProviders.ts';
import { accessibilityViolations } from './support/accessibility.ts';
import { clockIn } from './support/clock.ts';
import { openDesktop, type Desktop } from './support/desktop.ts';
import { signIn } from './support/people.ts';
import { connectMicrosoftForOrganisation, microsoftAtFake } from './support/providers.ts';
import { serveRenderer, type RendererSite } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const TITLE = 'Weekly sync';
const TEAMS_TITLE = 'Weekly Teams review';
const SYNC = { timeout: 30_000, interval: 250 };

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage: true });

/** `yyyy-mm-dd` of the next Monday after today, in the page's time zone. */
/**
 * The series' first Monday: New York's today if it is a Monday, else its next one. Grace's
 * calendar shows 14 days from her midnight, so the second occurrence (a week later, 05:00 in New
 * York once moved) must fall within six days of New York's today; the next Monday after Berlin's
 * date did not on Berlin's Monday and on New York's (from Sunday 18:00 to Tuesday 00:00 in New
 * York, the test failed). The first occurrence may then be hours past, which the series and the
 * calendars still list (both from the day's start).
 */
const nextMonday = (page: Page) =>
  page.evaluate(() => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date());
    const d = new Date(`${today}T12:00:00Z`);
    d.setUTCDate(d.getUTCDate() + ((8 - d.getUTCDay()) % 7));
    return d.toISOString().slice(0, 10);
  });

/**
 * Recurring meetings across time zones, two desktops over the real server: Ada's computer is in
 * Berlin, Grace's in New York (the page's time zone, as Chromium reports it to the renderer).
 * Microsoft 365 is a local fake speaking the Microsoft identity platform's and Graph's documented
 * wire formats (the only stand-in), reached through the server's provider URL settings.
 */
describe('scheduling a weekly meeting across two time zones (real server, two desktops in Chromium)', () => {
  let browser: Browser;
  let site: RendererSite;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  let fake: FakeProviders;
  let monday: string;
  const calendarEntries = (who: Desktop, title = TITLE): Locator =>
    who.page.getByRole('region', { name: 'Calendar' }).locator('.linked-entry', { hasText: title });

  beforeAll(async () => {
    [browser, site, fake] = await Promise.all([
      launchChromium(),
      serveRenderer(inject('renderer')),
      startFakeProviders(),
    ]);
    server = await coordinationServer(livekit, { WEB_APP_DIR: site.dir, ...microsoftAtFake(fake) });
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
    await fake?.close();
  });

  /**
   * What Grace's clock in New York reads at `time` on Ada's Berlin wall clock, `days` after the first
   * Monday (03:00 for 09:00 in winter; 04:00 in the weeks the two change clocks apart).
   */
  const inNewYork = async (days: number, time: string): Promise<string> => {
    const at = await ada.page.evaluate(
      ([date, clock, later]) => {
        const local = new Date(`${date}T${clock}`);
        local.setDate(local.getDate() + later);
        return local.getTime();
      },
      [monday, time, days] as const,
    );
    return clockIn('America/New_York', at);
  };
  const newMeeting = () => ada.page.getByRole('region', { name: 'New meeting' });
  const upcoming = (title: string): Locator =>
    ada.page.getByRole('region', { name: 'Upcoming meetings' }).locator('.meeting', { hasText: title });

  /** Ada's form filled for a weekly meeting on Mondays at 09:00 from next Monday, four times, Grace invited. */
  async function fillWeekly(title: string): Promise<void> {
    const form = newMeeting();
    await form.getByLabel('Title', { exact: true }).fill(title);
    await form.getByRole('radio', { name: 'At a set time' }).check();
    await form.getByLabel('Date', { exact: true }).fill(monday);
    await form.getByLabel('Start time').fill('09:00');
    await form.getByLabel('Repeats').selectOption('weekly');
    await form.getByRole('radio', { name: 'After' }).check();
    await form.getByLabel('Number of occurrences').fill('4');
    const invite = form.getByRole('combobox', { name: 'Invite people' });
    await invite.focus();
    await ada.page.keyboard.type('grace');
    await form.getByRole('listbox', { name: 'Invite people' }).getByRole('option').first().waitFor(SYNC);
    await ada.page.keyboard.press('Enter');
    await form.getByRole('list', { name: 'Invite people: chosen' }).getByText(GRACE.name).waitFor();
  }

  /** Ada moves the second occurrence of `title` to 11:00, this occurrence only, in the series' dialog. */
  async function moveSecond(title: string): Promise<Locator> {
    const row = upcoming(title);
    await row.getByText('Every week on Monday, 4 times').click();
    const occurrences = row.getByRole('list', { name: `Occurrences of ${title}` }).getByRole('listitem');
    await expect.poll(() => occurrences.count(), SYNC).toBe(4);
    await occurrences
      .nth(1)
      .getByRole('button', { name: /^Change / })
      .click();
    const dialog = ada.page.getByRole('dialog', { name: `Change ${title}` });
    expect(await dialog.getByRole('radio', { name: 'This occurrence', exact: true }).isChecked()).toBe(true);
    await dialog.getByLabel(/^Start time/).fill('11:00');
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'detached' });
    await occurrences.nth(1).getByText('Changed').waitFor(SYNC);
    expect(await occurrences.nth(1).textContent()).toContain('11:00');
    expect(await occurrences.nth(0).textContent()).toContain('09:00');
    return row;
  }

  it('Ada schedules a weekly Monday 09:00 meeting in her zone with the recurrence editor, by keyboard-operable controls', async () => {
    monday = await nextMonday(ada.page);
    await fillWeekly(TITLE);
    const form = newMeeting();
    // The zone picker starts at the computer's own zone.
    expect(await form.getByLabel('Time zone').inputValue()).toBe('Europe/Berlin');
    // The start's own weekday is always one of a weekly series' days.
    const mondayBox = form
      .getByRole('group', { name: 'On' })
      .getByRole('checkbox', { name: "Monday (the start's day)" });
    expect([await mondayBox.isChecked(), await mondayBox.isDisabled()]).toEqual([true, true]);
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await form.screenshot({ path: path.join(screenshotsDir, 'recurrence-editor.png') });
    await form.getByRole('button', { name: 'Create' }).click();
    await upcoming(TITLE).getByText('Every week on Monday, 4 times').waitFor(SYNC);
  });

  it('Grace, in New York, sees it at her own local time (03:00) and Ada at hers (09:00), each occurrence with its Join button', async () => {
    await expect.poll(() => calendarEntries(grace).count(), SYNC).toBeGreaterThanOrEqual(1);
    const graceWhen = await calendarEntries(grace).first().locator('.linked-entry-when').textContent();
    expect(graceWhen).toContain(await inNewYork(0, '09:00'));
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
    const row = await moveSecond(TITLE);
    await row.scrollIntoViewIfNeeded();
    await shot(ada.page, 'series-exception');

    // Grace's calendar follows the change live: the second Monday is at 05:00 in New York.
    const moved = await inNewYork(7, '11:00');
    await expect
      .poll(async () => (await calendarEntries(grace).allTextContents()).some((t) => t.includes(moved)), SYNC)
      .toBe(true);
    expect(ada.pageErrors).toEqual([]);
    expect(grace.pageErrors).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations]).toEqual([]);
  });

  it('Ada connects Microsoft 365 and makes a weekly Monday 09:00 Berlin meeting in Teams; Grace, in New York, sees it at 03:00 with its Teams join button, which opens msteams:', async () => {
    await connectMicrosoftForOrganisation(ada, browser);
    await ada.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    await fillWeekly(TEAMS_TITLE);
    await newMeeting().getByRole('group', { name: 'Meet in' }).getByRole('radio', { name: 'Microsoft Teams' }).check();
    await newMeeting().getByRole('button', { name: 'Create' }).click();
    await upcoming(TEAMS_TITLE).getByText('Every week on Monday, 4 times').waitFor(SYNC);

    // A Teams series is an event on Ada's calendar with its pattern and range in Berlin's Windows zone.
    const seriesEvent = () => fake.requests.find((r) => r.method === 'POST' && r.path === '/v1.0/me/events');
    await expect.poll(seriesEvent, SYNC).toBeDefined();
    expect(JSON.parse(seriesEvent()?.body ?? 'null')).toMatchObject({
      subject: TEAMS_TITLE,
      start: { dateTime: `${monday}T09:00:00`, timeZone: 'W. Europe Standard Time' },
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday'] },
        range: { type: 'numbered', numberOfOccurrences: 4, recurrenceTimeZone: 'W. Europe Standard Time' },
      },
    });

    await expect.poll(() => calendarEntries(grace, TEAMS_TITLE).count(), SYNC).toBeGreaterThanOrEqual(1);
    const first = calendarEntries(grace, TEAMS_TITLE).first();
    expect(await first.locator('.linked-entry-when').textContent()).toContain(await inNewYork(0, '09:00'));
    await first.getByText('Linked Microsoft Teams meeting').click(SYNC);
    await first.scrollIntoViewIfNeeded();
    await shot(grace.page, 'teams-series-two-zones');
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await first.getByRole('button', { name: `Join ${TEAMS_TITLE} in Microsoft Teams` }).click();
    await first.getByText('Opened in Microsoft Teams.').waitFor(SYNC);
    expect(grace.side.openedLinks.at(-1)).toMatch(/^msteams:\/l\/meetup-join\//);
  });

  it("Ada moves the Teams series' second occurrence to 11:00: Graph's instance is moved, and Grace sees 05:00", async () => {
    await moveSecond(TEAMS_TITLE);
    // Graph's instance of that Monday (found by its originalStart) is PATCHed two hours later, in UTC.
    const movedInstance = () =>
      fake.requests.find((r) => r.method === 'PATCH' && /^\/v1\.0\/me\/events\/[^/]+$/.test(r.path));
    await expect.poll(movedInstance, SYNC).toBeDefined();
    const moved = movedInstance();
    const instance = fake.graph.get(decodeURIComponent(moved?.path.split('/').at(-1) ?? ''));
    expect(instance?.type).toBe('exception');
    const body = JSON.parse(moved?.body ?? 'null') as { start: { dateTime: string; timeZone: string } };
    expect(body.start.timeZone).toBe('UTC');
    expect(Date.parse(`${body.start.dateTime}Z`) - Date.parse(String(instance?.originalStart))).toBe(2 * 3600_000);

    const later = await inNewYork(7, '11:00');
    await expect
      .poll(
        async () => (await calendarEntries(grace, TEAMS_TITLE).allTextContents()).some((t) => t.includes(later)),
        SYNC,
      )
      .toBe(true);
    expect(ada.pageErrors).toEqual([]);
    expect(grace.pageErrors).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations]).toEqual([]);
  });
});
