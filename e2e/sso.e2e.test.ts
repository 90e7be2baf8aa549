import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { launchChromium, screenshotsDir } from '@tandem/devstack';
import { startTestDnsServer, type TestDnsServer } from '@tandem/devstack/dns-server';
import { startTestIdentityProvider, type TestIdentityProvider } from '@tandem/devstack/oidc-provider';
import { applyPolicy, parsePolicy, ROUTES, type OrganisationDomain } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { startDesktopSide, type DesktopSide } from './support/ipcBridge.ts';
import { ownerToken } from './support/people.ts';
import { rendererUrl, serveRenderer, type RendererSite } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';

const livekit = inject('livekit');
const SYNC = { timeout: 30_000 };
const DOMAIN = 'sso-e2e.example';
const PROVIDER_PASSWORD = 'provider-password';
const MIA = { email: `mia@${DOMAIN}`, name: 'Mia Example', password: PROVIDER_PASSWORD };
const NOAH = { email: `noah@${DOMAIN}`, name: 'Noah Example', password: PROVIDER_PASSWORD };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * Single sign-on end to end: the demo organisation proves a domain in a real DNS server, sets a
 * real OpenID Provider (oidc-provider on loopback) up and requires it. Mia signs in from the
 * desktop app: main opens the provider in the system browser, which here is a second Chromium
 * page in a context of its own; she signs in on the provider's form and the app lands on Home.
 * Her password sign-in is refused; IT's policy hides the password from the start; Noah signs in
 * the same way from the browser client; each step is in the audit log.
 */
