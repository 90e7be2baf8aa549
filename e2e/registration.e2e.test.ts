import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { ROUTES, RegistrantListSchema, type Meeting, type RegistrationSettings } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { asOwner, ownerCreatesMeeting, ownerToken } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * The public registration page of a webinar, in Chromium against the real server: someone from
 * outside fills in name, e-mail and the host's question, is refused without the required answer,
 * registers, and reads their confirmation with their own join link and the calendar file.
 */
describe('webinar registration page, end to end', () => {
  let world: World<readonly []>;
  let page: Page;
  let webinar: Meeting;

  beforeAll(async () => {
    world = await startWorld(livekit, []);
    const url = world.server.url;
    const startsAt = new Date(Date.now() + 7 * 86_400_000).toISOString();
    const endsAt = new Date(Date.now() + 7 * 86_400_000 + 3_600_000).toISOString();
    webinar = await ownerCreatesMeeting(url, { title: 'Spring product launch', type: 'webinar', startsAt, endsAt });
    const settings: RegistrationSettings = {
      open: true,
      approval: 'automatic',
      capacity: 100,
      questions: [{ id: 'company', label: 'Company', required: true }],
    };
    const put = await fetch(`${url}${ROUTES.setRegistration.path.replace(':meetingId', webinar.id)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(url)}` },
      body: JSON.stringify(settings),
    });
    expect(put.status).toBe(200);
    page = await world.browser.newPage();
  });
  afterAll(async () => {
    await page?.close();
    await world?.close();
  });

  it('registers someone from outside and confirms with their join link and a calendar file', async () => {
    await page.goto(`${world.server.url}/r/${webinar.joinCode}`);
    await page.getByRole('heading', { name: 'Register for Spring product launch' }).waitFor(SYNC);
    await page.getByLabel('Name').fill('Carol Outside');
    await page.getByLabel('E-mail').fill('carol@example.org');
    // The browser's own check keeps a required field; the server says the same without it.
    await page.getByLabel('Company (required)').evaluate((input) => input.removeAttribute('required'));
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('alert').filter({ hasText: 'Required: Company.' }).waitFor(SYNC);
    expect(await page.getByLabel('Name').inputValue()).toBe('Carol Outside');

    await page.getByLabel('Company (required)').fill('Globex');
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'webinar-registration');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: 'You are registered' }).waitFor(SYNC);
    const link = page.getByRole('link', { name: /\/w\// });
    expect(await link.getAttribute('href')).toMatch(/\/w\/[\w-]{40,}$/);
    expect(await page.getByRole('link', { name: 'Add to calendar' }).getAttribute('href')).toBe(
      `/r/${webinar.joinCode}/event.ics`,
    );
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'webinar-registration-confirmed');

    const { registrants } = RegistrantListSchema.parse(
      await asOwner(world.server.url, `/meetings/${webinar.id}/registrants`),
    );
    expect(registrants.map((r) => [r.name, r.email, r.status, r.answers])).toEqual([
      ['Carol Outside', 'carol@example.org', 'approved', { company: 'Globex' }],
    ]);
  });

  it('opens the registrant’s link into the call: starts soon, then the attendee view once live; a revoked link says so', async () => {
    const { registrants } = RegistrantListSchema.parse(
      await asOwner(world.server.url, `/meetings/${webinar.id}/registrants`),
    );
    const carol = registrants[0];
    if (carol === undefined) throw new Error('no registrant');
    const link = (await page.getByRole('link', { name: /\/w\// }).getAttribute('href')) ?? '';
    await page.goto(link.startsWith('http') ? link : `${world.server.url}${link}`);
    await page.getByRole('heading', { name: 'Spring product launch' }).waitFor(SYNC);
    await page.getByText(/^Starts /).waitFor();
    await page
      .getByRole('status')
      .getByText(/starts soon/)
      .waitFor();
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Join in this browser' }).click();

    // The browser client: a guest session of the webinar, which waits in its lobby until it is live.
    const join = page.getByRole('button', { name: 'Join now', exact: true });
    const lobby = page.getByRole('heading', { name: 'The webinar starts soon' });
    await join.or(lobby).first().waitFor(SYNC);
    if (await join.isVisible()) await join.click();
    await lobby.waitFor(SYNC);
    const token = await ownerToken(world.server.url);
    const live = await fetch(`${world.server.url}${ROUTES.setWebinarLive.path.replace(':meetingId', webinar.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ live: true }),
    });
    expect(live.status).toBe(200);
    await page
      .getByRole('status')
      .getByText('You are in the audience: the panelists cannot see or hear you. Ask in Q&A, or react.')
      .waitFor({ timeout: 60_000 });
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'webinar-browser-attendee');

    // Revoked, the link opens nothing: its page says so.
    const revoke = await fetch(
      `${world.server.url}${ROUTES.decideRegistrant.path.replace(':meetingId', webinar.id).replace(':registrantId', carol.id)}`,
      {
        method: ROUTES.decideRegistrant.method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ status: 'revoked' }),
      },
    );
    expect(revoke.status).toBe(200);
    const revokedPage = await world.browser.newPage();
    try {
      const answer = await revokedPage.goto(link.startsWith('http') ? link : `${world.server.url}${link}`);
      expect(answer?.status()).toBe(403);
      await revokedPage.getByRole('heading', { name: 'This join link was revoked' }).waitFor(SYNC);
      expect(await accessibilityViolations(revokedPage)).toEqual([]);
    } finally {
      await revokedPage.close();
    }
  });
});
