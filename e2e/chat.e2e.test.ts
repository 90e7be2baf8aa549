import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { ROUTES, type Meeting } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Desktop } from './support/desktop.ts';
import { joinByCode, ownerCreatesMeeting, ownerToken, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';
import { messagesWith } from './support/chat.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const MEETING = 'Chat lifecycle';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** The chat messages whose body is exactly `text`. */

const send = async (page: Page, text: string) => {
  await page.getByLabel('Message', { exact: true }).fill(text);
  await page.getByRole('button', { name: 'Send' }).click();
};

/** What has keyboard focus, by role and name, as a person using a screen reader would hear it. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    return `${active?.getAttribute('role') ?? active?.tagName.toLowerCase()}: ${active?.getAttribute('aria-label') ?? active?.textContent}`;
  });

/**
 * A message's life after it is written, for two people on the real server: Ada edits and
 * deletes her own messages and Grace sees both live; a message the server refuses for good stays
 * on Ada's screen as not sent, survives a restart, and goes when she discards it or is sent
 * when she retries once the server takes it.
 */
describe('chat message lifecycle, end to end: edit, delete, refused sends', () => {
  let world: World<readonly ['ada', 'grace']>;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  let meeting: Meeting;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    ({
      server,
      desktops: [ada, grace],
    } = world);
    meeting = await ownerCreatesMeeting(server.url, { title: MEETING });
  });
  afterAll(async () => {
    // Ada may be a restarted desktop the world did not open.
    await ada?.close();
    await world?.close();
  });

  it('both join the meeting and open its chat', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    await joinByCode(ada.page, meeting.joinCode);
    await joinByCode(grace.page, meeting.joinCode);
    await ada.page.getByRole('button', { name: 'Chat' }).click();
    await grace.page.getByRole('button', { name: 'Chat' }).click();
    await send(ada.page, 'Lunch at noon?');
    await messagesWith(grace.page, 'Lunch at noon\\?').waitFor(SYNC);
  });

  it('Ada edits her message with the keyboard alone, and Grace sees the edit live', async () => {
    const actions = messagesWith(ada.page, 'Lunch at noon\\?').getByRole('button', {
      name: /^Actions for your message/,
    });
    // Only one's own messages have actions.
    expect(
      await messagesWith(grace.page, 'Lunch at noon\\?')
        .getByRole('button', { name: /^Actions for/ })
        .count(),
    ).toBe(0);
    await actions.focus();
    await ada.page.keyboard.press('Enter');
    await expect.poll(() => focused(ada.page)).toBe('menuitem: Edit');
    await ada.page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(ada.page)).toBe('menuitem: Delete');
    await ada.page.keyboard.press('ArrowDown');
    await expect.poll(() => focused(ada.page)).toBe('menuitem: Edit');
    await ada.page.keyboard.press('Enter');
    const editor = ada.page.getByLabel('Edit message');
    await expect.poll(() => editor.evaluate((e) => e === document.activeElement)).toBe(true);

    // Escape cancels: nothing changes, and focus is back on the actions button.
    await ada.page.keyboard.press('End');
    await ada.page.keyboard.type(' Or not.');
    await ada.page.keyboard.press('Escape');
    await messagesWith(ada.page, 'Lunch at noon\\?').waitFor();
    expect(await actions.evaluate((e) => e === document.activeElement)).toBe(true);

    // Enter on the button opens the menu on Edit; Enter in the editor saves.
    await ada.page.keyboard.press('Enter');
    await expect.poll(() => focused(ada.page)).toBe('menuitem: Edit');
    await ada.page.keyboard.press('Enter');
    await editor.fill('Lunch at one?');
    await editor.press('Enter');
    const edited = messagesWith(grace.page, 'Lunch at one\\?');
    await edited.waitFor(SYNC);
    expect(await edited.getByText('(edited)').count()).toBe(1);
    expect(await messagesWith(grace.page, 'Lunch at noon\\?').count()).toBe(0);
    await messagesWith(ada.page, 'Lunch at one\\?').getByText('(edited)').waitFor();
    await shot(grace.page, 'chat-edited');
  });

  it('Ada deletes a message after confirming, and Grace sees “Message deleted” without its text', async () => {
    await send(ada.page, 'Wrong chat, sorry');
    await messagesWith(grace.page, 'Wrong chat, sorry').waitFor(SYNC);
    const mine = messagesWith(ada.page, 'Wrong chat, sorry');
    await mine.getByRole('button', { name: /^Actions for your message/ }).click();
    await mine.getByRole('menuitem', { name: 'Delete' }).click();
    const confirm = mine.getByRole('group', { name: 'Delete this message?' });
    // The safe choice has focus: Enter alone does not delete.
    await expect.poll(() => focused(ada.page)).toBe('button: Cancel');
    await shot(ada.page, 'chat-delete-confirm');
    await confirm.getByRole('button', { name: 'Delete' }).click();

    await expect.poll(() => messagesWith(grace.page, 'Wrong chat, sorry').count(), SYNC).toBe(0);
    expect(await messagesWith(grace.page, 'Message deleted').count()).toBe(1);
    expect(await grace.page.getByText('Wrong chat, sorry').count()).toBe(0);
    expect(await messagesWith(ada.page, 'Message deleted').count()).toBe(1);
    // A deleted message offers no more actions.
    expect(await messagesWith(ada.page, 'Message deleted').getByRole('button').count()).toBe(0);
    await shot(grace.page, 'chat-deleted');
  });

  it('a message the server refuses for good shows “Not sent” and survives a restart; Discard removes it, Retry sends it', async () => {
    const chatOn = async (on: boolean) => {
      const path = ROUTES.updateMeeting.path.replace(':meetingId', meeting.id);
      const response = await fetch(`${server.url}${path}`, {
        method: ROUTES.updateMeeting.method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await ownerToken(server.url)}` },
        body: JSON.stringify({ settings: { chat: on } }),
      });
      expect(response.status).toBe(200);
    };
    const openChat = async () => {
      await ada.page.locator('.conversation', { hasText: MEETING }).click();
      await ada.page.getByRole('heading', { name: MEETING, level: 1 }).waitFor(SYNC);
    };
    const restartAda = async () => {
      ada = await ada.restart();
      await ada.page.getByRole('heading', { name: `Hello, ${ADA.name}` }).waitFor(SYNC);
      await openChat();
    };
    const discarded = () => messagesWith(ada.page, 'Is anyone still here\\?');
    const retried = () => messagesWith(ada.page, 'Chat is back on, I hope');

    // The host turns chat off; Ada then writes in the meeting's conversation from home.
    await chatOn(false);
    await ada.page.getByRole('button', { name: 'Leave' }).click();
    await openChat();
    await send(ada.page, 'Is anyone still here?');
    await send(ada.page, 'Chat is back on, I hope');
    for (const refused of [discarded(), retried()]) {
      await expect.poll(() => refused.getAttribute('data-status'), SYNC).toBe('failed');
      await refused.getByText('Not sent.').waitFor();
      await refused.getByText('Chat is turned off in this meeting.').waitFor();
    }
    await shot(ada.page, 'chat-not-sent');

    // The cache keeps them: a restarted desktop still shows both as not sent.
    await restartAda();
    await expect.poll(() => discarded().getAttribute('data-status'), SYNC).toBe('failed');
    await expect.poll(() => retried().getAttribute('data-status'), SYNC).toBe('failed');

    await discarded().getByRole('button', { name: 'Discard' }).click();
    await expect.poll(() => discarded().count(), SYNC).toBe(0);
    // Keyboard focus stays in the conversation, on the message next to it.
    const focusedMessage = () =>
      ada.page.evaluate(() =>
        document.activeElement?.matches('.message') ? document.activeElement.textContent : null,
      );
    expect(await focusedMessage()).toContain('Chat is back on, I hope');

    await chatOn(true);
    await retried().getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => retried().getAttribute('data-status'), SYNC).toBe('sent');
    expect(await retried().getByText('Not sent.').count()).toBe(0);
    await messagesWith(grace.page, 'Chat is back on, I hope').waitFor(SYNC);
    expect(await messagesWith(grace.page, 'Is anyone still here\\?').count()).toBe(0);

    // Discarded from the cache too, not only from the screen; the retried one is there, once.
    await restartAda();
    await messagesWith(ada.page, 'Lunch at one\\?').waitFor(SYNC);
    expect(await discarded().count()).toBe(0);
    expect(await retried().count()).toBe(1);
  });

  it('ran without uncaught errors and within the shipped Content-Security-Policy', () => {
    expect([...ada.pageErrors, ...grace.pageErrors]).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations]).toEqual([]);
  });
});
