import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import { ROUTES, USER_PAGE_LIMIT, type AuthSession } from '@tandem/shared';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const SYNC = { timeout: 30_000, interval: 250 };
const CHANNEL = 'Directory check';

const composer = (page: Page): Locator => page.getByRole('combobox', { name: 'Message' });
const suggestions = (page: Page): Locator => page.getByRole('listbox', { name: 'People to mention' });

/**
 * The browser client keeps the organisation's people in memory and reads only who changed since
 * (issue 17's directory by position): it read the whole directory again at every look at the
 * people (home's meeting form and chat lists, every @ typed in a message), ~24 MB for 100,000
 * people each time. Grace on
 * the browser client reads it a page at a time once, then `?since=`: a person Ada adds meanwhile is
 * offered at Grace's next @, from a read of what changed alone.
 */
describe('the browser client reads the people directory from where it left off', () => {
  let world: World<readonly []>;
  let page: Page;
  let ada: AuthSession;
  /** The query of each `GET /users` the page made, in order. */
  const reads: string[] = [];

  async function asAda<T>(route: 'createUser' | 'createChannel', body: unknown): Promise<T> {
    const response = await fetch(`${world.server.url}${ROUTES[route].path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ada.tokens.accessToken}` },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as T;
  }

  beforeAll(async () => {
    world = await startWorld(livekit, [] as const);
    ada = (await (
      await fetch(`${world.server.url}${ROUTES.signIn.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: ADA.email, password: DEMO_PASSWORD }),
      })
    ).json()) as AuthSession;
    await asAda('createChannel', { name: CHANNEL });
    page = await (await world.browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === ROUTES.listUsers.path && request.method() === 'GET') reads.push(url.search);
    });
    await page.goto(`${world.server.url}/app/`);
    await signIn(page, world.server.url, GRACE);
  });
  afterAll(async () => {
    await page?.context().close();
    await world?.close();
  });

  it('reads the directory a page at a time once, then only what changed, and offers a person added meanwhile', async () => {
    // Home's looks at the people (the meeting form's invitees, the chat lists, mentions): the
    // first page of the directory once.
    await expect.poll(() => reads.length, SYNC).toBeGreaterThan(0);
    expect(reads[0]).toBe(`?limit=${USER_PAGE_LIMIT}`);
    const row = page
      .getByRole('region', { name: 'Channels' })
      .getByRole('button', { name: new RegExp(`^${CHANNEL}\\b`) });
    await row.waitFor(SYNC);
    await row.click();
    const input = composer(page);
    await input.click();
    const atHome = reads.length;
    await input.pressSequentially('@Ad');
    await suggestions(page).getByRole('option', { name: ADA.name }).waitFor();

    await asAda('createUser', {
      email: 'linus@tandem.example',
      name: 'Linus Newcomer',
      password: DEMO_PASSWORD,
      role: 'member',
    });
    for (let i = 0; i < 3; i += 1) await input.press('Backspace');
    await input.pressSequentially('@Lin');
    await suggestions(page).getByRole('option', { name: 'Linus Newcomer' }).waitFor(SYNC);
    await page.screenshot({ path: path.join(screenshotsDir, 'browser-people-added.png') });

    // Each @ looked at the people list again, and every look after the first read only who changed
    // since: never the whole organisation again.
    expect(reads.length - atHome).toBeGreaterThanOrEqual(2);
    for (const query of reads.slice(1)) expect(query).toMatch(new RegExp(`^\\?since=\\d+&limit=${USER_PAGE_LIMIT}$`));
  });
});
