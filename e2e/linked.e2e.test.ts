import crypto from 'node:crypto';
import path from 'node:path';
import { launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { ROUTES, type AuthSession, type Meeting } from '@tandem/shared';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDesktop, type Desktop } from './support/desktop.ts';
import { serveRenderer } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');
const [ADA] = DEMO_PEOPLE;

const TEAMS_JOIN =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjM4ZTU5YjQtYjQ1Ny00ZjQ1LWE5ZDAtZTI3ZTA2ZDRmMzYz%40thread.v2/0' +
  '?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22a1b2c3d4-1111-2222-3333-444455556666%22%7d';

/** A Teams invitation as Outlook writes it into the e-mail's text part. */
const TEAMS_INVITATION = `Hi all, the quarterly review is on Teams this time.

________________________________________________________________________________
Microsoft Teams Need help? <https://aka.ms/JoinTeamsMeeting?omkt=en-US>
Join the meeting now <${TEAMS_JOIN}>
Meeting ID: 123 456 789 012
Passcode: aBc123
________________________________
Dial in by phone
+1 323-555-0101,,123456789# <tel:+13235550101,,123456789#> United States, Los Angeles
+44 (0)20 7946 0000,,123456789# United Kingdom, London
Find a local number <https://dialin.teams.microsoft.com/a1b2c3d4?id=123456789>
Phone conference ID: 123 456 789#
For organizers: Meeting options <https://teams.microsoft.com/meetingOptions/?organizerId=a1b2&tenantId=72f9&threadId=19_meeting&messageId=0&language=en-US>
________________________________________________________________________________
`;

const ZOOM_INVITATION = `Join Zoom Meeting
https://acme.zoom.us/j/81234567890?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ012.1

Meeting ID: 812 3456 7890
Passcode: 123456
`;

