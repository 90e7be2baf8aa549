import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { AuditPageSchema } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { asOwner, ownerCreatesMeeting, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA] = DEMO_PEOPLE;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

const NO_OUTSIDERS = 'This organisation does not let people from outside join by link.';

/**
 * Settings → Organisation: Ada (the demo organisation's owner) turns guests from outside off in
 * the app, and a meeting's join link says so at once; the recordings' retention is checked before
 * it is saved; each change is in the audit log. Settings → General: her private calendar link,
 * made, replaced and turned off, read the way a calendar app reads it.
 */
describe('settings changed in the app: the organisation’s, and one’s calendar link', () => {
  let world: World<readonly ['ada']>;
  let server: CoordinationServer;
  let ada: Desktop;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada']);
    ({
      server,
      desktops: [ada],
    } = world);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('Ada turns guests from outside off; the join link tells visitors so', async () => {
    const { page } = ada;
    const meeting = await ownerCreatesMeeting(server.url, {
      title: 'Customer call',
      startsAt: new Date(Date.now() + 24 * 3600_000).toISOString(),
    });
    const landing = async () => (await fetch(meeting.webJoinUrl)).text();
    expect(await landing()).not.toContain(NO_OUTSIDERS);

    await signIn(page, server.url, ADA);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Organisation' }).click();
    const card = page.getByRole('region', { name: 'Organisation' });
    const guests = card.getByRole('checkbox', { name: 'People from outside may join meetings by link' });
    expect(await guests.isChecked()).toBe(true);
    await guests.uncheck();
    await expect.poll(() => landing()).toContain(NO_OUTSIDERS);
    expect(await guests.isChecked()).toBe(false);
    // The link's page in a browser says so too, and offers no name to knock with, only signing in.
    const visitor = await world.browser.newPage();
    await visitor.goto(meeting.webJoinUrl);
    await visitor.getByRole('button', { name: 'I have an account: sign in' }).waitFor();
    await visitor.getByRole('status').filter({ hasText: NO_OUTSIDERS }).waitFor();
    expect(await visitor.getByLabel('Your name').count()).toBe(0);
    expect(await accessibilityViolations(visitor)).toEqual([]);
    await shot(visitor, 'guest-link-outsiders-off');
    await visitor.close();
    await shot(page, 'settings-organisation');
    expect(await accessibilityViolations(page)).toEqual([]);

    await guests.check();
    await expect.poll(() => landing()).not.toContain(NO_OUTSIDERS);

    // Transcription: this world's server runs with IT's TRANSCRIPTION=off, which no organisation
    // overrides. Asking for it comes back off, and the card says who decided.
    const transcription = card.getByRole('checkbox', { name: 'Transcribe meetings, with live captions' });
    await transcription.click();
    await card.getByText('Your IT department has turned this off for every organisation on this server.').waitFor();
    expect(await transcription.isChecked()).toBe(false);
  });

  it('keeps recordings for the days Ada sets, and refuses a number out of range before sending it', async () => {
    const { page } = ada;
    const card = page.getByRole('region', { name: 'Organisation' });
    const days = card.getByLabel('Delete recordings after (days)');
    const save = card.getByRole('button', { name: 'Save' });
    await days.fill('0');
    expect(await save.isDisabled()).toBe(true);
    expect(await days.getAttribute('aria-invalid')).toBe('true');
    await days.fill('30');
    await save.click();
    await expect.poll(() => save.isDisabled()).toBe(true);
    await expect
      .poll(
        async () =>
          ((await asOwner(server.url, '/organisation/settings')) as { recordingRetentionDays: number })
            .recordingRetentionDays,
      )
      .toBe(30);

    const audit = AuditPageSchema.parse(await asOwner(server.url, '/audit?action=organisation.settings_changed'));
    expect(audit.entries.map((e) => e.detail)).toEqual([
      { 'recordingRetentionDays.was': 90, 'recordingRetentionDays.now': 30 },
      { 'transcription.was': false, 'transcription.now': false },
      { 'externalGuests.was': false, 'externalGuests.now': true },
      { 'externalGuests.was': true, 'externalGuests.now': false },
    ]);
  });

  it('Ada makes her calendar link, which a calendar reads; a new one replaces it; she turns it off', async () => {
    const { page } = ada;
    await page.getByRole('tab', { name: 'General' }).click();
    const card = page.getByRole('region', { name: 'Calendar subscription' });
    await card.getByRole('button', { name: 'Make my calendar link' }).click();
    const link = card.getByLabel('Your calendar link');
    await link.waitFor();
    const first = await link.inputValue();
    expect(first.startsWith(`${server.url}/calendar/`)).toBe(true);
    const read = (url: string) =>
      fetch(url).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));
    expect(await read(first)).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/calendar/) as string });
    expect((await read(first)).text).toContain('SUMMARY:Customer call');
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'settings-calendar-link');
    expect(await accessibilityViolations(page)).toEqual([]);

    await card.getByRole('button', { name: 'Make a new link' }).click();
    await expect.poll(() => link.inputValue()).not.toBe(first);
    const second = await link.inputValue();
    expect((await read(first)).status).toBe(404);
    expect((await read(second)).status).toBe(200);

    await card.getByRole('button', { name: 'Turn my link off' }).click();
    await card.getByRole('status').filter({ hasText: 'Your calendar link is off' }).waitFor();
    expect((await read(second)).status).toBe(404);
    // Turning it off again, with no link left, is no error.
    await card.getByRole('button', { name: 'Turn my link off' }).click();
    await expect.poll(() => card.getByRole('button', { name: 'Turn my link off' }).isEnabled()).toBe(true);
    expect(await card.getByRole('alert').count()).toBe(0);
  });
});
