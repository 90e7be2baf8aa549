import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations, overflowsSideways } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { joinByCode, ownerCreatesMeeting, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA] = DEMO_PEOPLE;
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 720, height: 600 };
const NARROWEST = { width: 480, height: 600 };

/** Every control of the bar, by its label, for a host who joined with microphone and camera on. */
const CONTROLS = [
  'Mute',
  'Stop camera',
  'Share screen',
  'Devices',
  'Effects',
  'Speaker view',
  'People',
  'Chat',
  'Decisions',
  'Raise hand',
  'React',
  'Record',
  'Whiteboard',
  'Hands & host',
  'Polls',
  'Q&A',
  'Breakouts',
  'Leave',
];
const PRIMARY = ['Mute', 'Stop camera', 'Share screen', 'Chat', 'Leave'];

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** The label (accessible name without a badge) of the focused element. */
const focusedLabel = (page: Page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el?.getAttribute('aria-label') ?? el?.querySelector('.control-label, span')?.textContent ?? '';
  });

/**
 * The call at the window sizes people use beside other apps: the control bar stays one row and
 * moves what does not fit into an accessible "More" menu; a side panel lies over the video in a
 * narrow window. Real renderer, real server and livekit-server, axe-core in Chromium.
 */
describe('the call at any window size: one control row, a More menu, side panels over the stage', () => {
  let world: World<readonly ['ada']>;
  let server: CoordinationServer;
  let ada: Desktop;
  let page: Page;
  let bar: Locator;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada']);
    ({
      server,
      desktops: [ada],
    } = world);
    page = ada.page;
    bar = page.getByRole('navigation', { name: 'Call controls' });
    const meeting = await ownerCreatesMeeting(server.url, { title: 'Window sizes' });
    await signIn(page, server.url, ADA);
    await joinByCode(page, meeting.joinCode);
    await bar.getByRole('button', { name: 'Stop camera' }).waitFor({ timeout: 20_000 });
  });
  afterAll(() => world?.close());

  /** The bar's buttons a user sees, with their labels and boxes. */
  async function barButtons() {
    const buttons = await bar.getByRole('button').all();
    return Promise.all(
      buttons.map(async (b) => ({
        label: (await b.locator('.control-label').textContent()) ?? '',
        box: await b.boundingBox(),
      })),
    );
  }

  /** One row inside the window, no sideways scrolling, nothing axe-core objects to. */
  async function expectOneRow(size: { width: number; height: number }): Promise<string[]> {
    await page.setViewportSize(size);
    // The bar settles after measuring itself: poll until its buttons share one line.
    await expect
      .poll(async () => {
        const tops = (await barButtons()).map((b) => Math.round(b.box?.y ?? -1));
        return Math.max(...tops) - Math.min(...tops);
      })
      .toBeLessThanOrEqual(1);
    const buttons = await barButtons();
    for (const { label, box } of buttons) {
      expect(box, label).not.toBeNull();
      expect((box?.x ?? 0) + (box?.width ?? 0), `${label} inside the window`).toBeLessThanOrEqual(size.width);
    }
    const barBox = await bar.boundingBox();
    expect(barBox?.height, 'the bar is one row high').toBeLessThan(90);
    expect(await overflowsSideways(page)).toBe(false);
    expect(await accessibilityViolations(page), `at ${size.width}x${size.height}`).toEqual([]);
    return buttons.map((b) => b.label);
  }

  /** Opens More with the keyboard and walks its items with the arrow keys; Escape returns to More. */
  async function menuByKeyboard(): Promise<string[]> {
    const more = bar.getByRole('button', { name: 'More' });
    await more.focus();
    await page.keyboard.press('Enter');
    const menu = page.getByRole('menu', { name: 'More controls' });
    await menu.waitFor();
    const items = await menu.locator('[role^="menuitem"]').count();
    const seen: string[] = [];
    for (let i = 0; i < items; i++) {
      seen.push(await focusedLabel(page));
      await page.keyboard.press('ArrowDown');
    }
    expect(await focusedLabel(page), 'the arrows wrap around').toBe(seen[0]);
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
    expect(await focusedLabel(page), 'Escape returns to More').toBe('More');
    return seen;
  }

  it('wide: every control in one row, labelled or not, with no More menu', async () => {
    const labels = await expectOneRow(WIDE);
    expect(labels).toEqual(CONTROLS);
    expect(await bar.getByRole('button', { name: 'More' }).count()).toBe(0);
    // A side panel opens beside the video, as before.
    await bar.getByRole('button', { name: 'People' }).click();
    const panel = page.getByRole('complementary');
    await panel.waitFor();
    const [stage, aside] = await Promise.all([page.locator('.stage').boundingBox(), panel.boundingBox()]);
    expect((stage?.x ?? 0) + (stage?.width ?? 0)).toBeLessThanOrEqual((aside?.x ?? 0) + 1);
    await shot(page, 'call-wide-panel');
    await bar.getByRole('button', { name: 'People' }).click();
    await panel.waitFor({ state: 'detached' });
  });

  it('720 wide: one row, the primary controls in it, the rest reachable by keyboard through More', async () => {
    const labels = await expectOneRow(NARROW);
    expect(labels).toEqual(expect.arrayContaining([...PRIMARY, 'More']));
    expect(labels.at(-1)).toBe('Leave');

    // Tab walks the row in order, More included.
    await bar.getByRole('button', { name: 'Mute' }).focus();
    const tabbed = [await focusedLabel(page)];
    for (let i = 1; i < labels.length; i++) {
      await page.keyboard.press('Tab');
      tabbed.push(await focusedLabel(page));
    }
    expect(tabbed).toEqual(labels);

    const inMenu = await menuByKeyboard();
    expect(inMenu).toContain('Breakouts');
    expect([...labels.filter((l) => l !== 'More'), ...inMenu].toSorted()).toEqual(CONTROLS.toSorted());

    // Shortcuts work whatever the bar shows.
    await page.keyboard.press('Control+d');
    await bar.getByRole('button', { name: 'Unmute' }).waitFor();
    await page.keyboard.press('Control+d');
    await bar.getByRole('button', { name: 'Mute', exact: true }).waitFor();
  });

  it('720 wide: a panel chosen from More lies over the stage, focused; Escape closes it and returns to More', async () => {
    const more = bar.getByRole('button', { name: 'More' });
    await more.focus();
    // ArrowUp opens the menu on its last item: Breakouts is the last control before More.
    await page.keyboard.press('ArrowUp');
    const breakouts = page.getByRole('menuitemcheckbox', { name: 'Breakouts' });
    await expect.poll(() => focusedLabel(page)).toBe('Breakouts');
    expect(await breakouts.getAttribute('aria-checked')).toBe('false');
    expect(await accessibilityViolations(page), 'with the menu open').toEqual([]);
    await shot(page, 'narrow-call-more-menu');
    await page.keyboard.press('Enter');

    const panel = page.getByRole('complementary', { name: 'breakouts' });
    await panel.waitFor();
    await expect.poll(() => focusedLabel(page)).toBe('Close breakouts');
    const [body, stage, aside] = await Promise.all([
      page.locator('.call-body').boundingBox(),
      page.locator('.stage').boundingBox(),
      panel.boundingBox(),
    ]);
    expect(stage?.width, 'the video keeps the whole width').toBeCloseTo(body?.width ?? 0, 0);
    expect(aside?.height, 'the panel takes the full height').toBeCloseTo(body?.height ?? 0, 0);
    expect((aside?.x ?? 0) + (aside?.width ?? 0)).toBeCloseTo(NARROW.width, 0);
    expect(await overflowsSideways(page)).toBe(false);
    expect(await accessibilityViolations(page), 'with the panel over the stage').toEqual([]);
    await shot(page, 'narrow-call-overlay');

    // The menu shows the panel as checked.
    await more.click();
    expect(await breakouts.getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Close breakouts' }).focus();
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'detached' });
    expect(await focusedLabel(page), 'focus goes back to what opened the panel').toBe('More');
  });

  it('480 wide: still one row with the primary controls; a dialog opened from More stays inside the window', async () => {
    const labels = await expectOneRow(NARROWEST);
    expect(labels).toEqual(expect.arrayContaining([...PRIMARY, 'More']));
    const inMenu = await menuByKeyboard();
    expect([...labels.filter((l) => l !== 'More'), ...inMenu].toSorted()).toEqual(CONTROLS.toSorted());

    await bar.getByRole('button', { name: 'More' }).click();
    await page.getByRole('menuitem', { name: 'Devices' }).click();
    const dialog = page.getByRole('dialog', { name: 'Devices' });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.activeElement?.closest('[role="dialog"]') !== null)).toBe(true);
    const box = await dialog.boundingBox();
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0);
    expect((box?.x ?? 0) + (box?.width ?? 0)).toBeLessThanOrEqual(NARROWEST.width);
    expect(await overflowsSideways(page)).toBe(false);
    await shot(page, 'narrow-call-480-devices');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedLabel(page)).toBe('More');
    await page.setViewportSize(WIDE);
  });
});
