import { createHash, randomBytes } from 'node:crypto';
import { startTestDnsServer, type TestDnsServer } from '@tandem/devstack/dns-server';
import {
  signInOverHttp,
  startTestIdentityProvider,
  type TestAccount,
  type TestIdentityProvider,
} from '@tandem/devstack/oidc-provider';
import { SIGN_IN_WITH_SSO, type AuthSession, type OrganisationDomain } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, onDatabase, PASSWORD, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

/** Nothing listens there: the test reads the redirect to the app instead of following it. */
const APP_RECEIVER = 'http://127.0.0.1:9/sso';
const HANDOFF_TTL_SECONDS = 3;

type Pkce = { readonly verifier: string; readonly challenge: string };
const newPkce = (): Pkce => {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
};
const newState = (): string => randomBytes(16).toString('base64url');

describe('single sign-on through a real OpenID Provider (oidc-provider on loopback), over real HTTP', () => {
  let server: TestServer;
  let idp: TestIdentityProvider;
  let dns: TestDnsServer;
  let owner: AuthSession;
  const domain = `corp-${randomBytes(4).toString('hex')}.example`;
  const t = () => owner.tokens.accessToken;

  beforeAll(async () => {
    dns = await startTestDnsServer();
    server = await startTestServer(livekit, {
      sso: { dnsServers: [dns.server], allowLoopbackHttp: true, handoffTtlSeconds: HANDOFF_TTL_SECONDS },
    });
    idp = await startTestIdentityProvider({ redirectUri: `${server.url}/sso/callback` });
    owner = await signUp(server.api, 'sso-owner');
  });
  afterAll(async () => {
    await idp?.close();
    await server?.close();
    await dns?.close();
  });

  const configure = (body: { jit: boolean; required: boolean }) =>
    server.api.ok('configureSso', {
      token: t(),
      body: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, ...body },
    });

  /** Starts a sign-in as an app would; answers what the app keeps and the provider's URL. */
  async function start(
    who: { email: string } | { domain: string },
    redirectUri = APP_RECEIVER,
  ): Promise<{ pkce: Pkce; state: string; authorizationUrl: string }> {
    const pkce = newPkce();
    const state = newState();
    const { authorizationUrl } = await server.api.ok('ssoStart', {
      body: { ...who, redirectUri, codeChallenge: pkce.challenge, state },
    });
    return { pkce, state, authorizationUrl };
  }

  /** The person signs in at the provider; answers the server's callback URL the provider redirected to. */
  const atProvider = (authorizationUrl: string, account: TestAccount): Promise<URL> =>
    signInOverHttp(authorizationUrl, account, (url) => url.pathname === '/sso/callback');

  /** The browser arrives at the callback: answers the server's redirect to the app. */
  async function callback(url: URL): Promise<URL> {
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('cache-control')).toBe('no-store');
    return new URL(response.headers.get('location') ?? '');
  }

  async function signInWithSso(account: TestAccount): Promise<{ app: URL; pkce: Pkce; state: string }> {
    const started = await start({ email: account.email });
    const app = await callback(await atProvider(started.authorizationUrl, account));
    return { app, pkce: started.pkce, state: started.state };
  }

  const complete = (code: string, codeVerifier: string) =>
    server.api.call('ssoComplete', { body: { code, codeVerifier } });
  /** Completes and insists on a session. */
  const completed = (app: URL, pkce: Pkce) =>
    server.api.ok('ssoComplete', { body: { code: app.searchParams.get('code') ?? '', codeVerifier: pkce.verifier } });

  const account = (local: string, extra: Partial<TestAccount> = {}): TestAccount => {
    const a = {
      email: `${local}-${randomBytes(3).toString('hex')}@${domain}`,
      password: 'provider-password',
      ...extra,
    };
    idp.addAccount(a);
    return a;
  };

  it('an owner claims a domain and proves it with a DNS TXT record; one organisation per domain', async () => {
    const admin = await addPerson(server.api, owner, 'sso-admin', 'admin');
    expect(
      (await server.api.call('addDomain', { token: admin.tokens.accessToken, body: { domain } })).body,
    ).toMatchObject({ error: { code: 'forbidden' } });
    const added: OrganisationDomain = await server.api.ok('addDomain', {
      token: t(),
      body: { domain: domain.toUpperCase() },
    });
    expect(added).toMatchObject({ domain, status: 'pending', verifiedAt: null });
    expect(added.txtRecord).toMatch(/^tandem-domain-verification=[0-9a-f]{32}$/);
    expect((await server.api.call('addDomain', { token: t(), body: { domain } })).status).toBe(409);

    const early = await server.api.call('verifyDomain', { token: t(), params: { domainId: added.id }, body: {} });
    expect(early).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(JSON.stringify(early.body)).toContain('no TXT record');
    dns.setTxt(domain, ['v=spf1 -all', added.txtRecord]);
    const verified = await server.api.ok('verifyDomain', { token: t(), params: { domainId: added.id }, body: {} });
    expect(verified).toMatchObject({ status: 'verified' });
    expect((await server.api.ok('listDomains', { token: admin.tokens.accessToken })).domains).toEqual([verified]);

    // Another organisation can claim it neither now nor by publishing its own record.
    const rival = await signUp(server.api, 'sso-rival');
    const refused = await server.api.call('addDomain', { token: rival.tokens.accessToken, body: { domain } });
    expect(refused).toMatchObject({
      status: 409,
      body: { error: { message: 'this domain is verified by another organisation' } },
    });
    expect((await server.api.call('listDomains', { token: rival.tokens.accessToken })).body).toEqual({ domains: [] });
    // Another organisation's domain answers like one that does not exist.
    const asRival = { token: rival.tokens.accessToken, params: { domainId: added.id } };
    expect((await server.api.call('verifyDomain', { ...asRival, body: {} })).status).toBe(404);
    expect((await server.api.call('removeDomain', asRival)).status).toBe(404);
    expect((await server.api.call('getSso', { token: rival.tokens.accessToken })).body).toMatchObject({ sso: null });
  });

  it('owners and admins set the provider up; the client secret is stored and never shown', async () => {
    const member = await addPerson(server.api, owner, 'sso-member', 'member');
    const body = { issuer: idp.issuer, clientId: idp.clientId, jit: true, required: false };
    expect((await server.api.call('getSso', { token: member.tokens.accessToken })).status).toBe(403);
    expect(await server.api.call('configureSso', { token: t(), body })).toMatchObject({
      status: 400,
      body: { error: { issues: [{ path: 'clientSecret' }] } },
    });
    const notHttps = await server.api.call('configureSso', {
      token: t(),
      body: { ...body, issuer: 'http://sso.tandem.invalid', clientSecret: 'x' },
    });
    expect(notHttps).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'issuer' }] } } });

    const config = await configure({ jit: true, required: false });
    expect(config).toMatchObject({
      issuer: idp.issuer,
      clientSecretSet: true,
      redirectUri: `${server.url}/sso/callback`,
    });
    // Changing the rest keeps the stored secret.
    await server.api.ok('configureSso', { token: t(), body });
    const read = await server.api.ok('getSso', { token: t() });
    expect(read.sso).toMatchObject({ clientId: idp.clientId, jit: true, required: false });
    expect(JSON.stringify(read)).not.toContain(idp.clientSecret);
    expect(JSON.stringify(config)).not.toContain(idp.clientSecret);

    expect(await server.api.ok('ssoDiscover', { body: { email: `someone@${domain.toUpperCase()}` } })).toEqual({
      method: 'sso',
    });
    expect(await server.api.ok('ssoDiscover', { body: { email: 'someone@elsewhere.example' } })).toEqual({
      method: 'password',
    });
  });

  it('a new person signs in through the provider, becomes a member (JIT) and holds an ordinary session', async () => {
    const ana = account('ana', { name: 'Ana Example' });
    const { app, pkce, state } = await signInWithSso(ana);
    expect(app.origin + app.pathname).toBe(APP_RECEIVER);
    expect(app.searchParams.get('state')).toBe(state);
    const code = app.searchParams.get('code') ?? '';
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const session = await completed(app, pkce);
    expect(session.user).toMatchObject({
      email: ana.email,
      name: 'Ana Example',
      role: 'member',
      organisationId: owner.organisation.id,
    });
    const me = await server.api.ok('me', { token: session.tokens.accessToken });
    expect(me.user.id).toBe(session.user.id);

    // Signing in again finds the same person.
    const again = await signInWithSso(ana);
    expect((await completed(again.app, again.pkce)).user.id).toBe(session.user.id);

    // They have no password here: a password sign-in is told to use single sign-on, as the
    // domain's sign-in already says to anyone (the answer reveals no account).
    expect(await server.api.call('signIn', { body: { email: ana.email, password: ana.password } })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: SIGN_IN_WITH_SSO } },
    });
    expect(
      await server.api.call('signIn', { body: { email: `nobody@${domain}`, password: ana.password } }),
    ).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
  });

  it('links a person the organisation already has by e-mail', async () => {
    const email = `bo-${randomBytes(3).toString('hex')}@${domain}`;
    const bo = await server.api.ok('createUser', {
      token: t(),
      body: { email, name: 'Bo Existing', password: PASSWORD, role: 'admin' },
    });
    idp.addAccount({ email, password: 'provider-password', name: 'Bo at the provider' });
    const { app, pkce } = await signInWithSso({ email, password: 'provider-password' });
    expect((await completed(app, pkce)).user).toMatchObject({
      id: bo.id,
      name: 'Bo Existing',
      role: 'admin',
    });
  });

  it('refuses password sign-in with sso_required once the organisation requires SSO, whether or not the account exists', async () => {
    const email = `cy-${randomBytes(3).toString('hex')}@${domain}`;
    await server.api.ok('createUser', { token: t(), body: { email, name: 'Cy', password: PASSWORD, role: 'member' } });
    expect((await server.api.call('signIn', { body: { email, password: PASSWORD } })).status).toBe(200);

    await configure({ jit: true, required: true });
    for (const address of [email, `nobody@${domain}`, email.toUpperCase()]) {
      expect(await server.api.call('signIn', { body: { email: address, password: PASSWORD } })).toMatchObject({
        status: 403,
        body: { error: { code: 'sso_required', message: 'your organisation signs in with single sign-on' } },
      });
    }
    expect(await server.api.ok('ssoDiscover', { body: { email } })).toEqual({ method: 'sso_required' });
    // People whose address is outside the organisation's domains (the owner here) keep their password.
    expect((await server.api.call('signIn', { body: { email: owner.user.email, password: PASSWORD } })).status).toBe(
      200,
    );
    // And single sign-on still works for the required domain.
    const { app, pkce } = await signInWithSso(account('dee'));
    expect((await completed(app, pkce)).user.email).toMatch(/^dee-/);
  });

  it('honours the provider state once: a replayed callback is refused with a page', async () => {
    const started = await start({ domain });
    const atCallback = await atProvider(started.authorizationUrl, account('eli'));
    expect((await callback(atCallback)).searchParams.get('code')).not.toBeNull();
    const replay = await fetch(atCallback, { redirect: 'manual' });
    expect(replay.status).toBe(400);
    expect(replay.headers.get('content-type')).toContain('text/html');
    expect(await replay.text()).toContain('This sign-in was already completed; it cannot be used again.');
    const unknown = await server.api.raw('GET', '/sso/callback?code=x&state=never-issued');
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('This sign-in is not known here.');
  });

  it("refuses the one-time code with another starter's verifier or a wrong one, and spends it either way", async () => {
    const first = await signInWithSso(account('fay'));
    const second = await start({ domain });
    const code = first.app.searchParams.get('code') ?? '';
    expect(await complete(code, second.pkce.verifier)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'the code verifier does not belong to this sign-in' } },
    });
    expect(await complete(code, first.pkce.verifier)).toMatchObject({
      status: 401,
      body: { error: { message: 'this sign-in code is unknown or was already used; sign in again' } },
    });

    const third = await signInWithSso(account('gus'));
    expect(await complete(third.app.searchParams.get('code') ?? '', newPkce().verifier)).toMatchObject({
      status: 401,
      body: { error: { message: 'the code verifier does not belong to this sign-in' } },
    });
  });

  it('refuses an expired one-time code', async () => {
    const { app, pkce } = await signInWithSso(account('hal'));
    await new Promise((resolve) => setTimeout(resolve, HANDOFF_TTL_SECONDS * 1000 + 300));
    expect(await complete(app.searchParams.get('code') ?? '', pkce.verifier)).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'this sign-in code has expired; sign in again' } },
    });
  });

  /** A refused sign-in comes back to the app as `error` and `error_description`, with its state. */
  async function refusal(who: TestAccount): Promise<{ error: string | null; description: string | null }> {
    const started = await start({ domain });
    const app = await callback(await atProvider(started.authorizationUrl, who));
    expect(app.searchParams.get('code')).toBeNull();
    expect(app.searchParams.get('state')).toBe(started.state);
    return { error: app.searchParams.get('error'), description: app.searchParams.get('error_description') };
  }

  it('refuses an ID token whose e-mail is of a domain the organisation has not verified', async () => {
    const outsider = {
      email: `ivy@unverified-${randomBytes(3).toString('hex')}.example`,
      password: 'provider-password',
    };
    idp.addAccount(outsider);
    expect(await refusal(outsider)).toEqual({
      error: 'forbidden',
      description: `the e-mail domain ${outsider.email.split('@')[1]} is not a verified domain of this organisation`,
    });
  });

  it('refuses an ID token whose email_verified is not true', async () => {
    expect(await refusal(account('jo', { emailVerified: false }))).toEqual({
      error: 'forbidden',
      description: 'the identity provider has not verified this e-mail address (email_verified is not true)',
    });
  });

  it('refuses deactivated people, and unknown people when JIT is off', async () => {
    const kim = account('kim');
    const first = await signInWithSso(kim);
    const session = await completed(first.app, first.pkce);
    await server.api.ok('deactivateUser', { token: t(), params: { userId: session.user.id } });
    expect(await refusal(kim)).toEqual({ error: 'forbidden', description: 'account deactivated' });

    await configure({ jit: false, required: true });
    expect(await refusal(account('lou'))).toEqual({
      error: 'forbidden',
      description: 'there is no account for this e-mail address and the organisation creates none at sign-in',
    });
    await configure({ jit: true, required: true });
  });

  it('signs in the person the identity provider provisioned by SCIM, and no longer once SCIM deactivates them', async () => {
    await configure({ jit: false, required: true });
    const { secret } = await server.api.ok('createScimToken', { token: t(), body: { label: 'Entra ID' } });
    const scim = (method: string, path: string, body?: unknown) =>
      fetch(`${server.url}/scim/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const nia = account('nia');
    const created = await scim('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: nia.email,
      displayName: 'Nia Provisioned',
      emails: [{ value: nia.email, type: 'work', primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    // JIT is off: the account SCIM made is the one single sign-on finds.
    const { app, pkce } = await signInWithSso(nia);
    expect((await completed(app, pkce)).user).toMatchObject({ id, name: 'Nia Provisioned', role: 'member' });

    const deactivated = await scim('PATCH', `/Users/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(deactivated.status).toBe(200);
    expect(await refusal(nia)).toEqual({ error: 'forbidden', description: 'account deactivated' });
    await configure({ jit: true, required: true });
  });

  it('sends a sign-in started by the browser client back to its page; refuses other redirects and unknown domains', async () => {
    const started = await start({ domain }, `${server.url}/app/`);
    const app = await callback(await atProvider(started.authorizationUrl, account('max')));
    expect(app.origin + app.pathname).toBe(`${server.url}/app/`);
    expect(app.searchParams.get('code')).not.toBeNull();

    const pkce = newPkce();
    const base = { domain, codeChallenge: pkce.challenge, state: newState() };
    for (const redirectUri of [
      'https://attacker.example/cb',
      'http://127.0.0.1:8080/cb?next=x',
      'http://localhost:8080/cb',
      `${server.url}/app/?next=x`,
    ]) {
      expect({ redirectUri, ...(await server.api.call('ssoStart', { body: { ...base, redirectUri } })) }).toMatchObject(
        {
          redirectUri,
          status: 400,
          body: { error: { issues: [{ path: 'redirectUri' }] } },
        },
      );
    }
    expect(
      await server.api.call('ssoStart', { body: { ...base, domain: 'nowhere.example', redirectUri: APP_RECEIVER } }),
    ).toMatchObject({ status: 404 });
  });

  it('writes each step to the audit log, the client secret never', async () => {
    type Row = { action: string; actor_kind: string; detail: string; address: string };
    const log = await onDatabase<Row>(
      server,
      'SELECT * FROM audit_log WHERE organisation_id = ? ORDER BY seq',
      owner.organisation.id,
    );
    const entries = log.map((r) => ({ action: r.action, actor: r.actor_kind, detail: JSON.parse(r.detail) as object }));
    const has = (action: string, detail: object, actor?: string) =>
      expect(entries).toContainEqual({
        action,
        actor: actor ?? expect.any(String),
        detail: expect.objectContaining(detail),
      });
    for (const action of ['sso.domain_added', 'sso.domain_verified']) has(action, {}, 'person');
    has('sso.configured', { issuer: idp.issuer, jit: true, required: true, secretChanged: true }, 'person');
    has('person.created', { method: 'sso_jit', role: 'member' }, 'system');
    has('auth.sign_in', { method: 'sso' }, 'person');
    has('auth.sign_in_failed', { method: 'password', reason: 'sso_required' }, 'anonymous');
    for (const reason of [
      'the code verifier does not belong to this sign-in',
      'this sign-in code has expired; sign in again',
      'the identity provider has not verified this e-mail address (email_verified is not true)',
      'account deactivated',
    ]) {
      has('auth.sign_in_failed', { method: 'sso', reason }, 'anonymous');
    }
    expect(log.every((r) => r.address === '127.0.0.1')).toBe(true);
    expect(JSON.stringify(log)).not.toContain(idp.clientSecret);
  });
});

describe('an issuer inside the server’s network is refused (SSRF)', () => {
  let server: TestServer;
  let owner: AuthSession;
  beforeAll(async () => {
    server = await startTestServer(livekit, { sso: { allowLoopbackHttp: false } });
    owner = await signUp(server.api, 'sso-ssrf-owner');
  });
  afterAll(() => server.close());

  it('answers why before connecting anywhere: loopback, private and link-local issuers', async () => {
    for (const [issuer, what] of [
      ['https://127.0.0.1:8443/', '127.0.0.1 is a loopback address'],
      ['https://10.20.30.40/realms/corp', '10.20.30.40 is a private address'],
      ['https://169.254.169.254/', '169.254.169.254 is a link-local address'],
    ] as const) {
      const refused = await server.api.call('configureSso', {
        token: owner.tokens.accessToken,
        body: { issuer, clientId: 'tandem', clientSecret: 'secret', jit: true, required: false },
      });
      expect(refused).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
      expect(JSON.stringify(refused.body)).toContain(what);
    }
  });
});
