import fs from 'node:fs';
import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import {
  ACCOUNT_DEACTIVATED_NOTICE,
  SCIM_SCHEMA,
  ScimUserListSchema,
  ScimUserSchema,
  UserListSchema,
} from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import type { Desktop } from './support/desktop.ts';
import { asOwner, signIn } from './support/people.ts';
import type { CoordinationServer } from './support/server.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const NEWCOMER = { given: 'Sam', family: 'Provisioned', email: `sam-${Date.now()}@tandem.example` };
/** Deactivation reaches Grace's screen through the server closing her WebSocket: seconds at most. */
const AT_ONCE = { timeout: 5_000 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * Microsoft Entra ID's provisioning client, played by this test over real HTTP with the request
 * shapes Entra sends (its capitalised ops and string booleans included): the one party here that
 * cannot be real. Everything it reaches is: the server, its SCIM endpoint, the desktops.
 */
function entra(baseUrl: string, token: string) {
  return async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        'user-agent': 'Azure Active Directory SCIM Client',
        ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
  };
}

/**
 * SCIM end to end: Ada (the demo organisation's owner) makes a provisioning token in Settings →
 * Provisioning; Entra ID (this test) creates a person with it, links Grace's existing account
 * and deactivates her while her desktop is signed in and connected, and her app shows sign-in at
 * once; Ada finds each of these in Settings → Audit log and in its CSV export.
 */
