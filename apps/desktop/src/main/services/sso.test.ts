import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestDnsServer, type TestDnsServer } from '@tandem/devstack/dns-server';
import {
  signInOverHttp,
  startTestIdentityProvider,
  type TestAccount,
  type TestIdentityProvider,
} from '@tandem/devstack/oidc-provider';
import { SIGN_IN_WITH_SSO } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startCore, type Core } from '../core.ts';
import { headlessPlatform, type HeadlessPlatform } from '../platform/headless.ts';
import { PASSWORD, startRealServer, until, type ServerHandle } from '../testing/realServer.ts';
import { createApiClient } from './apiClient.ts';

const livekit = inject('livekit');

/**
 * Single sign-on from the desktop core: the real coordination server, a real OpenID Provider
 * (oidc-provider) and a real DNS server on loopback. The system browser is played over HTTP: the
 * link main opened is followed through the provider's login form, the server's callback and on to
 * main's own loopback receiver.
 */
describe('single sign-on from the desktop core', () => {
  let dir: string;
  let dns: TestDnsServer;
  let server: ServerHandle;
  let idp: TestIdentityProvider;
  let platform: HeadlessPlatform;
  let core: Core;
  const domain = 'desktop-sso.example';
  let ownerToken: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sso-'));
    dns = await startTestDnsServer();
    server = await startRealServer(livekit, dir, { sso: { dnsServers: [dns.server], allowLoopbackHttp: true } });
    idp = await startTestIdentityProvider({ redirectUri: `${server.url}/sso/callback` });
    const api = createApiClient(server.url);
    const owner = await api.call('signUp', {
      body: { organisationName: 'Desktop SSO', name: 'Olga Owner', email: 'olga@owner.example', password: PASSWORD },
    });
    ownerToken = owner.tokens.accessToken;
    const token = ownerToken;
    const claimed = await api.call('addDomain', { body: { domain } }, token);
    dns.setTxt(domain, [claimed.txtRecord]);
    await api.call('verifyDomain', { params: { domainId: claimed.id }, body: {} }, token);
    await api.call(
      'configureSso',
      {
        body: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, jit: true, required: true },
      },
      token,
    );
    platform = headlessPlatform();
    core = await startCore({ dataDir: path.join(dir, 'desktop'), platform, emit: () => undefined });
  });
  afterAll(async () => {
    await core?.close();
    await idp?.close();
    await server?.stop();
    await dns?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The person in the system browser: the provider's form, then the redirects back to main. */
  async function inBrowser(account: TestAccount): Promise<{ status: number; text: string }> {
    const opened = platform.openedLinks.length;
    await until('the sign-in page to open', async () => platform.openedLinks.length > opened);
    const link = platform.openedLinks.at(-1) ?? '';
    expect(link.startsWith(`${idp.issuer}/auth?`)).toBe(true);
    const receiver = await signInOverHttp(link, account, (url) => url.pathname === '/sso');
    const page = await fetch(receiver);
    return { status: page.status, text: await page.text() };
  }

  it('tells how an address signs in, and refuses its password', async () => {
    expect(await core.services.auth.discover(server.url, `anyone@${domain}`)).toBe('sso_required');
    expect(await core.services.auth.discover(server.url, 'olga@owner.example')).toBe('password');
    await expect(core.services.auth.signIn(server.url, `anyone@${domain}`, PASSWORD)).rejects.toMatchObject({
      code: 'sso_required',
    });
  });

  it('signs in through the system browser and keeps the session like a password sign-in', async () => {
    const nina = { email: `nina@${domain}`, password: 'provider-password', name: 'Nina Example' };
    idp.addAccount(nina);
    const signingIn = core.services.auth.signInWithSso(server.url, nina.email);
    const browser = await inBrowser(nina);
    expect(browser).toEqual({
      status: 200,
      text: expect.stringContaining('You are signed in to Tandem') as string,
    });
    const info = await signingIn;
    expect(info.user).toMatchObject({ email: nina.email, name: 'Nina Example', role: 'member' });
    expect(core.services.auth.session()?.user.id).toBe(info.user.id);
    // The session's tokens reach the server.
    expect(core.services.auth.needsSignIn()).toBe(false);
    expect((await core.services.linked.providers()).connections).toEqual([]);
  });

  it('tells a person without a password to use single sign-on, not that they were deactivated', async () => {
    // Nina (above) has no password here. With SSO available but not required, her password
    // sign-in reaches the account and is refused with what to do instead.
    const api = createApiClient(server.url);
    const configure = (required: boolean) =>
      api.call(
        'configureSso',
        { body: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, jit: true, required } },
        ownerToken,
      );
    await configure(false);
    try {
      await expect(core.services.auth.signIn(server.url, `nina@${domain}`, PASSWORD)).rejects.toMatchObject({
        code: 'forbidden',
        message: SIGN_IN_WITH_SSO,
      });
    } finally {
      await configure(true);
    }
  });

  it('gives up a sign-in still waiting in the browser when the person signs in another way', async () => {
    const opened = platform.openedLinks.length;
    const signingIn = core.services.auth.signInWithSso(server.url, `pia@${domain}`);
    const given = expect(signingIn).rejects.toMatchObject({ code: 'conflict' });
    await until('the sign-in page to open', async () => platform.openedLinks.length > opened);
    await core.services.auth.signIn(server.url, 'olga@owner.example', PASSWORD);
    await given;
    expect(core.services.auth.session()?.user.email).toBe('olga@owner.example');
  });

  it('comes back with the refusal when the provider has not verified the address', async () => {
    const otto = { email: `otto@${domain}`, password: 'provider-password', emailVerified: false };
    idp.addAccount(otto);
    const signingIn = core.services.auth.signInWithSso(server.url, otto.email);
    const refused = expect(signingIn).rejects.toMatchObject({
      code: 'forbidden',
      message: 'the identity provider has not verified this e-mail address (email_verified is not true)',
    });
    expect((await inBrowser(otto)).status).toBe(400);
    await refused;
  });
});