describe('single sign-on through a real OpenID Provider, the system browser a second Chromium page', () => {
  let browser: Browser;
  let site: RendererSite;
  let server: CoordinationServer;
  let dns: TestDnsServer;
  let idp: TestIdentityProvider;
  let side: DesktopSide;
  const systemBrowser: Page[] = [];
  const dirs: string[] = [];

  /** What the OS's browser does with a link: a new window of its own, not the app's page. */
  async function openInSystemBrowser(url: string): Promise<void> {
    const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    systemBrowser.push(page);
    await page.goto(url);
  }

  async function desktop(policy?: Record<string, unknown>): Promise<DesktopSide> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-sso-'));
    dirs.push(dataDir);
    const parsed = policy === undefined ? undefined : parsePolicy(policy, 'HKLM');
    expect(parsed?.problems ?? []).toEqual([]);
    return startDesktopSide({
      dataDir,
      pageOrigin: site.origin,
      systemBrowser: openInSystemBrowser,
      ...(parsed === undefined ? {} : { policy: applyPolicy({}, parsed.policy) }),
    });
  }

  beforeAll(async () => {
    [browser, site, dns] = await Promise.all([
      launchChromium(),
      serveRenderer(inject('renderer')),
      startTestDnsServer(),
    ]);
    server = await coordinationServer(livekit, {
      WEB_APP_DIR: site.dir,
      SSO_DNS_SERVERS: dns.server,
      SSO_ALLOW_LOOPBACK_HTTP: '1',
    });
    idp = await startTestIdentityProvider({ redirectUri: `${server.url}/sso/callback` });
    idp.addAccount(MIA);
    idp.addAccount(NOAH);

    // The demo organisation's owner proves the domain and requires single sign-on.
    const token = await ownerToken(server.url);
    const call = async (route: keyof typeof ROUTES, pathname: string, body: unknown) => {
      const response = await fetch(`${server.url}${pathname}`, {
        method: ROUTES[route].method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${route} answered ${response.status}: ${await response.text()}`);
      return response.json() as Promise<unknown>;
    };
    const claimed = (await call('addDomain', '/organisation/domains', { domain: DOMAIN })) as OrganisationDomain;
    dns.setTxt(DOMAIN, [claimed.txtRecord]);
    await call('verifyDomain', `/organisation/domains/${claimed.id}/verify`, {});
    await call('configureSso', '/organisation/sso', {
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
      jit: true,
      required: true,
    });
    side = await desktop();
  });
  afterAll(async () => {
    await side?.close();
    await browser?.close();
    await idp?.close();
    await site?.close();
    await server?.dispose();
    await dns?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a person of an organisation requiring SSO signs in through the provider in the system browser and lands on Home', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(rendererUrl(site, side.bridgeUrl));
    await page.getByLabel('Server', { exact: true }).fill(server.url);
    await page.getByLabel('Email').fill(MIA.email);
    await page.getByLabel('Email').press('Tab');
    // The server says the address's organisation requires single sign-on: no password here.
    await page.getByText('Your organisation signs in with single sign-on').waitFor(SYNC);
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await shot(page, 'sign-in-sso');

    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByText('Finish signing in in your browser.').waitFor(SYNC);
    await expect.poll(() => systemBrowser.length, SYNC).toBe(1);
    const provider = systemBrowser[0] as Page;
    await provider.getByRole('heading', { name: 'Test Identity Provider' }).waitFor(SYNC);
    expect(provider.url().startsWith(`${idp.issuer}/`)).toBe(true);
    // The app's address arrived as the login hint.
    expect(await provider.getByLabel('E-mail').inputValue()).toBe(MIA.email);
    await provider.getByLabel('Password').fill(MIA.password);
    await shot(provider, 'sso-provider');
    await provider.getByRole('button', { name: 'Sign in' }).click();

    // The provider → the server's callback → the app's loopback receiver, in the system browser.
    await provider.getByText('You are signed in to Tandem').waitFor(SYNC);
    expect(new URL(provider.url()).hostname).toBe('127.0.0.1');
    expect(new URL(provider.url()).searchParams.get('code')).not.toBeNull();
    await page.getByRole('heading', { name: `Hello, ${MIA.name}` }).waitFor(SYNC);
    await shot(page, 'sso-home');
    await page.close();
  });

  it("refuses Mia's password sign-in, and hides the password where IT's policy says sso", async () => {
    const refused = await fetch(`${server.url}${ROUTES.signIn.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: MIA.email, password: 'any password at all' }),
    });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { code: 'sso_required', message: 'your organisation signs in with single sign-on' },
    });

    const managed = await desktop({ serverUrl: server.url, signInMethod: 'sso' });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(rendererUrl(site, managed.bridgeUrl));
    await page.getByRole('button', { name: 'Sign in with SSO' }).waitFor(SYNC);
    expect(await page.getByLabel('Password').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.close();
    await managed.close();
  });

  it('signs in from the browser client the same way, the page coming back from the provider', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 760 } });
    await page.goto(`${server.url}/app/`);
    await page.getByLabel('Email').fill(NOAH.email);
    await page.getByLabel('Email').press('Tab');
    await page.getByText('Your organisation signs in with single sign-on').waitFor(SYNC);
    await page.getByRole('button', { name: 'Sign in with SSO' }).click();
    await page.getByRole('heading', { name: 'Test Identity Provider' }).waitFor(SYNC);
    await page.getByLabel('Password').fill(NOAH.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: `Hello, ${NOAH.name}` }).waitFor(SYNC);
    // The one-time code left the address as soon as the page was back.
    expect(page.url()).toBe(`${server.url}/app/`);
    await page.close();
  });

  it('writes each of these to the audit log', () => {
    const db = new SqliteDatabase(server.databasePath, { readonly: true });
    const rows = db.prepare('SELECT action, detail FROM audit_log ORDER BY seq').all() as {
      action: string;
      detail: string;
    }[];
    db.close();
    const entries = rows.map((r) => ({ action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
    const count = (action: string, detail: Record<string, unknown> = {}) =>
      entries.filter((e) => e.action === action && Object.entries(detail).every(([k, v]) => e.detail[k] === v)).length;
    expect(count('sso.domain_verified')).toBe(1);
    expect(count('sso.configured', { required: true, jit: true })).toBe(1);
    expect(count('person.created', { method: 'sso_jit' })).toBe(2);
    expect(count('auth.sign_in', { method: 'sso' })).toBe(2);
    expect(count('auth.sign_in_failed', { method: 'password', reason: 'sso_required' })).toBe(1);
  });
});
