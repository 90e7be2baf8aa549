import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations, overflowsSideways } from './support/accessibility.ts';
import { type Desktop } from './support/desktop.ts';
import { framesDecoded } from './support/media.ts';
import { createMeeting, joinByCode, signIn } from './support/people.ts';
import { type CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const MEDIA = { timeout: 45_000, interval: 500 };
const [ADA, GRACE] = DEMO_PEOPLE;
/** A small laptop window with the app not maximised, and a narrow one beside another app. */
const SMALL = { width: 1024, height: 640 };
const NARROW = { width: 720, height: 600 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * Every screen a user reaches, checked with axe-core against WCAG 2.1 AA (names, roles, contrast,
 * structure) in Chromium, and laid out at small window sizes without sideways scrolling.
 */
describe('accessibility and window sizes, every screen (axe-core in Chromium, real server and livekit-server)', () => {
  let world: World<readonly ['ada', 'grace']>;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  let code: string;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    ({
      server,
      desktops: [ada, grace],
    } = world);
  });
  afterAll(() => world?.close());

  /** No violation now, at this size and at the narrow one, and nothing wider than the window. */
  async function expectAccessible(page: Page, name: string): Promise<void> {
    for (const size of [SMALL, NARROW]) {
      await page.setViewportSize(size);
      expect(await accessibilityViolations(page), `${name} at ${size.width}x${size.height}`).toEqual([]);
      // The call's control bar moves what does not fit into More once it has measured the new
      // width (a ResizeObserver, then a render): give it the frames that takes.
      await expect
        .poll(() => overflowsSideways(page), {
          message: `${name} scrolls sideways at ${size.width}x${size.height}`,
          timeout: 3_000,
        })
        .toBe(false);
    }
    await shot(page, `narrow-${name}`);
    await page.setViewportSize({ width: 1280, height: 800 });
  }

  it('sign-in, including its error state', async () => {
    const { page } = ada;
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await page.getByLabel('Server', { exact: true }).fill(server.url);
    await page.getByLabel('Email').fill(ADA.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await expectAccessible(page, 'sign-in-error');
  });

  it('home, search and settings', async () => {
    const { page } = ada;
    await signIn(page, server.url, ADA);
    code = await createMeeting(page, 'Accessible standup');
    await expectAccessible(page, 'home');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('searchbox', { name: 'Search messages' }).fill('nothing like this');
    await expectAccessible(page, 'search');
    await nav.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Settings' }).first().waitFor();
    await expectAccessible(page, 'settings');
    await nav.getByRole('button', { name: 'Home' }).click();
  });

  it('pre-join and the call with each side panel', async () => {
    const { page } = ada;
    await page.getByRole('button', { name: 'Join Accessible standup' }).click();
    await page.getByLabel('Your camera preview').waitFor({ timeout: 20_000 });
    await expectAccessible(page, 'pre-join');
    await page.getByRole('button', { name: 'Join now' }).click();
    await page.getByRole('navigation', { name: 'Call controls' }).waitFor({ timeout: 20_000 });
    await signIn(grace.page, server.url, GRACE);
    await joinByCode(grace.page, code);
    await expect.poll(() => framesDecoded(page, 'remote', 'camera'), MEDIA).toBeGreaterThan(5);
    await expectAccessible(page, 'call');
    for (const panel of ['Chat', 'Decisions', 'People']) {
      await page.getByRole('button', { name: panel, exact: true }).click();
      await page.getByRole('complementary').waitFor();
      await expectAccessible(page, `call-${panel.toLowerCase()}`);
      await page.getByRole('button', { name: panel, exact: true }).click();
    }
  });
});
