import path from 'node:path';
import { launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { drawThrough, elementIds, readFreehand, type Readback } from './support/annotations.ts';
import { openDesktop, type Desktop } from './support/desktop.ts';
import { framesDecoded } from './support/media.ts';
import { addPerson, createMeeting, joinByCode, joinFromPreview, signIn, type Person } from './support/people.ts';
import { serveRenderer } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');
const MEDIA = { timeout: 45_000, interval: 500 };
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const LINUS: Person = { email: 'linus@tandem.example', name: 'Linus Demo' };
const MEETING = 'Collaboration review';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** The same normalised point, as two pages paint it, lies within a pixel of the shared frame. */
function expectSamePlace(a: Readback, b: Readback): void {
  const px = a.frame.width;
  expect(px).toBeGreaterThan(0);
  expect(Math.abs(a.normalized[0] - b.normalized[0]) * a.frame.width).toBeLessThan(1);
  expect(Math.abs(a.normalized[1] - b.normalized[1]) * a.frame.height).toBeLessThan(1);
}

/**
 * Three people in one meeting on the real coordination server and livekit-server, each a
 * desktop (renderer in Chromium + main's IPC handlers behind the bridge): Ada hosts and shares
 * her screen, Grace draws on it, Linus comes late.
 */
describe('in-meeting collaboration, end to end: three users, real server, real livekit-server', () => {
  let browser: Browser;
  let site: StaticServer;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  let linus: Desktop;
  let code: string;

  beforeAll(async () => {
    [browser, site, server] = await Promise.all([launchChromium(), serveRenderer(), coordinationServer(livekit)]);
    await addPerson(server.url, LINUS);
    [ada, grace, linus] = await Promise.all([
      openDesktop(browser, site, 'ada'),
      openDesktop(browser, site, 'grace'),
      openDesktop(browser, site, 'linus'),
    ]);
    await Promise.all([
      signIn(ada.page, server.url, ADA),
      signIn(grace.page, server.url, GRACE),
      signIn(linus.page, server.url, LINUS),
    ]);
  });
  afterAll(async () => {
    await Promise.all([ada?.close(), grace?.close(), linus?.close()]);
    await browser?.close();
    await site?.close();
    await server?.dispose();
  });

  it('the sharer turns annotation on for others, at any window size', async () => {
    code = await createMeeting(ada.page, MEETING);
    await ada.page.getByRole('button', { name: `Join ${MEETING}` }).click();
    await joinFromPreview(ada.page);
    // A different window shape letterboxes the share differently: the stroke must still line up.
    await grace.page.setViewportSize({ width: 900, height: 860 });
    await joinByCode(grace.page, code);

    await ada.page.getByRole('button', { name: 'Share screen' }).click();
    await expect.poll(() => framesDecoded(grace.page, 'remote', 'screen_share'), MEDIA).toBeGreaterThan(5);
    const toolbar = grace.page.getByRole('toolbar', { name: 'Annotation' });
    await toolbar.getByText('The sharer has not turned on annotation.').waitFor(SYNC);
    await ada.page.getByLabel('Let others annotate my screen').check();
    const annotate = toolbar.getByRole('button', { name: 'Annotate' });
    await expect.poll(() => annotate.isEnabled(), SYNC).toBe(true);
    await annotate.click();
  }, 150_000);

  it('a stroke drawn by a viewer lands at the same place of the shared screen for the sharer', async () => {
    await drawThrough(grace.page, [
      [0.2, 0.3],
      [0.35, 0.4],
      [0.5, 0.35],
    ]);
    const [id] = await elementIds(grace.page);
    if (id === undefined) throw new Error('the stroke did not appear for the one who drew it');
    await expect.poll(() => elementIds(ada.page), SYNC).toEqual([id]);

    const drawn = await readFreehand(grace.page, id);
    const seenBySharer = await readFreehand(ada.page, id);
    expectSamePlace(drawn, seenBySharer);
    // And where the mouse went down, within the 1/10 000 the elements are stored at.
    expect(drawn.normalized[0]).toBeCloseTo(0.2, 2);
    expect(drawn.normalized[1]).toBeCloseTo(0.3, 2);
  });

  it('draws shapes and text, each shown with its author', async () => {
    const toolbar = grace.page.getByRole('toolbar', { name: 'Annotation' });
    await toolbar.getByRole('radio', { name: 'Rectangle' }).click();
    await drawThrough(grace.page, [
      [0.55, 0.5],
      [0.8, 0.75],
    ]);
    await toolbar.getByRole('radio', { name: 'Arrow' }).click();
    await drawThrough(grace.page, [
      [0.3, 0.8],
      [0.52, 0.62],
    ]);
    await toolbar.getByRole('radio', { name: 'Text' }).click();
    await drawThrough(grace.page, [[0.56, 0.42]]);
    await grace.page.getByLabel('Annotation text').fill('Look here');
    await grace.page.getByLabel('Annotation text').press('Enter');
    await expect.poll(async () => (await elementIds(ada.page)).length, SYNC).toBe(4);
    await shot(grace.page, 'annotations-viewer');
    await shot(ada.page, 'annotations-sharer');
    expect(await ada.page.locator('g[data-kind="text"] title').textContent()).toBe(`text by ${GRACE.name}`);
  });

  it('undo takes back only one’s own last stroke, everywhere', async () => {
    const toolbar = grace.page.getByRole('toolbar', { name: 'Annotation' });
    const before = await elementIds(ada.page);
    await toolbar.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => elementIds(ada.page), SYNC).toEqual(before.slice(0, -1));
    await toolbar.getByRole('button', { name: 'Redo' }).click();
    await expect.poll(() => elementIds(ada.page), SYNC).toEqual(before);
  });

  it('a late joiner sees the strokes drawn before it came, where they were drawn', async () => {
    await joinByCode(linus.page, code);
    await expect.poll(() => framesDecoded(linus.page, 'remote', 'screen_share'), MEDIA).toBeGreaterThan(5);
    const drawn = await elementIds(grace.page);
    await expect.poll(() => elementIds(linus.page), SYNC).toEqual(drawn);
    const [first] = drawn;
    if (first === undefined) throw new Error('nothing was drawn');
    expectSamePlace(await readFreehand(grace.page, first), await readFreehand(linus.page, first));
  });
});
