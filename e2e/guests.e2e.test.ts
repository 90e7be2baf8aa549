import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Meeting } from '@tandem/shared';
import type { Page, WebSocket } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { messagesWith } from './support/chat.ts';
import type { Desktop } from './support/desktop.ts';
import { captured, framesDecoded, framesInASecond, watchCapture } from './support/media.ts';
import { callControl, joinByCode, ownerCreatesMeeting, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const MEDIA = { timeout: 45_000, interval: 500 };
const [ADA, GRACE] = DEMO_PEOPLE;
const GUEST = 'Carol Customer';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * Someone from outside joins from a plain browser tab by the meeting's https link: the landing
 * page, a name, the lobby, admission by the host in the desktop app, then video both ways, chat
 * both ways and the host's screen share. The guest's page is the same renderer, served by the
 * coordination server and talking to it directly (no desktop harness behind it).
 */
describe('an external guest joins from the browser by link (real server, livekit-server, Chromium)', () => {
  let world: World<readonly ['ada']>;
  let ada: Desktop;
  let guest: Page;
  let meeting: Meeting;
  const guestErrors: string[] = [];

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada']);
    [ada] = world.desktops;
    await signIn(ada.page, world.server.url, ADA);
    meeting = await ownerCreatesMeeting(world.server.url, { title: 'Customer call' });
    await joinByCode(ada.page, meeting.joinCode);
    await ada.page.getByRole('button', { name: 'Hands & host' }).click();
    guest = await world.browser.newPage({ viewport: { width: 1100, height: 760 } });
    guest.on('pageerror', (e) => guestErrors.push(e.message));
    await watchCapture(guest);
  });
  afterAll(() => world?.close());

  it('opens the https link: one page shows the meeting, Open in Tandem, and asks for a name in the browser', async () => {
    expect(meeting.webJoinUrl).toBe(`${world.server.url}/j/${meeting.joinCode}`);
    await guest.goto(meeting.webJoinUrl);
    // The browser client is the link's page: no second page to load before the name.
    await guest.getByRole('heading', { name: 'Join in this browser' }).waitFor(SYNC);
    expect(guest.url()).toBe(meeting.webJoinUrl);
    await guest.getByRole('heading', { name: 'Customer call', level: 1 }).waitFor();
    expect(await guest.getByRole('link', { name: 'Open in Tandem' }).getAttribute('href')).toBe(
      `tandem://join/${meeting.joinCode}`,
    );
    // One's own camera, live, and the microphone's level, while the name is typed (as Teams' lobby).
    await expect.poll(() => framesInASecond(guest, 'preview', 'camera'), MEDIA).toBeGreaterThan(5);
    await guest.getByRole('meter', { name: 'Microphone level' }).waitFor();
    expect(await accessibilityViolations(guest)).toEqual([]);
    await shot(guest, 'guest-landing');
  });

  it('knocks with a name and waits; the host sees them in the lobby and lets them in', async () => {
    const sockets: string[] = [];
    guest.on('websocket', (ws) => {
      if (new URL(ws.url()).pathname === '/ws') sockets.push(ws.url());
    });
    await guest.getByRole('button', { name: 'Ask to join' }).click();
    // A name is required: the browser's own validation keeps the form.
    await guest.getByRole('heading', { name: 'Join in this browser' }).waitFor();
    await guest.getByLabel('Your name').fill(GUEST);
    // The name field in focus opens the socket the session will use, before the knock.
    await expect.poll(() => sockets.length, SYNC).toBe(1);
    await shot(guest, 'guest-name');
    const joinRequests: string[] = [];
    const knockRequests: string[] = [];
    guest.on('request', (r) => {
      if (r.method() !== 'POST') return;
      const { pathname } = new URL(r.url());
      if (/^\/meetings\/[^/]+\/join$/.test(pathname)) joinRequests.push(r.url());
      if (/^\/join-codes\/[^/]+\/guests$/.test(pathname)) knockRequests.push(r.url());
    });
    await guest.getByRole('button', { name: 'Ask to join' }).click();
    await guest.getByRole('heading', { name: 'Waiting to be let in' }).waitFor(SYNC);
    // The same preview waits in the lobby, live, with its switches and pickers.
    await expect.poll(() => framesInASecond(guest, 'preview', 'camera'), MEDIA).toBeGreaterThan(5);
    await guest.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await guest.getByLabel('Camera', { exact: true }).waitFor();
    expect(await accessibilityViolations(guest)).toEqual([]);
    await shot(guest, 'guest-waiting');
    const lobby = ada.page.getByRole('list', { name: 'Waiting in the lobby' });
    await lobby.getByText(GUEST, { exact: true }).waitFor(SYNC);
    // Hosts see who is from outside.
    await lobby.getByText('guest from outside').waitFor();
    await shot(ada.page, 'guest-host-lobby');
    await ada.page.getByRole('button', { name: `Admit ${GUEST}` }).click();
    await guest.getByRole('navigation', { name: 'Call controls' }).waitFor(SYNC);
    // The guest's socket said it waits in this lobby: the server joined it the moment Ada let it
    // in (`lobby.joined`), so the page asked for no join of its own.
    expect(joinRequests).toEqual([]);
    // …and that socket, opened while the name was typed, is the session's: no second one. The
    // knock itself went on it (`guest.knock`), not as a request of its own.
    expect(sockets).toHaveLength(1);
    expect(knockRequests).toEqual([]);
  });

  it('sees and is seen: video both ways, decoded', async () => {
    await expect.poll(() => framesInASecond(guest, 'remote', 'camera'), MEDIA).toBeGreaterThan(5);
    await expect.poll(() => framesInASecond(ada.page, 'remote', 'camera'), MEDIA).toBeGreaterThan(5);
    await shot(guest, 'guest-in-call');
    // What Ada sees is the preview's camera itself: the page opened its camera and microphone
    // once, from the name form to the call, and both still run.
    expect((await captured(guest)).map((t) => `${t.kind} ${t.readyState}`).sort()).toEqual([
      'audio live',
      'video live',
    ]);
  });

  it('chats both ways in the meeting', async () => {
    await guest.getByRole('button', { name: 'Chat' }).click();
    await guest.getByLabel('Message', { exact: true }).fill('Hello from the browser');
    await guest.getByRole('button', { name: 'Send' }).click();
    await ada.page.getByRole('button', { name: 'Chat' }).click();
    await messagesWith(ada.page, 'Hello from the browser').waitFor(SYNC);
    await ada.page.getByLabel('Message', { exact: true }).fill('Welcome, Carol');
    await ada.page.getByRole('button', { name: 'Send' }).click();
    await messagesWith(guest, 'Welcome, Carol').waitFor(SYNC);
    await shot(guest, 'guest-chat');
  });

  it("sees the host's screen share", async () => {
    await ada.page.getByRole('button', { name: 'Share screen' }).click();
    await expect.poll(() => framesDecoded(guest, 'remote', 'screen_share'), MEDIA).toBeGreaterThan(5);
    await shot(guest, 'guest-screen-share');
    await ada.page.getByRole('button', { name: 'Stop sharing' }).click();
    expect(guestErrors).toEqual([]);
  });

  it('lets a member sign in on the browser client, join the same meeting and chat', async () => {
    const member = await world.browser.newPage({ viewport: { width: 1100, height: 760 } });
    const errors: string[] = [];
    member.on('pageerror', (e) => errors.push(e.message));
    await member.goto(`${world.server.url}/app/`);
    // The browser client signs in to the server that served it: shown, not editable. (Ada, the
    // demo owner, made the meeting: her LiveKit identity is its owner's id.)
    expect(await member.getByLabel('Server', { exact: true }).inputValue()).toBe(world.server.url);
    await signIn(member, world.server.url, GRACE);
    await shot(member, 'browser-member-home');
    // The connection test runs from the browser too: every check passes from this page (no
    // Collect logs here: that is the app's).
    await member.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    expect(await member.getByRole('button', { name: 'Collect logs' }).count()).toBe(0);
    await member.getByRole('button', { name: 'Connection test' }).click();
    // Finished either way, then compared: a failed check shows with its reason.
    await member
      .getByRole('status')
      .filter({ hasText: /Every check passed\.|checks? failed\./ })
      .waitFor({ timeout: 45_000 });
    expect(
      await member
        .locator('.connection-test li[data-check]')
        .evaluateAll((rows) =>
          rows.map((r) =>
            r.getAttribute('data-state') === 'passed'
              ? [r.getAttribute('data-check'), 'passed']
              : [r.getAttribute('data-check'), r.textContent],
          ),
        ),
    ).toEqual(
      ['server', 'websocket', 'livekit', 'media', 'relay', 'camera', 'microphone'].map((check) => [check, 'passed']),
    );
    expect(await member.locator('.connection-test li[data-check="relay"]').textContent()).toMatch(
      /Passed \(\d+ ms\): udp$/,
    );
    await shot(member, 'browser-connection-test');
    await member.getByRole('button', { name: 'Back to Settings' }).click();
    await member.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    await joinByCode(member, meeting.joinCode);
    await expect.poll(() => framesInASecond(member, { identity: meeting.ownerId }, 'camera'), MEDIA).toBeGreaterThan(5);
    await member.getByRole('button', { name: 'Chat' }).click();
    await messagesWith(member, 'Welcome, Carol').waitFor(SYNC);
    await member.getByLabel('Message', { exact: true }).fill('Grace here, from a browser');
    await member.getByRole('button', { name: 'Send' }).click();
    await messagesWith(ada.page, 'Grace here, from a browser').waitFor(SYNC);
    await messagesWith(guest, 'Grace here, from a browser').waitFor(SYNC);
    expect(errors).toEqual([]);
    await member.close();
  });

  it('stops its camera and microphone when a guest does not join: signing in instead, leaving the lobby, denied', async () => {
    /** A guest's page on the link, its preview live. */
    const visit = async (): Promise<Page> => {
      const page = await world.browser.newPage({ viewport: { width: 1100, height: 760 } });
      await watchCapture(page);
      await page.goto(meeting.webJoinUrl);
      await expect.poll(() => framesInASecond(page, 'preview', 'camera'), MEDIA).toBeGreaterThan(5);
      return page;
    };
    const knock = async (page: Page, name: string): Promise<void> => {
      await page.getByLabel('Your name').fill(name);
      await page.getByRole('button', { name: 'Ask to join' }).click();
      await page.getByRole('heading', { name: 'Waiting to be let in' }).waitFor(SYNC);
    };
    /** The page opened its camera and microphone once each, and both are stopped now. */
    const stopped = (page: Page) =>
      expect
        .poll(async () => (await captured(page)).map((t) => `${t.kind} ${t.readyState}`).sort(), SYNC)
        .toEqual(['audio ended', 'video ended']);

    const signsIn = await visit();
    await signsIn.getByRole('button', { name: 'I have an account: sign in' }).click();
    await signsIn.getByLabel('Email').waitFor(SYNC);
    await stopped(signsIn);

    const leaves = await visit();
    await knock(leaves, 'Leo Leaving');
    await leaves.getByRole('button', { name: 'Leave the lobby' }).click();
    await stopped(leaves);

    const denied = await visit();
    await knock(denied, 'Dan Denied');
    await callControl(ada.page, 'Hands & host');
    await ada.page.getByRole('button', { name: 'Deny Dan Denied' }).click();
    await denied.getByText('The host did not let you into Customer call.').waitFor(SYNC);
    await stopped(denied);
    await Promise.all([signsIn.close(), leaves.close(), denied.close()]);
  });

  it('knocks on a socket even when the name took longer than the server keeps an unused one open', async () => {
    const page = await world.browser.newPage({ viewport: { width: 1100, height: 760 } });
    const sockets: WebSocket[] = [];
    page.on('websocket', (ws) => {
      if (new URL(ws.url()).pathname === '/ws') sockets.push(ws);
    });
    const knockRequests: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /^\/join-codes\/[^/]+\/guests$/.test(new URL(r.url()).pathname))
        knockRequests.push(r.url());
    });
    await page.goto(meeting.webJoinUrl);
    await page.getByLabel('Your name').fill('Sam Slow');
    await expect.poll(() => sockets.length, SYNC).toBe(1);
    // Left unauthenticated, the server closes it after 10 s; the next key opens another.
    await sockets[0]?.waitForEvent('close', { timeout: 15_000 });
    await page.getByLabel('Your name').press('End');
    await page.getByLabel('Your name').pressSequentially(' Slower');
    await expect.poll(() => sockets.length, SYNC).toBe(2);
    await page.getByRole('button', { name: 'Ask to join' }).click();
    await page.getByRole('heading', { name: 'Waiting to be let in' }).waitFor(SYNC);
    await ada.page
      .getByRole('list', { name: 'Waiting in the lobby' })
      .getByText('Sam Slow Slower', { exact: true })
      .waitFor(SYNC);
    expect(knockRequests).toEqual([]);
    expect(sockets).toHaveLength(2);
    await page.getByRole('button', { name: 'Leave the lobby' }).click();
    await page.close();
  });
});
