import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { ConversationSchema, ROUTES } from '@tandem/shared';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { ownerToken, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const CHANNEL = 'Release';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** The conversation's own list (not the thread beside it). */
const conversation = (page: Page): Locator => page.locator('section.chat');
const threadPanel = (page: Page): Locator => page.getByRole('complementary', { name: 'Thread' });
/** The messages in `scope` whose body is exactly `text`. */
const messageWith = (scope: Locator, text: string): Locator =>
  scope
    .locator('.message')
    .filter({ has: scope.page().locator('.message-body', { hasText: new RegExp(`^${text}$`) }) });
/** A reaction pill, by the start of its accessible name ("heart ❤️, 2: Grace Demo and you"). */
const pill = (message: Locator, name: string): Locator =>
  message.getByRole('list', { name: 'Reactions' }).getByRole('button', { name: new RegExp(`^${name}`) });

/** What has keyboard focus, by role and name. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return `${active?.getAttribute('role') ?? active?.tagName.toLowerCase()}: ${active?.getAttribute('aria-label') ?? active?.textContent}`;
  });

/**
 * Threads and reactions for two people in a channel on the real server: Grace replies in a
 * thread to Ada's message; Ada, with the app behind another window, is notified (she wrote the
 * root), sees the reply count, opens the thread beside the conversation and replies, and Grace
 * sees it live in her open thread. Both react (Ada with the keyboard alone); counts and who
 * reacted show live on the other side, and taking a reaction back too. axe-core checks the thread
 * panel and the open picker.
 */
describe('threads and reactions, end to end', () => {
  let world: World<readonly ['ada', 'grace']>;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    ({
      server,
      desktops: [ada, grace],
    } = world);
    const response = await fetch(`${server.url}${ROUTES.createChannel.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(server.url)}` },
      body: JSON.stringify({ name: CHANNEL }),
    });
    ConversationSchema.parse(await response.json());
  });
  afterAll(() => world?.close());

  it('both open the channel; Ada asks a question', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    for (const { page } of [ada, grace]) {
      await page
        .getByRole('region', { name: 'Channels' })
        .getByRole('button', { name: new RegExp(`^${CHANNEL}\\b`) })
        .click(SYNC);
      await page.getByRole('heading', { level: 1, name: CHANNEL }).waitFor(SYNC);
    }
    await ada.page.getByLabel('Message', { exact: true }).fill('Shall we ship on Friday?');
    await ada.page.getByRole('button', { name: 'Send' }).click();
    await messageWith(conversation(grace.page), 'Shall we ship on Friday\\?').waitFor(SYNC);
  });

  it('Grace replies in a thread; Ada is notified, sees the count, opens the thread beside the conversation and replies', async () => {
    // Ada's app is behind another window: the conversation on her screen is not in front of her.
    ada.side.notifications.setWindowFocused(false);
    const root = messageWith(conversation(grace.page), 'Shall we ship on Friday\\?');
    await root.getByRole('button', { name: `Reply in thread to ${ADA.name}` }).click();
    const gracesThread = threadPanel(grace.page);
    await gracesThread.getByRole('heading', { name: 'Thread' }).waitFor();
    await expect.poll(() => focused(grace.page)).toBe('h2: Thread');
    await gracesThread.getByLabel('Reply in thread').fill('Friday works for me');
    await gracesThread.getByRole('button', { name: 'Send' }).click();
    await messageWith(gracesThread, 'Friday works for me').waitFor(SYNC);
    // The reply lives in its thread, not in the conversation's list.
    expect(await messageWith(conversation(grace.page), 'Friday works for me').count()).toBe(0);

    await expect
      .poll(() => ada.side.notifications.shown.at(-1), SYNC)
      .toEqual({ title: `${GRACE.name} replied in a thread in ${CHANNEL}`, body: 'Friday works for me', open: true });
    const adasRoot = messageWith(conversation(ada.page), 'Shall we ship on Friday\\?');
    const threadLink = adasRoot.getByRole('button', { name: /^1 reply · Last reply .+, open thread$/ });
    await threadLink.waitFor(SYNC);
    expect(await adasRoot.locator('.thread-link').textContent()).toMatch(/^1 reply · Last reply .+, open thread$/);
    expect(await messageWith(conversation(ada.page), 'Friday works for me').count()).toBe(0);
    ada.side.notifications.setWindowFocused(true);
    // Clicking the notification opens the thread beside the conversation; Close gives focus back to its link.
    expect(ada.side.notifications.click('replied in a thread')).toBe(true);
    await messageWith(threadPanel(ada.page), 'Friday works for me').waitFor(SYNC);
    await threadPanel(ada.page).getByRole('button', { name: 'Close thread' }).click();
    await expect.poll(() => threadPanel(ada.page).count()).toBe(0);
    await expect.poll(() => focused(ada.page)).toMatch(/^button: 1 reply · Last reply/);

    await threadLink.click();
    const adasThread = threadPanel(ada.page);
    await messageWith(adasThread, 'Friday works for me').waitFor(SYNC);
    // Beside the conversation: both are on screen, side by side.
    const [list, panel] = await Promise.all([conversation(ada.page).boundingBox(), adasThread.boundingBox()]);
    expect(list !== null && panel !== null && panel.x >= list.x + list.width).toBe(true);
    await messageWith(adasThread, 'Shall we ship on Friday\\?').waitFor();
    await adasThread.getByLabel('Reply in thread').fill('Great, Friday it is');
    await adasThread.getByRole('button', { name: 'Send' }).click();
    await messageWith(gracesThread, 'Great, Friday it is').waitFor(SYNC);
    await gracesThread.getByText('2 replies').waitFor(SYNC);
    await messageWith(conversation(grace.page), 'Shall we ship on Friday\\?')
      .getByRole('button', { name: /^2 replies · Last reply/ })
      .waitFor(SYNC);
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'thread-open');
  });

  it('Ada reacts with the keyboard alone; Grace sees the count and who reacted, and adds hers', async () => {
    const adasRoot = messageWith(conversation(ada.page), 'Shall we ship on Friday\\?');
    const add = adasRoot.getByRole('button', { name: 'Add reaction' });
    await add.focus();
    await ada.page.keyboard.press('Enter');
    await expect.poll(() => focused(ada.page)).toBe('menuitemcheckbox: thumbs up');
    await ada.page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(ada.page)).toBe('menuitemcheckbox: heart');
    // The open picker passes axe-core too.
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await ada.page.keyboard.press('Enter');
    await expect.poll(() => add.evaluate((e) => e === document.activeElement)).toBe(true);
    const adasHeart = pill(adasRoot, 'heart ❤️');
    await adasHeart.waitFor(SYNC);
    expect(await adasHeart.getAttribute('aria-pressed')).toBe('true');

    const gracesRoot = messageWith(conversation(grace.page), 'Shall we ship on Friday\\?');
    const gracesHeart = pill(gracesRoot, 'heart ❤️, 1');
    await gracesHeart.waitFor(SYNC);
    expect(await gracesHeart.getAttribute('aria-label')).toBe(`heart ❤️, 1: ${ADA.name}`);
    expect(await gracesHeart.getAttribute('title')).toBe(`${ADA.name} reacted with heart`);
    expect(await gracesHeart.getAttribute('aria-pressed')).toBe('false');
    // Grace adds her heart to Ada's, and a 🎉 from the picker.
    await gracesHeart.click();
    await pill(gracesRoot, 'heart ❤️, 2').waitFor(SYNC);
    await gracesRoot.getByRole('button', { name: 'Add reaction' }).click();
    await gracesRoot.getByRole('menuitemcheckbox', { name: 'party' }).click();
    await pill(gracesRoot, 'party 🎉, 1').waitFor(SYNC);

    // Ada sees both live: the count, and who reacted in the name and the tooltip.
    const both = pill(adasRoot, 'heart ❤️, 2');
    await both.waitFor(SYNC);
    expect(await both.getAttribute('aria-label')).toBe(`heart ❤️, 2: ${GRACE.name} and you`);
    expect(await both.textContent()).toBe('❤️2');
    const party = pill(adasRoot, 'party 🎉, 1');
    await party.waitFor(SYNC);
    expect(await party.getAttribute('title')).toBe(`${GRACE.name} reacted with party`);
    // The root in Ada's open thread shows the same reactions.
    await pill(messageWith(threadPanel(ada.page), 'Shall we ship on Friday\\?'), 'heart ❤️, 2').waitFor(SYNC);
    await shot(ada.page, 'reactions');
  });

  it('Ada takes her reaction back; Grace sees it go live; Escape closes the thread', async () => {
    const adasRoot = messageWith(conversation(ada.page), 'Shall we ship on Friday\\?');
    await pill(adasRoot, 'heart ❤️, 2').click();
    await pill(adasRoot, 'heart ❤️, 1').waitFor(SYNC);
    const gracesRoot = messageWith(conversation(grace.page), 'Shall we ship on Friday\\?');
    const gracesHeart = pill(gracesRoot, 'heart ❤️, 1');
    await gracesHeart.waitFor(SYNC);
    expect(await gracesHeart.getAttribute('aria-label')).toBe('heart ❤️, 1: you');
    expect(await gracesHeart.getAttribute('aria-pressed')).toBe('true');

    await threadPanel(ada.page).getByLabel('Reply in thread').focus();
    await ada.page.keyboard.press('Escape');
    await expect.poll(() => threadPanel(ada.page).count()).toBe(0);
    await expect.poll(() => focused(ada.page)).toMatch(/^button: 2 replies · Last reply/);
  });

  it('left no uncaught page error', () => {
    expect([...ada.pageErrors, ...grace.pageErrors]).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations]).toEqual([]);
  });
});
