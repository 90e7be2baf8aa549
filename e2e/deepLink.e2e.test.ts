import path from 'node:path';
import { launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { ParticipantListSchema, ROUTES, type Meeting } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDesktop, type Desktop } from './support/desktop.ts';
import { asOwner, joinFromPreview, ownerCreatesMeeting, signIn } from './support/people.ts';
import { serveRenderer } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
/** Where the OS would start the app from; the link follows, as a second launch's argv has it. */
const EXE = '/opt/Tandem/tandem';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * `tandem://join/<code>` as the OS delivers it: a second launch's arguments, macOS's open-url, or
 * the arguments of the launch itself, handed to main's real link routing (the harness plays the OS
 * at the platform seam). The renderer, main's handlers, the server and livekit-server are real.
 */
describe('deep links: tandem://join/<code> from the OS to the call', () => {
  let browser: Browser;
  let site: StaticServer;
  let server: CoordinationServer;
  let meeting: Meeting;
  const desktops: Desktop[] = [];

  /** Who is in the meeting's LiveKit room, by name, as the server's room service reports it. */
  const inCall = async (m: Meeting) =>
    ParticipantListSchema.parse(await asOwner(server.url, ROUTES.listParticipants.path.replace(':meetingId', m.id)))
      .participants.map((p) => p.name)
      .sort();

  beforeAll(async () => {
    [browser, site, server] = await Promise.all([
      launchChromium(),
      serveRenderer(inject('renderer')),
      coordinationServer(livekit),
    ]);
    meeting = await ownerCreatesMeeting(server.url, { title: 'Linked from the calendar' });
  });
  afterAll(async () => {
    for (const desktop of desktops) await desktop.close();
    await browser?.close();
    await site?.close();
    await server?.dispose();
  });

  it('a signed-in user who opens the link lands on that meeting’s pre-join and can join', async () => {
    const grace = await openDesktop(browser, site, 'grace-links');
    desktops.push(grace);
    await signIn(grace.page, server.url, GRACE);

    grace.side.secondInstance([EXE, '--', meeting.joinUrl]);
    await grace.page.getByRole('heading', { name: `Join ${meeting.joinCode}` }).waitFor();
    await shot(grace.page, 'deep-link-pre-join');
    await joinFromPreview(grace.page);
    await expect.poll(() => inCall(meeting), { timeout: 20_000 }).toEqual([GRACE.name]);
    await grace.page.getByRole('button', { name: 'Leave' }).click();
    await grace.page.getByRole('heading', { name: `Hello, ${GRACE.name}` }).waitFor();
  });

  it('a malformed link says so and changes nothing', async () => {
    const grace = desktops[0];
    if (grace === undefined) throw new Error('the first test opens Grace’s desktop');
    // On a pre-join screen (opened by a good link), a bad one must not move her anywhere.
    grace.side.openUrl(meeting.joinUrl);
    const preJoin = grace.page.getByRole('heading', { name: `Join ${meeting.joinCode}` });
    await preJoin.waitFor();

    grace.side.openUrl('tandem://join/%%%not-a-code');
    const alert = grace.page.getByRole('alert').filter({ hasText: 'That link cannot be opened' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('“tandem://join/%%%not-a-code” is not a Tandem meeting link');
    await shot(grace.page, 'deep-link-refused');
    expect(await preJoin.count()).toBe(1);
    grace.side.secondInstance([EXE, 'tandem://leave/everything']);
    await expect.poll(() => alert.textContent()).toContain('tandem://leave/everything');
    expect(await preJoin.count()).toBe(1);

    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await alert.waitFor({ state: 'detached' });
    expect(await preJoin.count()).toBe(1);
    await expect.poll(() => inCall(meeting), { timeout: 20_000 }).toEqual([]);
    expect(grace.pageErrors).toEqual([]);
  });

  it('a link that launched the app while signed out waits for sign-in, then opens the meeting', async () => {
    const ada = await openDesktop(browser, site, 'ada-links', undefined, [EXE, meeting.joinUrl]);
    desktops.push(ada);
    const page = ada.page;
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    // Nothing joins behind the sign-in screen.
    expect(await page.getByRole('heading', { name: `Join ${meeting.joinCode}` }).count()).toBe(0);

    await page.getByLabel('Server', { exact: true }).fill(server.url);
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Join ${meeting.joinCode}` }).waitFor();
    await joinFromPreview(page);
    await expect.poll(() => inCall(meeting), { timeout: 20_000 }).toEqual([ADA.name]);
    expect(ada.pageErrors).toEqual([]);
  });
});