describe('SCIM provisioning and the audit log, end to end', () => {
  let world: World<readonly ['ada', 'grace']>;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  let scim: ReturnType<typeof entra>;
  let tokenPrefix: string;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    ({
      server,
      desktops: [ada, grace],
    } = world);
  });
  afterAll(() => world?.close());

  it('Ada creates a provisioning token; its secret is shown once, with the endpoint', async () => {
    await signIn(ada.page, server.url, ADA);
    await signIn(grace.page, server.url, GRACE);
    // A member has no tabs: her Settings is her own.
    await grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await grace.page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();
    expect(await grace.page.getByRole('tab').count()).toBe(0);

    const { page } = ada;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Provisioning' }).click();
    await page.getByRole('tabpanel', { name: 'Provisioning' }).waitFor();
    await page.getByText('No provisioning tokens yet.').waitFor();
    await page.getByLabel('New token for').fill('Entra ID');
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = await page.getByRole('textbox', { name: 'Token', exact: true }).inputValue();
    expect(secret).toMatch(/^tscim_/);
    const endpoint = await page.getByRole('textbox', { name: 'SCIM endpoint' }).inputValue();
    expect(endpoint).toBe(`${server.url}/scim/v2`);
    const listed = page.getByRole('list', { name: 'Provisioning tokens' }).getByRole('listitem', { name: 'Entra ID' });
    await listed.waitFor();
    tokenPrefix = secret.slice(0, 12);
    expect(await listed.textContent()).toContain(`${tokenPrefix}…`);
    await shot(page, 'settings-provisioning-token');
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Done, I have copied it' }).click();
    await page.getByRole('textbox', { name: 'Token', exact: true }).waitFor({ state: 'detached' });
    scim = entra(endpoint, secret);
  });

  it('Entra ID creates a person, who has no password: a password sign-in is refused like any wrong one', async () => {
    expect(
      (await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${NEWCOMER.email}"`)}`)).body,
    ).toMatchObject({ totalResults: 0 });
    const created = await scim('POST', '/Users', {
      schemas: [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser],
      externalId: crypto.randomUUID(),
      userName: NEWCOMER.email,
      active: true,
      emails: [{ primary: true, type: 'work', value: NEWCOMER.email }],
      name: { givenName: NEWCOMER.given, familyName: NEWCOMER.family },
      roles: [],
    });
    expect(created.status).toBe(201);
    const person = ScimUserSchema.parse(created.body);
    const users = UserListSchema.parse(await asOwner(server.url, '/users')).users;
    expect(users.find((u) => u.id === person.id)).toMatchObject({
      name: `${NEWCOMER.given} ${NEWCOMER.family}`,
      role: 'member',
      status: 'active',
    });
    // This organisation's domain has no single sign-on, so the refusal says no more than a wrong
    // password would: nothing tells a stranger the address has an account. (Where the domain's
    // SSO is set up, it says to use it: apps/server/src/sso.test.ts, and signing in by SSO as the
    // person SCIM made is tested there too.) The audit log keeps the real reason.
    const refused = await fetch(`${server.url}/auth/signin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: NEWCOMER.email, password: DEMO_PASSWORD }),
    });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toMatchObject({
      error: { code: 'unauthenticated', message: 'wrong e-mail or password' },
    });
  });

  it('Entra ID deactivates Grace while she is signed in and connected: her app shows sign-in at once', async () => {
    // Grace had an account before: Entra matches her by userName and links her.
    const found = await scim('GET', `/Users?filter=${encodeURIComponent(`userName eq "${GRACE.email}"`)}`);
    const [graceUser] = ScimUserListSchema.parse(found.body).Resources;
    if (graceUser === undefined) throw new Error('Entra did not find Grace');
    const patch = (Operations: unknown[]) =>
      scim('PATCH', `/Users/${graceUser.id}`, { schemas: [SCIM_SCHEMA.patchOp], Operations });
    expect((await patch([{ op: 'Add', path: 'externalId', value: crypto.randomUUID() }])).status).toBe(200);
    await grace.page.getByRole('heading', { name: 'Settings', exact: true }).waitFor();

    const started = Date.now();
    expect((await patch([{ op: 'Replace', path: 'active', value: 'False' }])).status).toBe(200);
    await grace.page.getByRole('heading', { name: 'Sign in' }).waitFor(AT_ONCE);
    await grace.page.getByRole('status').filter({ hasText: ACCOUNT_DEACTIVATED_NOTICE }).waitFor(AT_ONCE);
    expect(Date.now() - started).toBeLessThan(AT_ONCE.timeout);
    await shot(grace.page, 'sign-in-deactivated-by-scim');

    // On the same screen, the person Entra created is refused a password.
    const serverField = grace.page.getByLabel('Server', { exact: true });
    if ((await serverField.inputValue()) !== server.url) await serverField.fill(server.url);
    await grace.page.getByLabel('Email').fill(NEWCOMER.email);
    await grace.page.getByLabel('Password').fill(DEMO_PASSWORD);
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.getByRole('alert').filter({ hasText: 'wrong e-mail or password' }).waitFor();
  });

  it('Ada sees each of these in Settings → Audit log, and filters them', async () => {
    const { page } = ada;
    // From Provisioning to Audit log with the arrow key, as tabs go.
    await page.getByRole('tab', { name: 'Provisioning' }).focus();
    await page.keyboard.press('ArrowLeft');
    await page.getByRole('tabpanel', { name: 'Audit log' }).waitFor();
    expect(await page.getByRole('tab', { name: 'Audit log' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Audit log');
    const table = page.getByRole('table');
    const row = (action: string) => table.locator(`tr[data-action="${action}"]`);
    await row('person.deactivated').waitFor();
    const deactivated = (await row('person.deactivated').textContent()) ?? '';
    expect(deactivated).toContain(`Provisioning (SCIM): Entra ID (${tokenPrefix}…)`);
    expect(deactivated).toContain(GRACE.email);
    expect(deactivated).toContain('Azure Active Directory SCIM Client');
    expect(await row('person.created').first().textContent()).toContain(NEWCOMER.email);
    expect(await row('scim.token_created').textContent()).toContain(ADA.email);
    expect(await row('auth.sign_in_failed').first().textContent()).toContain('no_password');
    await shot(page, 'settings-audit-log');
    expect(await accessibilityViolations(page)).toEqual([]);

    // Only deactivations, chosen with the keyboard.
    await page.getByLabel('Action').focus();
    await page.getByLabel('Action').selectOption('person.deactivated');
    await page.getByRole('button', { name: 'Apply filters' }).press('Enter');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    expect(await row('person.deactivated').count()).toBe(1);
    await page.getByLabel('Action').selectOption('sso.configured');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await page.getByText('No entries match these filters.').waitFor();
    await shot(page, 'settings-audit-log-empty');
    await page.getByRole('button', { name: 'Clear' }).click();
    await row('person.deactivated').waitFor();
  });

  it('the CSV export holds them too', async () => {
    const { page } = ada;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
    const file = await download.path();
    const csv = fs.readFileSync(file, 'utf8');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('at,action,actor_kind,actor_id,actor,target_kind,target_id,target,address,client,detail');
    const deactivation = lines.find((l) => l.includes(',person.deactivated,'));
    expect(deactivation).toContain(',scim,');
    expect(deactivation).toContain(GRACE.email);
    expect(lines.some((l) => l.includes(',person.created,scim,') && l.includes(NEWCOMER.email))).toBe(true);
    expect(lines.some((l) => l.includes(',scim.token_created,person,'))).toBe(true);
    await page
      .getByRole('status')
      .filter({ hasText: /^Saved audit-.*\.csv\.$/ })
      .waitFor();
    for (const desktop of [ada, grace]) {
      expect(desktop.pageErrors).toEqual([]);
      expect(desktop.cspViolations).toEqual([]);
    }
  });
});