async function call<T>(server: CoordinationServer, method: string, url: string, body: unknown, token?: string) {
  const response = await fetch(`${server.url}${url}`, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/**
 * The desktop app (renderer in Chromium, main's real IPC handlers and cache behind the bridge) on
 * the real coordination server. Opening links goes to the harness platform, a fake of Electron's
 * shell.openExternal that records what it was asked to open.
 */
describe('linked Teams/Zoom/Meet meetings in the desktop app, end to end (Electron shell faked, records opened links)', () => {
  let browser: Browser;
  let site: StaticServer;
  let server: CoordinationServer;
  let ada: Desktop;
  let meeting: Meeting;

  beforeAll(async () => {
    // Microsoft is offered (its consent page is only recorded, never fetched); Google and Zoom are not.
    const providers = {
      PROVIDER_TOKEN_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`,
      MICROSOFT_CLIENT_ID: 'e2e-client',
      MICROSOFT_CLIENT_SECRET: 'e2e-secret',
    };
    [browser, site, server] = await Promise.all([
      launchChromium(),
      serveRenderer(inject('renderer')),
      coordinationServer(livekit, providers),
    ]);
    // One of ours, tomorrow, with a Zoom invitation attached by its host (the server recognises it).
    const session = await call<AuthSession>(server, 'POST', ROUTES.signIn.path, {
      email: ADA.email,
      password: DEMO_PASSWORD,
    });
    const startsAt = new Date(Date.now() + 24 * 3600_000);
    startsAt.setUTCMinutes(0, 0, 0);
    meeting = await call<Meeting>(
      server,
      'POST',
      ROUTES.createMeeting.path,
      { title: 'Partner sync', startsAt: startsAt.toISOString() },
      session.tokens.accessToken,
    );
    await call(
      server,
      'PUT',
      ROUTES.attachInvitation.path.replace(':meetingId', meeting.id),
      { text: ZOOM_INVITATION },
      session.tokens.accessToken,
    );
    ada = await openDesktop(browser, site, 'ada-linked');
  });
  afterAll(async () => {
    await ada?.close();
    await browser?.close();
    await site?.close();
    await server?.dispose();
  });

  it('recognises a pasted Teams invitation and joins it in Teams through the external-link gate', async () => {
    const { page } = ada;
    await page.getByLabel('Server', { exact: true }).fill(server.url);
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Hello, ${ADA.name}` }).waitFor();

    const paste = page.getByLabel('Paste a meeting link or invitation');
    await paste.fill('see you at the usual place');
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: 'No Teams, Zoom, Google Meet or Tandem meeting link found.' })
          .count(),
      )
      .toBeGreaterThan(0);

    await paste.fill(TEAMS_INVITATION);
    await page.getByText('Recognised a Microsoft Teams meeting.').waitFor();
    const card = page.locator('.linked-meeting[data-provider="teams"]').first();
    const detail = (label: string) => card.locator('.linked-detail', { hasText: label }).locator('code');
    expect(await detail('Meeting ID').textContent()).toBe('123456789012');
    expect(await detail('Passcode').textContent()).toBe('aBc123');
    expect(await detail('Phone conference ID').textContent()).toBe('123456789');
    expect(await card.getByRole('list', { name: 'Dial-in numbers' }).locator('code').allTextContents()).toEqual([
      '+13235550101',
      '+442079460000',
    ]);
    await expect.poll(() => card.getByRole('button', { name: 'Copy passcode' }).count()).toBe(1);

    await card.getByRole('button', { name: 'Join meeting in Microsoft Teams' }).click();
    await card.getByText('Opened in Microsoft Teams.').waitFor();
    expect(ada.side.openedLinks).toEqual([TEAMS_JOIN.replace('https://teams.microsoft.com', 'msteams:')]);
    await page.screenshot({ path: path.join(screenshotsDir, 'linked-meeting.png'), fullPage: true });
  });

  it('shows our meeting in the calendar with its linked Zoom meeting and a Join button', async () => {
    const { page } = ada;
    const calendar = page.getByRole('region', { name: 'Calendar' });
    const entry = calendar.locator('.linked-entry', { hasText: 'Partner sync' });
    await entry.waitFor();
    await expect.poll(() => entry.getByRole('button', { name: 'Join Partner sync', exact: true }).count()).toBe(1);
    await entry.getByText('Linked Zoom meeting').click();
    const zoom = entry.locator('.linked-meeting[data-provider="zoom"]');
    expect(await zoom.locator('.linked-detail', { hasText: 'Meeting ID' }).locator('code').textContent()).toBe(
      '81234567890',
    );
    await zoom.getByRole('button', { name: 'Join Partner sync in Zoom' }).click();
    await zoom.getByText('Opened in Zoom.').waitFor();
    expect(ada.side.openedLinks.at(-1)).toBe(
      'zoommtg://acme.zoom.us/join?confno=81234567890&pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ012.1',
    );
  });

  it('links the pasted invitation to our meeting, and the calendar shows the Teams meeting there', async () => {
    const { page } = ada;
    await page.getByLabel('Link to one of our meetings').selectOption({ label: 'Partner sync' });
    await page.getByRole('button', { name: 'Link', exact: true }).click();
    await page.getByText('Linked to Partner sync.').waitFor();
    const entry = page.getByRole('region', { name: 'Calendar' }).locator('.linked-entry', { hasText: 'Partner sync' });
    await entry.getByText('Linked Microsoft Teams meeting').waitFor();
  });

  it('lets an admin connect Microsoft 365 from Settings, opening its consent page in the browser', async () => {
    const { page } = ada;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    const card = page.getByRole('region', { name: 'Connected calendars and meeting providers' });
    const row = (name: string) => card.getByRole('listitem', { name });
    await row('Microsoft 365').getByText('Not connected').waitFor();
    await row('Zoom').getByText('Not offered: this server has no settings for it').waitFor();
    await row('Google').getByText('Not offered: this server has no settings for it').waitFor();
    expect(await row('Zoom').getByLabel('Client secret').count()).toBe(0);

    await row('Microsoft 365').getByRole('button', { name: 'Connect Microsoft 365 for the organisation' }).click();
    await row('Microsoft 365').getByText('Continue in your browser, then refresh this list.').waitFor();
    const consent = new URL(ada.side.openedLinks.at(-1) ?? '');
    expect(consent.origin).toBe('https://login.microsoftonline.com');
    expect(consent.searchParams.get('client_id')).toBe('e2e-client');
    // The app's loopback receiver (RFC 8252 §7.3): the code comes back to the app that started it.
    expect(consent.searchParams.get('redirect_uri')).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/providers\/callback$/);
    expect(consent.searchParams.get('code_challenge_method')).toBe('S256');
    await page.screenshot({ path: path.join(screenshotsDir, 'provider-accounts.png'), fullPage: true });
  });
});
