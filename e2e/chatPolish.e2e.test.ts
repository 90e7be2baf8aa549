import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { ROUTES } from '@tandem/shared';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { joinByCode, ownerCreatesMeeting, ownerToken, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const CHANNEL = 'Design review';
const MEETING = 'Mockup walkthrough';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
const composer = (page: Page): Locator => page.getByRole('combobox', { name: 'Message' });
const suggestions = (page: Page): Locator => page.getByRole('listbox', { name: 'People to mention' });
const typingLine = (page: Page): Locator => page.locator('.typing-indicator');

/**
 * Mentions and typing for two people in a channel, on the real server: Grace writes `@Ad`, picks
 * Ada Demo from the list with the keyboard and sends; Ada sees the mention of her highlighted.
 * While Grace writes, Ada reads "Grace Demo is typing…", and it goes when Grace sends. In a call,
 * a clicked notification about the meeting's own chat opens the call's chat panel.
 */
describe('chat polish, end to end: @mentions and typing indicators', () => {
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
  });
  afterAll(() => world?.close());

  it('Ada creates a channel and Grace opens it', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    const form = ada.page.getByRole('region', { name: 'Channels' }).getByRole('form', { name: 'New channel' });
    await form.getByLabel('Channel name').fill(CHANNEL);
    await form.getByRole('button', { name: 'Create channel' }).click();
    await ada.page.getByRole('heading', { level: 1, name: CHANNEL }).waitFor(SYNC);
    const row = grace.page
      .getByRole('region', { name: 'Channels' })
      .getByRole('button', { name: new RegExp(`^${CHANNEL}\\b`) });
    await row.waitFor(SYNC);
    await row.click();
    await grace.page.getByRole('heading', { level: 1, name: CHANNEL }).waitFor();
  });

  it('Grace writes “@Ad”: the people list opens (axe-core clean) and Ada reads that Grace is typing', async () => {
    const input = composer(grace.page);
    await input.click();
    await input.pressSequentially('@Ad');
    const option = suggestions(grace.page).getByRole('option', { name: ADA.name });
    await option.waitFor();
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await input.getAttribute('aria-controls')).toBe(await suggestions(grace.page).getAttribute('id'));
    expect(await input.getAttribute('aria-activedescendant')).toBe(await option.getAttribute('id'));
    expect(await option.getAttribute('aria-selected')).toBe('true');
    // Grace is not offered to herself.
    expect(await suggestions(grace.page).getByRole('option').allTextContents()).toEqual([ADA.name]);
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await shot(grace.page, 'chat-mention-suggestions');

    await expect.poll(() => typingLine(ada.page).textContent(), SYNC).toBe(`${GRACE.name} is typing…`);
    expect(await typingLine(ada.page).getAttribute('aria-live')).toBe('polite');
    await shot(ada.page, 'chat-typing');
  });

  it('Escape closes the list without inserting; Grace writes it again and picks Ada Demo with Enter', async () => {
    const input = composer(grace.page);
    await input.press('Escape');
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    expect(await suggestions(grace.page).isHidden()).toBe(true);
    expect(await input.inputValue()).toBe('@Ad');
    // Escape belonged to the list: the channel is still on screen.
    await grace.page.getByRole('heading', { level: 1, name: CHANNEL }).waitFor();

    for (let i = 0; i < 3; i += 1) await input.press('Backspace');
    await input.pressSequentially('@Ad');
    await suggestions(grace.page).getByRole('option', { name: ADA.name }).waitFor();
    await input.press('ArrowDown');
    await input.press('Enter');
    expect(await input.inputValue()).toBe(`@${ADA.name} `);
    expect(await input.getAttribute('aria-expanded')).toBe('false');
    await input.pressSequentially('can you review the mockups?');
  });

  it('Grace sends: Ada sees the mention of her highlighted, and the typing line goes', async () => {
    await composer(grace.page).press('Enter');
    const body = `@${ADA.name} can you review the mockups?`;
    const received = ada.page.getByRole('listitem').filter({ hasText: body });
    await received.waitFor(SYNC);
    expect(await received.getAttribute('data-mentions-me')).toBe('true');
    const mention = received.locator('.mention');
    expect(await mention.textContent()).toBe(`@${ADA.name}`);
    expect(await mention.getAttribute('data-me')).toBe('true');
    // Grace's own copy shows the mention too, but not as one of her.
    const own = grace.page.getByRole('listitem').filter({ hasText: body });
    await own.locator('.mention').waitFor();
    expect(await own.locator('.mention').getAttribute('data-me')).toBeNull();
    expect(await own.getAttribute('data-mentions-me')).toBeNull();

    // The stop signal clears it at once, well before a start would lapse (6 s).
    await expect.poll(() => typingLine(ada.page).textContent(), { timeout: 4_000, interval: 100 }).toBe('');
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'chat-mention');
  });

  it('the mouse picks from the list too', async () => {
    const input = composer(ada.page);
    await input.click();
    await input.pressSequentially('thanks @gr');
    await suggestions(ada.page).getByRole('option', { name: GRACE.name }).click();
    expect(await input.inputValue()).toBe(`thanks @${GRACE.name} `);
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
  });

  it('in a call, a clicked notification about the meeting’s own chat opens the call’s chat panel', async () => {
    const meeting = await ownerCreatesMeeting(server.url, { title: MEETING });
    for (const { page } of [ada, grace]) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
      await joinByCode(page, meeting.joinCode);
    }
    expect(await grace.page.locator('.side-panel').count()).toBe(0);
    // Grace switches to another app; Ada writes in the meeting's chat.
    grace.side.notifications.setWindowFocused(false);
    const response = await fetch(
      `${server.url}${ROUTES.sendMessage.path.replace(':conversationId', meeting.conversationId)}`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(server.url)}` },
        body: JSON.stringify({ clientId: crypto.randomUUID(), body: 'Slides are shared now' }),
      },
    );
    expect(response.ok).toBe(true);
    await expect.poll(() => grace.side.notifications.shown.at(-1)?.title, SYNC).toBe(`${ADA.name} in ${MEETING}`);
    expect(grace.side.notifications.click(MEETING)).toBe(true);
    const panel = grace.page.locator('.side-panel[aria-label="chat"]');
    await panel.getByText('Slides are shared now').waitFor(SYNC);
    // Still in the call.
    await grace.page.getByRole('navigation', { name: 'Call controls' }).waitFor();
  });
});
