import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { ROUTES, type AuthSession, type Meeting, type UserList } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from '../apps/server/src/providers/testing/fakeProviders.ts';
import { accessibilityViolations } from './support/accessibility.ts';
import { clockIn } from './support/clock.ts';
import { signIn } from './support/people.ts';
import { microsoftAtFake } from './support/providers.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const SYNC = { timeout: 30_000, interval: 250 };
const APP_REDIRECT = 'http://127.0.0.1:53682/providers/callback';

/**
 * The browser client's calendar follows changes live (issue 22): Grace, a member on the browser
 * client in New York, sees Ada's weekly Berlin meeting at her local time; Ada moves one occurrence
 * and Grace's calendar follows; an Outlook change (a Graph change notification for Grace's own
 * connected calendar, `calendar.changed`) makes it read again. Microsoft is a local fake speaking
 * Graph's wire format; Ada works over the server's HTTP API.
 */
describe('the browser client calendar follows a moved occurrence and an Outlook change live (Graph a local fake)', () => {
  let fake: FakeProviders;
  let world: World<readonly []>;
  let page: Page;
  let ada: AuthSession;
  let grace: AuthSession;
  let meeting: Meeting;

  async function call<T>(route: keyof typeof ROUTES, pathname: string, body: unknown, token: string): Promise<T> {
    const response = await fetch(`${world.server.url}${pathname}`, {
      method: ROUTES[route].method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      ...(ROUTES[route].method === 'GET' ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }
  const signInAs = async (who: { email: string }) =>
    (await (
      await fetch(`${world.server.url}${ROUTES.signIn.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: who.email, password: DEMO_PASSWORD }),
      })
    ).json()) as AuthSession;
  const entries = () => page.getByRole('region', { name: 'Calendar' }).locator('.linked-entry');

  beforeAll(async () => {
    fake = await startFakeProviders();
    world = await startWorld(livekit, [] as const, [], microsoftAtFake(fake));
    [ada, grace] = await Promise.all([signInAs(ADA), signInAs(GRACE)]);
    const { users } = await call<UserList>('listUsers', ROUTES.listUsers.path, undefined, ada.tokens.accessToken);
    const graceId = users.find((p) => p.email === GRACE.email)?.id ?? '';
    // Next Monday at 09:00 in Berlin (08:00 UTC in winter), weekly, 4 times, Grace invited.
    const monday = new Date();
    monday.setUTCDate(monday.getUTCDate() + ((8 - monday.getUTCDay()) % 7 || 7));
    const berlinNine = new Date(`${monday.toISOString().slice(0, 10)}T08:00:00.000Z`);
    meeting = await call<Meeting>(
      'createMeeting',
      ROUTES.createMeeting.path,
      {
        title: 'Weekly sync',
        startsAt: berlinNine.toISOString(),
        endsAt: new Date(berlinNine.getTime() + 30 * 60_000).toISOString(),
        timeZone: 'Europe/Berlin',
        recurrence: { frequency: 'weekly', end: { type: 'count', count: 4 } },
        invitees: [graceId],
      },
      ada.tokens.accessToken,
    );
    // Grace's own Outlook calendar, connected by consent (the fake approves at once).
    const consent = await call<{ url: string }>(
      'providerConsent',
      ROUTES.providerConsent.path,
      { provider: 'microsoft', scope: 'user', redirectUri: APP_REDIRECT },
      grace.tokens.accessToken,
    );
    const back = new URL((await fetch(consent.url, { redirect: 'manual' })).headers.get('location') ?? '');
    await call(
      'completeConsent',
      ROUTES.completeConsent.path,
      { code: back.searchParams.get('code'), state: back.searchParams.get('state') },
      grace.tokens.accessToken,
    );
    const context = await world.browser.newContext({
      timezoneId: 'America/New_York',
      viewport: { width: 1100, height: 800 },
    });
    page = await context.newPage();
    await page.goto(`${world.server.url}/app/`);
    await signIn(page, world.server.url, GRACE);
  });
  afterAll(async () => {
    await page?.context().close();
    await world?.close();
    await fake?.close();
  });

  it("shows Ada's Berlin 09:00 series at Grace's New York time, and follows Ada moving one occurrence", async () => {
    const weekly = entries().filter({ hasText: 'Weekly sync' });
    await expect.poll(() => weekly.count(), SYNC).toBeGreaterThanOrEqual(1);
    // 08:00 UTC on Grace's clock: 03:00 in winter, 04:00 in summer.
    const first = Date.parse(meeting.startsAt ?? '');
    expect(await weekly.first().locator('.linked-entry-when').textContent()).toContain(
      clockIn('America/New_York', first),
    );
    const before = await weekly.allTextContents();

    // Ada moves the first occurrence two hours later, for this occurrence only.
    const occurrenceId = meeting.startsAt ?? '';
    await call(
      'editOccurrence',
      ROUTES.editOccurrence.path.replace(':meetingId', meeting.id).replace(':occurrenceId', occurrenceId),
      { scope: 'this', startsAt: new Date(Date.parse(occurrenceId) + 2 * 3600_000).toISOString() },
      ada.tokens.accessToken,
    );
    await expect
      .poll(async () => (await weekly.first().locator('.linked-entry-when').textContent()) ?? '', SYNC)
      .toContain(clockIn('America/New_York', first + 2 * 3600_000));
    expect(await weekly.allTextContents()).not.toEqual(before);
  });

  it('reads the calendar again when Outlook tells the server of a change (calendar.changed)', async () => {
    // The subscription the server made for Grace's calendar, as Graph holds it (its clientState included).
    const subscription = [...fake.graph.values()].find((g) => g.resource === 'me/events');
    const start = new Date(Date.now() + 26 * 3600_000);
    fake.addOutlookEvent({
      subject: 'Dentist',
      start: start.toISOString(),
      end: new Date(start.getTime() + 3600_000).toISOString(),
    });
    expect(await entries().filter({ hasText: 'Dentist' }).count()).toBe(0);
    const notified = await fetch(`${world.server.url}/webhooks/graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [
          {
            subscriptionId: subscription?.id,
            clientState: subscription?.clientState,
            changeType: 'created',
            resource: 'Users/grace/Events/AAMkOutlook',
            resourceData: { id: 'AAMkOutlook' },
          },
        ],
      }),
    });
    expect(notified.status).toBe(202);
    await entries().filter({ hasText: 'Dentist' }).first().waitFor(SYNC);
    await page.screenshot({ path: path.join(screenshotsDir, 'browser-calendar-live.png'), fullPage: true });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});
