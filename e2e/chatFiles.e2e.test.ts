import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const NOTES = 'Agenda for Friday:\n- launch checklist\n- who brings cake\n';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });
const region = (page: Page, name: string): Locator => page.getByRole('region', { name, exact: true });
const row = (list: Locator, title: string): Locator => list.getByRole('button', { name: new RegExp(`^${title}\\b`) });
const fileIn = (page: Page, name: string): Locator =>
  page.locator('section.chat .message-file').filter({ has: page.locator('.message-file-name', { hasText: name }) });

/** Pastes a 64×48 PNG drawn on a canvas into the composer, as a screenshot pasted from the clipboard. */
async function pasteImage(page: Page): Promise<void> {
  await page.getByLabel('Message', { exact: true }).evaluate(async (textarea) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64;
    canvas.height = 48;
    const context = canvas.getContext('2d');
    if (context === null) throw new Error('no 2d context');
    context.fillStyle = '#1a5fb4';
    context.fillRect(0, 0, 64, 48);
    context.fillStyle = '#f6d32d';
    context.fillRect(16, 12, 32, 24);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
    if (blob === null) throw new Error('no PNG');
    const data = new DataTransfer();
    data.items.add(new File([blob], 'image.png', { type: 'image/png' }));
    textarea.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  });
}

/**
 * Files in a direct chat on the real server, through the desktop harness: Ada pastes an image and
 * picks a text file; each upload shows its progress and is ready; Grace sees the image previewed
 * and downloads the text file (main asks for the link, the OS saves it: its bytes and name are
 * checked). Ada sets do not disturb with a status message, then chooses Busy, and Grace sees each
 * on Ada in her lists live, then sees it go. A program is refused with the server's reason and a Retry. axe-core
 * checks each screen.
 */
