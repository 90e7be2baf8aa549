import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { ConversationSchema, ROUTES, UserListSchema } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Desktop } from './support/desktop.ts';
import { asOwner, ownerToken, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [, GRACE] = DEMO_PEOPLE;
const CHANNEL = 'Launch';

/**
 * Desktop notifications for Grace, whose desktop runs main's real notification service over the
 * harness's stand-in for the OS notification centre (Electron's Notification cannot run here):
 * Ada writes from another device, over the real server and WebSocket.
 */
describe('desktop notifications (OS notification centre faked at the platform seam)', () => {
  let world: World<readonly ['grace']>;
  let server: CoordinationServer;
  let grace: Desktop;
  let channelId: string;

  async function adaWrites(body: string): Promise<void> {
    const path = ROUTES.sendMessage.path.replace(':conversationId', channelId);
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(server.url)}` },
      body: JSON.stringify({ clientId: crypto.randomUUID(), body }),
    });
    if (!response.ok) throw new Error(`sendMessage answered ${response.status}`);
  }

  const shown = () => grace.side.notifications.shown;

  beforeAll(async () => {
    world = await startWorld(livekit, ['grace']);
    ({
      server,
      desktops: [grace],
    } = world);
    const response = await fetch(`${server.url}${ROUTES.createChannel.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(server.url)}` },
      body: JSON.stringify({ name: CHANNEL }),
    });
    channelId = ConversationSchema.parse(await response.json()).id;
    await adaWrites('Welcome to the launch channel');
    await signIn(grace.page, server.url, GRACE);
  });
  afterAll(() => world?.close());

  it('a new message pops up with who wrote it and where; clicking it opens the conversation', async () => {
    // Grace finds the channel by its welcome message (replayed into her cache), and sees a live one
    // arrive in it: from then on her desktop hears the channel live.
    const nav = grace.page.getByRole('navigation', { name: 'Main' });
    await expect
      .poll(async () => {
        await nav.getByRole('button', { name: 'Search' }).click();
        await grace.page.getByRole('searchbox', { name: 'Search messages' }).fill('welcome');
        await grace.page.getByRole('search').getByRole('button', { name: 'Search' }).click();
        await grace.page.locator('.hit').or(grace.page.getByText('Nothing matches')).first().waitFor();
        return grace.page.locator('.hit').count();
      }, SYNC)
      .toBeGreaterThan(0);
    await grace.page.locator('.hit').first().click();
    await adaWrites('Live check');
    await grace.page.locator('.message-body', { hasText: 'Live check' }).waitFor(SYNC);
    // History replayed into the cache at sign-in is not news.
    expect(shown().filter((n) => n.body.includes('Welcome'))).toEqual([]);

    await nav.getByRole('button', { name: 'Home' }).click();
    await adaWrites('Kick-off moved to 3pm');
    await expect
      .poll(() => shown().at(-1), SYNC)
      .toEqual({ title: 'Ada Demo in Launch', body: 'Kick-off moved to 3pm', open: true });
    expect(grace.side.notifications.click('Launch')).toBe(true);
    await grace.page.getByRole('heading', { name: CHANNEL, level: 1 }).waitFor(SYNC);
    await grace.page.locator('.message-body', { hasText: 'Kick-off moved to 3pm' }).waitFor(SYNC);
  });

  it('nothing pops up for the conversation on screen, until the user switches to another app', async () => {
    const before = shown().length;
    await adaWrites('Agenda attached');
    await grace.page.locator('.message-body', { hasText: 'Agenda attached' }).waitFor(SYNC);
    expect(shown()).toHaveLength(before);
    grace.side.notifications.setWindowFocused(false);
    await adaWrites('Room 4 is booked');
    await expect
      .poll(() => shown().at(-1), SYNC)
      .toEqual({
        title: 'Ada Demo in Launch',
        body: 'Room 4 is booked',
        open: true,
      });
  });

  it('mentions only, without the text: a plain message stays quiet, a mention says only who and where', async () => {
    grace.side.notifications.setWindowFocused(true);
    await grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await grace.page.getByRole('radio', { name: 'Only when someone mentions me (@name)' }).check();
    await grace.page.getByRole('checkbox', { name: 'Show the message’s text in notifications' }).uncheck();
    await expect
      .poll(() => grace.page.getByRole('checkbox', { name: 'Show the message’s text in notifications' }).isChecked())
      .toBe(false);
    await grace.page.screenshot({ path: path.join(screenshotsDir, 'settings-notifications.png') });
    const before = shown().length;
    await adaWrites('Lunch is on the 5th floor');
    await adaWrites('@Grace can you review the launch post?');
    await expect.poll(() => shown().length, SYNC).toBe(before + 1);
    expect(shown().at(-1)).toEqual({ title: 'Ada Demo mentioned you in Launch', body: 'New message', open: true });
  });

  it('offboarding takes every notification of the account off the screen', async () => {
    expect(shown().some((n) => n.open)).toBe(true);
    const me = await grace.page.evaluate(() => document.querySelector('.user-name')?.textContent);
    expect(me).toBe(GRACE.name);
    const { users } = UserListSchema.parse(await asOwner(server.url, ROUTES.listUsers.path));
    const graceId = users.find((u) => u.email === GRACE.email)?.id ?? '';
    const response = await fetch(`${server.url}${ROUTES.deactivateUser.path.replace(':userId', graceId)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(server.url)}` },
      body: '{}',
    });
    expect(response.status).toBe(200);
    await grace.page.getByRole('heading', { name: 'Sign in' }).waitFor(SYNC);
    expect(shown().filter((n) => n.open)).toEqual([]);
  });
});
