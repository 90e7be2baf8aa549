import fs from 'node:fs';
import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { drawThrough, elementIds, readFreehand } from './support/annotations.ts';
import type { Desktop } from './support/desktop.ts';
import { addPerson, callControl, createMeeting, joinByCode, joinFromPreview, LINUS, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const MEETING = 'Whiteboard review';
/** The board's frame (packages/shared annotations.BOARD_FRAME): what exports are drawn at. */
const BOARD = { width: 1600, height: 900 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

const board = (page: Page) => page.getByRole('region', { name: 'Whiteboard', exact: true });
const tools = (page: Page) => page.getByRole('toolbar', { name: 'Whiteboard tools' });
/** The drawing surface while a tool is chosen: it takes the keys, so it is an application. */
const surface = (page: Page) => board(page).getByRole('application', { name: /^Whiteboard:/ });

/** The kinds of the elements a page's board shows, in paint order. */
const kinds = (page: Page) =>
  page.evaluate(() =>
    [...document.querySelectorAll('.annotation-svg g[data-element-id]')].map((g) => g.getAttribute('data-kind')),
  );

/** A download's bytes. */
async function bytesOf(download: Download): Promise<Buffer> {
  const file = await download.path();
  return fs.readFileSync(file);
}

/** The PNG signature and the IHDR chunk's width and height. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** An exported SVG parsed by Chromium's XML parser: its root's size and the element ids it draws. */
function parseSvg(page: Page, svg: string) {
  return page.evaluate((text) => {
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    const root = doc.documentElement;
    return {
      error: doc.querySelector('parsererror')?.textContent ?? null,
      tag: root.localName,
      namespace: root.namespaceURI,
      width: root.getAttribute('width'),
      height: root.getAttribute('height'),
      ids: [...root.querySelectorAll('g[data-element-id]')].map((g) => g.getAttribute('data-element-id')),
      text: root.textContent,
    };
  }, svg);
}

/**
 * The meeting's whiteboard for three people on the real coordination server and livekit-server,
 * each a desktop (renderer in Chromium, main's IPC handlers behind the bridge): Ada and Grace draw
 * at the same time and converge, Linus joins late and sees it all, Ada exports PNG and SVG, and
 * after the call the board is readable from the meeting's page.
 */
describe('the whiteboard, end to end: three users, real server, real livekit-server', () => {
  let world: World<readonly ['ada', 'grace', 'linus']>;
  let ada: Desktop;
  let grace: Desktop;
  let linus: Desktop;
  let code: string;
  let drawn: string[] = [];

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace', 'linus']);
    [ada, grace, linus] = world.desktops;
    await addPerson(world.server.url, LINUS);
    await Promise.all([
      signIn(ada.page, world.server.url, ADA),
      signIn(grace.page, world.server.url, GRACE),
      signIn(linus.page, world.server.url, LINUS),
    ]);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('opens beside the video tiles, labelled and axe-clean', async () => {
    code = await createMeeting(ada.page, MEETING);
    await ada.page.getByRole('button', { name: `Join ${MEETING}` }).click();
    await joinFromPreview(ada.page);
    await joinByCode(grace.page, code);
    await Promise.all([callControl(ada.page, 'Whiteboard'), callControl(grace.page, 'Whiteboard')]);
    for (const page of [ada.page, grace.page]) {
      await board(page).getByRole('application', { name: 'Whiteboard: empty' }).waitFor(SYNC);
      // The tiles stay on the stage, beside the board.
      await page.getByRole('list', { name: 'Other participants' }).waitFor();
    }
    const toolbar = tools(ada.page);
    expect(await toolbar.getByRole('radio').allTextContents()).toEqual([
      'Pen',
      'Highlighter',
      'Arrow',
      'Rectangle',
      'Ellipse',
      'Text',
      'Sticky note',
      'Eraser',
    ]);
    expect(await toolbar.getByRole('radio', { name: 'Pen' }).getAttribute('aria-checked')).toBe('true');
    expect(await accessibilityViolations(ada.page)).toEqual([]);
  }, 120_000);

  it('two people draw at the same time and both boards converge', async () => {
    await tools(grace.page).getByRole('radio', { name: 'Rectangle' }).click();
    await Promise.all([
      drawThrough(ada.page, [
        [0.1, 0.2],
        [0.2, 0.35],
        [0.3, 0.25],
        [0.4, 0.4],
      ]),
      drawThrough(grace.page, [
        [0.55, 0.15],
        [0.8, 0.45],
      ]),
    ]);
    await tools(ada.page).getByRole('radio', { name: 'Ellipse' }).click();
    await Promise.all([
      drawThrough(ada.page, [
        [0.15, 0.6],
        [0.35, 0.85],
      ]),
      tools(grace.page)
        .getByRole('radio', { name: 'Pen' })
        .click()
        .then(() =>
          drawThrough(grace.page, [
            [0.6, 0.6],
            [0.7, 0.8],
            [0.85, 0.65],
          ]),
        ),
    ]);
    await expect.poll(() => elementIds(ada.page), SYNC).toHaveLength(4);
    await expect.poll(() => elementIds(grace.page), SYNC).toEqual(await elementIds(ada.page));
    expect((await kinds(ada.page)).toSorted()).toEqual(['ellipse', 'pen', 'pen', 'rectangle']);
  }, 60_000);

  it('draws, drops and erases a line with the keyboard alone', async () => {
    const before = await elementIds(ada.page);
    // Grace's pen: the cursor starts in the middle; Enter starts the line, the arrows draw it, Enter ends it.
    await tools(grace.page).getByRole('radio', { name: 'Pen' }).click();
    await surface(grace.page).focus();
    expect(await surface(grace.page).getAttribute('aria-describedby')).not.toBeNull();
    await grace.page.locator('.annotation-key-cursor').waitFor();
    await grace.page.keyboard.press('Enter');
    for (let i = 0; i < 5; i++) await grace.page.keyboard.press('ArrowRight');
    for (let i = 0; i < 2; i++) await grace.page.keyboard.press('Shift+ArrowDown');
    await grace.page.keyboard.press('Enter');
    await expect.poll(() => elementIds(ada.page), SYNC).toHaveLength(before.length + 1);
    const line = (await elementIds(ada.page)).find((id) => !before.includes(id)) ?? '';
    const drawnLine = await readFreehand(ada.page, line);
    expect(drawnLine.normalized[0]).toBeCloseTo(0.5, 2);
    expect(drawnLine.normalized[1]).toBeCloseTo(0.5, 2);
    expect(
      await ada.page
        .locator(`.annotation-svg g[data-element-id="${line}"] polyline`)
        .evaluate((p) => p.getAttribute('points')?.split(' ').length),
    ).toBe(8);
    await shot(grace.page, 'whiteboard-keyboard-line');

    // A line started and dropped with Escape is never drawn; the pen stays chosen.
    await grace.page.keyboard.press('Enter');
    await grace.page.keyboard.press('Shift+ArrowLeft');
    await grace.page.keyboard.press('Escape');
    expect(await tools(grace.page).getByRole('radio', { name: 'Pen' }).getAttribute('aria-checked')).toBe('true');
    // The eraser under the cursor, moved back onto the line: the line goes on both boards.
    await tools(grace.page).getByRole('radio', { name: 'Eraser' }).click();
    await surface(grace.page).focus();
    await grace.page.keyboard.press('Shift+ArrowRight');
    await grace.page.keyboard.press('Shift+ArrowUp');
    await grace.page.keyboard.press('Space');
    await expect.poll(() => elementIds(ada.page), SYNC).toEqual(before);
    await expect.poll(() => elementIds(grace.page), SYNC).toEqual(before);
    await tools(grace.page).getByRole('radio', { name: 'Pen' }).click();
  }, 60_000);

  it('writes a sticky note from the keyboard, text with the mouse; undo takes one’s own mark back', async () => {
    // Grace, keyboard only: the Sticky note tool, Enter on the board, type, Enter.
    const sticky = tools(grace.page).getByRole('radio', { name: 'Sticky note' });
    await sticky.focus();
    await grace.page.keyboard.press('Enter');
    expect(await sticky.getAttribute('aria-checked')).toBe('true');
    await surface(grace.page).focus();
    await grace.page.keyboard.press('Enter');
    const note = grace.page.getByLabel('Sticky note text (Shift+Enter for a new line)');
    await note.waitFor();
    await grace.page.keyboard.type('Ship on');
    await grace.page.keyboard.press('Shift+Enter');
    await grace.page.keyboard.type('Friday');
    await grace.page.keyboard.press('Enter');

    await tools(ada.page).getByRole('radio', { name: 'Text' }).click();
    const svg = surface(ada.page);
    const box = await svg.boundingBox();
    if (box === null) throw new Error('no board');
    await ada.page.mouse.click(box.x + box.width * 0.1, box.y + box.height * 0.05);
    await ada.page.getByLabel('Annotation text').fill('Plan for Q3');
    await ada.page.keyboard.press('Enter');

    await expect.poll(() => elementIds(grace.page), SYNC).toHaveLength(6);
    await expect.poll(() => elementIds(ada.page), SYNC).toEqual(await elementIds(grace.page));
    await expect
      .poll(() => ada.page.locator('.annotation-svg tspan').allTextContents(), SYNC)
      .toEqual(['Ship on', 'Friday']);
    await ada.page.locator('.annotation-svg text', { hasText: 'Plan for Q3' }).waitFor();

    // Ada's last mark (the text) undone: gone on both boards; redone: back on both.
    await tools(ada.page).getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => elementIds(grace.page), SYNC).toHaveLength(5);
    await ada.page.keyboard.press('Control+Shift+Z');
    await expect.poll(() => elementIds(grace.page), SYNC).toHaveLength(6);
    // Grace erases her own pen stroke with the eraser.
    await tools(grace.page).getByRole('radio', { name: 'Eraser' }).click();
    const stroke = await grace.page.evaluate(() => {
      const line = [...document.querySelectorAll('.annotation-svg g[data-kind="pen"] polyline')].at(-1);
      const [x = 0, y = 0] = (line?.getAttribute('points') ?? '').split(' ')[1]?.split(',').map(Number) ?? [];
      const svgBox = document.querySelector('.annotation-svg')?.getBoundingClientRect();
      return { x: (svgBox?.left ?? 0) + x, y: (svgBox?.top ?? 0) + y };
    });
    await grace.page.mouse.move(stroke.x, stroke.y);
    await grace.page.mouse.down();
    await grace.page.mouse.up();
    await expect.poll(() => elementIds(ada.page), SYNC).toHaveLength(5);
    await expect.poll(() => elementIds(grace.page), SYNC).toEqual(await elementIds(ada.page));
    drawn = await elementIds(ada.page);
    await shot(ada.page, 'whiteboard');
  }, 60_000);

  it('a late joiner sees everything already drawn', async () => {
    await joinByCode(linus.page, code);
    await callControl(linus.page, 'Whiteboard');
    await expect.poll(() => elementIds(linus.page), SYNC).toEqual(drawn);
    expect(await board(linus.page).getByRole('application', { name: 'Whiteboard: 5 marks' }).count()).toBe(1);
  }, 60_000);

  it('exports a PNG and an SVG of the board', async () => {
    const [png] = await Promise.all([
      ada.page.waitForEvent('download'),
      tools(ada.page).getByRole('button', { name: 'Export PNG' }).click(),
    ]);
    expect(png.suggestedFilename()).toBe('Whiteboard-review-whiteboard.png');
    expect(pngSize(await bytesOf(png))).toEqual(BOARD);

    const [svg] = await Promise.all([
      ada.page.waitForEvent('download'),
      tools(ada.page).getByRole('button', { name: 'Export SVG' }).click(),
    ]);
    expect(svg.suggestedFilename()).toBe('Whiteboard-review-whiteboard.svg');
    const parsed = await parseSvg(ada.page, (await bytesOf(svg)).toString('utf8'));
    expect(parsed).toMatchObject({
      error: null,
      tag: 'svg',
      namespace: 'http://www.w3.org/2000/svg',
      width: String(BOARD.width),
      height: String(BOARD.height),
      ids: drawn,
    });
    expect(parsed.text).toContain('Plan for Q3');
  });

  it('after the call, the board is readable from the meeting’s page, read only, with export', async () => {
    await Promise.all([
      callControl(linus.page, 'Leave'),
      callControl(grace.page, 'Leave'),
      callControl(ada.page, 'Leave'),
    ]);
    await ada.page.getByRole('button', { name: `Options for ${MEETING}` }).click();
    await ada.page.getByRole('menuitem', { name: 'Whiteboard…' }).click();
    const dialog = ada.page.getByRole('dialog', { name: `Whiteboard of ${MEETING}` });
    const picture = dialog.getByRole('img', { name: 'Whiteboard: 5 marks' });
    await picture.waitFor(SYNC);
    expect(
      await picture.evaluate((svg) =>
        [...svg.querySelectorAll('g[data-element-id]')].map((g) => g.getAttribute('data-element-id')),
      ),
    ).toEqual(drawn);
    // Read only: no tools.
    expect(await dialog.getByRole('radio').count()).toBe(0);
    expect(await accessibilityViolations(ada.page)).toEqual([]);
    await shot(ada.page, 'whiteboard-after-meeting');
    const [svg] = await Promise.all([
      ada.page.waitForEvent('download'),
      dialog.getByRole('button', { name: 'Export SVG' }).click(),
    ]);
    expect((await parseSvg(ada.page, (await bytesOf(svg)).toString('utf8'))).ids).toEqual(drawn);
    expect([...ada.pageErrors, ...grace.pageErrors, ...linus.pageErrors]).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations, ...linus.cspViolations]).toEqual([]);
  }, 60_000);
});