describe('files in chat and presence, end to end', () => {
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

  it('Ada pastes an image and attaches a file in her direct chat with Grace and sends them', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    const people = region(ada.page, 'People');
    await people.getByRole('button', { name: `Message ${GRACE.name}` }).click(SYNC);
    await ada.page.getByRole('heading', { level: 1, name: GRACE.name }).waitFor(SYNC);

    await pasteImage(ada.page);
    await ada.page
      .locator('input[type=file]')
      .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from(NOTES) });
    const attached = ada.page.getByRole('list', { name: 'Attached files' });
    await attached.locator('.attachment-name', { hasText: 'Pasted image.png' }).waitFor(SYNC);
    await attached.locator('.attachment-name', { hasText: 'notes.txt' }).waitFor(SYNC);
    await expect.poll(() => attached.getByText('Ready', { exact: true }).count(), SYNC).toBe(2);
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'files-attached');

    await ada.page.getByLabel('Message', { exact: true }).fill('The launch plan');
    await ada.page.getByRole('button', { name: 'Send' }).click();
    await fileIn(ada.page, 'notes.txt').waitFor(SYNC);
    await expect.poll(() => attached.count()).toBe(0);
  });

  it('Grace sees the image previewed and downloads the file', async () => {
    await row(region(grace.page, 'Direct messages'), ADA.name).click(SYNC);
    const image = fileIn(grace.page, 'Pasted image.png').getByRole('img', { name: 'Pasted image.png' });
    await image.waitFor(SYNC);
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth), SYNC).toBe(64);
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await shot(grace.page, 'files-received');

    await fileIn(grace.page, 'notes.txt').getByRole('button', { name: 'Download notes.txt' }).click();
    const downloads = grace.side.downloads;
    await expect.poll(() => downloads.length, SYNC).toBe(1);
    const saved = await fetch(downloads[0] ?? '');
    expect(saved.headers.get('content-disposition')).toBe(
      `attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`,
    );
    expect(saved.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await saved.text()).toBe(NOTES);
    expect(world.desktops.flatMap((d) => d.cspViolations)).toEqual([]);
  });

  it('Ada sets do not disturb with a message; Grace sees it on Ada in her lists, live, and sees it end', async () => {
    await ada.page.getByRole('button', { name: 'Available, set your status' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Set your status' });
    await dialog.getByRole('radio', { name: /^Do not disturb/ }).check();
    await dialog.getByLabel('How long').selectOption({ label: 'For 1 hour' });
    await dialog.getByLabel('Status message').fill('Focus time');
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'presence-status-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await ada.page.getByRole('button', { name: 'Do not disturb, set your status' }).waitFor(SYNC);

    // Grace's Home: Ada's direct chat and her entry in People carry it.
    await grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    const onAda = row(region(grace.page, 'Direct messages'), ADA.name).getByRole('img', {
      name: /^Do not disturb until/,
    });
    await onAda.waitFor(SYNC);
    expect(await onAda.getAttribute('aria-label')).toMatch(/: Focus time$/);
    await region(grace.page, 'People')
      .getByRole('img', { name: /^Do not disturb until .*: Focus time$/ })
      .waitFor(SYNC);
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await region(grace.page, 'Direct messages').scrollIntoViewIfNeeded();
    await shot(grace.page, 'presence-dnd-seen');

    // Ada turns it off; Grace sees her available again.
    await ada.page.getByRole('button', { name: 'Do not disturb, set your status' }).click();
    await dialog.getByRole('radio', { name: 'Available' }).check();
    await dialog.getByLabel('Status message').fill('');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row(region(grace.page, 'Direct messages'), ADA.name).getByRole('img', { name: 'Available' }).waitFor(SYNC);
  });

  it('Ada chooses Busy in the app; Grace sees her busy, live, and available again once Ada changes it', async () => {
    await ada.page.getByRole('button', { name: 'Available, set your status' }).click();
    const dialog = ada.page.getByRole('dialog', { name: 'Set your status' });
    const choices = dialog.getByRole('group', { name: 'Show me as' });
    expect(
      await choices.getByRole('radio').evaluateAll((radios) => radios.map((r) => r.parentElement?.textContent)),
    ).toEqual(['Available', 'Busy', 'Do not disturb (no notifications)', 'Away']);
    expect(await choices.getByRole('radio', { name: 'Available' }).isChecked()).toBe(true);
    await choices.getByRole('radio', { name: 'Busy' }).check();
    await dialog.getByLabel('How long').selectOption({ label: 'Until I change it' });
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'presence-busy-dialog');
    await dialog.getByRole('button', { name: 'Save' }).click();
    await ada.page.getByRole('button', { name: 'Busy, set your status' }).waitFor(SYNC);

    // Grace's Home: Ada's direct chat and her entry in People say busy (no end: until she changes it).
    const onAda = row(region(grace.page, 'Direct messages'), ADA.name).getByRole('img', { name: 'Busy' });
    await onAda.waitFor(SYNC);
    expect(await onAda.getAttribute('data-status')).toBe('busy');
    await region(grace.page, 'People').getByRole('img', { name: 'Busy' }).waitFor(SYNC);
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await region(grace.page, 'Direct messages').scrollIntoViewIfNeeded();
    await shot(grace.page, 'presence-busy-seen');

    // Reopened, the dialog ticks Busy; Available undoes it for Grace too.
    await ada.page.getByRole('button', { name: 'Busy, set your status' }).click();
    expect(await choices.getByRole('radio', { name: 'Busy' }).isChecked()).toBe(true);
    await choices.getByRole('radio', { name: 'Available' }).check();
    expect(await dialog.getByLabel('How long').count()).toBe(0);
    await dialog.getByRole('button', { name: 'Save' }).click();
    await row(region(grace.page, 'Direct messages'), ADA.name).getByRole('img', { name: 'Available' }).waitFor(SYNC);
  });

  it('Grace sets do not disturb: a plain message stays quiet, one Ada marks urgent reaches her', async () => {
    await grace.page.getByRole('button', { name: 'Available, set your status' }).click();
    const dialog = grace.page.getByRole('dialog', { name: 'Set your status' });
    await dialog.getByRole('radio', { name: /^Do not disturb/ }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await grace.page.getByRole('button', { name: 'Do not disturb, set your status' }).waitFor(SYNC);
    const notified = () => grace.side.notifications.shown.map((n) => n.body);
    const before = notified().length;

    const composer = ada.page.getByLabel('Message', { exact: true });
    await composer.fill('Lunch later?');
    await ada.page.getByRole('button', { name: 'Send' }).click();
    // It reached Grace's desktop (her list shows it unread) without a notification.
    await row(region(grace.page, 'Direct messages'), ADA.name).filter({ hasText: 'Lunch later?' }).waitFor(SYNC);
    expect(notified().slice(before)).toEqual([]);

    const urgent = ada.page.getByRole('button', { name: 'Urgent' });
    await urgent.click();
    expect(await urgent.getAttribute('aria-pressed')).toBe('true');
    await composer.fill('The release build is broken, please call me');
    await shot(ada.page, 'chat-urgent-compose');
    await ada.page.getByRole('button', { name: 'Send' }).click();
    // Sent: the toggle is off again for the next message.
    await expect.poll(() => urgent.getAttribute('aria-pressed'), SYNC).toBe('false');
    await expect
      .poll(() => grace.side.notifications.shown.slice(before), SYNC)
      .toEqual([
        {
          title: `Urgent: ${ADA.name} in a direct message`,
          body: 'The release build is broken, please call me',
          open: true,
        },
      ]);
    expect(grace.side.notifications.click('Urgent')).toBe(true);
    const message = grace.page.locator('.message', { hasText: 'The release build is broken' });
    await message.getByText('Urgent', { exact: true }).waitFor(SYNC);
    expect(await message.getAttribute('data-urgent')).toBe('true');
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await shot(grace.page, 'chat-urgent-received');

    await grace.page.getByRole('button', { name: 'Do not disturb, set your status' }).click();
    await dialog.getByRole('radio', { name: 'Available' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await grace.page.getByRole('button', { name: 'Available, set your status' }).waitFor(SYNC);
  });

  it('Grace searches: a message, a file by its name and a person, from the server and her cache, with filters', async () => {
    const nav = grace.page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Search' }).click();
    const search = async (words: string) => {
      await grace.page.getByRole('searchbox', { name: 'Search messages' }).fill(words);
      await grace.page.getByRole('search').getByRole('button', { name: 'Search' }).click();
      await grace.page.getByRole('search').getByRole('button', { name: 'Search', exact: true }).waitFor();
    };
    const section = (name: RegExp | string) => grace.page.getByRole('region', { name });
    await search('notes');
    await section('Files')
      .getByRole('button', { name: /^notes\.txt/ })
      .waitFor(SYNC);
    await search('launch plan');
    await section(/^1 message$/)
      .locator('.hit', { hasText: 'The launch plan' })
      .waitFor(SYNC);
    await grace.page.getByText('Searches everything you can read, on the server and on this device.').waitFor();
    // Filters: from Ada with a file finds it; from Grace finds nothing.
    await grace.page.getByLabel('From').selectOption({ label: ADA.name });
    await grace.page.getByLabel('Has a file').check();
    await search('launch');
    await section(/message/)
      .locator('.hit', { hasText: 'The launch plan' })
      .waitFor(SYNC);
    await grace.page.getByLabel('From').selectOption({ label: GRACE.name });
    await search('launch');
    await grace.page.getByText('Nothing matches “launch”.').waitFor(SYNC);
    await grace.page.getByLabel('From').selectOption({ label: 'Anyone' });
    await grace.page.getByLabel('Has a file').uncheck();
    await search('Ada');
    await section('People')
      .getByRole('button', { name: `Message ${ADA.name}` })
      .waitFor(SYNC);
    expect(await accessibilityViolations(grace.page)).toEqual([]);
    await shot(grace.page, 'search-everything');
    await section('People')
      .getByRole('button', { name: `Message ${ADA.name}` })
      .click();
    await grace.page.getByRole('heading', { level: 1, name: ADA.name }).waitFor(SYNC);
  });

  it("a program is refused with the server's reason, and can be retried or removed", async () => {
    await ada.page.locator('input[type=file]').setInputFiles({
      name: 'tool.exe',
      mimeType: 'application/x-msdownload',
      buffer: Buffer.concat([Buffer.from('MZ'), Buffer.alloc(512)]),
    });
    const attached = ada.page.getByRole('list', { name: 'Attached files' });
    await attached
      .getByRole('alert')
      .getByText(/Not uploaded: The file's content is not application\/octet-stream/)
      .waitFor(SYNC);
    await attached.getByRole('button', { name: 'Retry tool.exe' }).waitFor();
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'files-refused');
    await attached.getByRole('button', { name: 'Remove tool.exe' }).click();
    await expect.poll(() => attached.count()).toBe(0);
  });
});
