import {
  ACCOUNT_DEACTIVATED,
  SCIM_SCHEMA,
  ScimErrorSchema,
  ScimUserListSchema,
  ScimUserSchema,
  WS_CLOSE,
  type AuthSession,
  type ScimUser,
} from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  connectWs,
  PASSWORD,
  signUp,
  startTestServer,
  uniqueEmail,
  type TestServer,
} from './testSupport.ts';

const livekit = inject('livekit');
const t = (who: AuthSession): string => who.tokens.accessToken;

type ScimReply = { readonly status: number; readonly body: unknown; readonly headers: Headers };

/** An identity provider's HTTP client: SCIM's media type, the provisioning token as bearer. */
function scimClient(baseUrl: string) {
  return async (
    method: string,
    path: string,
    token: string | undefined,
    body?: unknown,
    contentType = 'application/scim+json',
  ): Promise<ScimReply> => {
    const response = await fetch(`${baseUrl}/scim/v2${path}`, {
      method,
      headers: {
        accept: 'application/scim+json',
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
        ...(body === undefined ? {} : { 'content-type': contentType }),
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text), headers: response.headers };
  };
}

/** A SCIM error as RFC 7644 §3.12 shapes it, with the status both in HTTP and in the body. */
function expectScimError(reply: ScimReply, status: number, scimType?: string): void {
  expect(reply.status).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  const error = ScimErrorSchema.parse(reply.body);
  expect(error.status).toBe(String(status));
  expect(error.scimType).toBe(scimType);
}

const user = (reply: ScimReply): ScimUser => ScimUserSchema.parse(reply.body);
const q = (filter: string): string => `/Users?filter=${encodeURIComponent(filter)}`;

/** withinSeconds: the promise's value, or a rejection naming the wait. */
function withinSeconds<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${seconds} s`)), seconds * 1000)),
  ]);
}

describe('SCIM 2.0 provisioning over real HTTP (Entra ID and Okta request shapes)', () => {
  let server: TestServer;
  let scim: ReturnType<typeof scimClient>;
  let owner: AuthSession;
  let admin: AuthSession;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    scim = scimClient(server.url);
    owner = await signUp(server.api, 'scim-owner');
    admin = await addPerson(server.api, owner, 'scim-admin', 'admin');
    token = (await server.api.ok('createScimToken', { token: t(admin), body: { label: 'Entra ID' } })).secret;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('provisioning tokens: owners and admins make them, the secret is shown once, listing shows its prefix', async () => {
    const member = await addPerson(server.api, owner, 'scim-member', 'member');
    expect(await server.api.call('createScimToken', { token: t(member), body: { label: 'x' } })).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await server.api.call('listScimTokens', { token: t(member) })).toMatchObject({ status: 403 });

    const created = await server.api.ok('createScimToken', { token: t(owner), body: { label: 'Okta' } });
    expect(created.secret).toMatch(/^tscim_[A-Za-z0-9_-]{43}$/);
    expect(created.secret.startsWith(created.token.prefix)).toBe(true);
    expect(created.baseUrl).toBe(`${server.url}/scim/v2`);
    expect(created.token).toMatchObject({ label: 'Okta', createdBy: { id: owner.user.id }, lastUsedAt: null });

    const listed = await server.api.ok('listScimTokens', { token: t(admin) });
    expect(listed.baseUrl).toBe(`${server.url}/scim/v2`);
    expect(listed.tokens.map((x) => x.label)).toEqual(['Okta', 'Entra ID']);
    expect(JSON.stringify(listed)).not.toContain(created.secret);

    expect((await scim('GET', '/ServiceProviderConfig', created.secret)).status).toBe(200);
    const used = await server.api.ok('listScimTokens', { token: t(admin) });
    expect(used.tokens.find((x) => x.id === created.token.id)?.lastUsedAt).not.toBeNull();

    // Revoked, it opens nothing; another organisation cannot revoke ours.
    const outsider = await signUp(server.api, 'scim-outsider-revoke');
    expect(
      await server.api.call('revokeScimToken', { token: t(outsider), params: { tokenId: created.token.id } }),
    ).toMatchObject({ status: 404 });
    await server.api.ok('revokeScimToken', { token: t(admin), params: { tokenId: created.token.id } });
    const refused = await scim('GET', '/Users', created.secret);
    expectScimError(refused, 401);
    expect(refused.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await server.api.ok('listScimTokens', { token: t(admin) })).tokens.map((x) => x.label)).toEqual([
      'Entra ID',
    ]);
    expect(
      await server.api.call('revokeScimToken', { token: t(admin), params: { tokenId: created.token.id } }),
    ).toMatchObject({ status: 404 });
    expectScimError(await scim('GET', '/Users', undefined), 401);
    expectScimError(await scim('GET', '/Users', 'tscim_not-a-token'), 401);
    // A person's access token is not a provisioning token.
    expectScimError(await scim('GET', '/Users', t(owner)), 401);
  });

  it('Okta: look up by userName, create, read, update by PUT, deactivate and reactivate by PATCH', async () => {
    const email = uniqueEmail('okta.person');
    // Okta checks whether the user exists first.
    const lookup = await scim('GET', `${q(`userName eq "${email}"`)}&startIndex=1&count=100`, token);
    expect(lookup.status).toBe(200);
    expect(lookup.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    expect(ScimUserListSchema.parse(lookup.body)).toMatchObject({ totalResults: 0, startIndex: 1, Resources: [] });

    // Okta's create, as its SCIM 2.0 reference shows it (password sync on: the password is ignored).
    const created = await scim('POST', '/Users', token, {
      schemas: [SCIM_SCHEMA.user],
      userName: email,
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: email, type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      groups: [],
      password: '1mz050nq',
      active: true,
    });
    expect(created.status).toBe(201);
    const okta = user(created);
    expect(okta).toMatchObject({
      userName: email,
      externalId: '00ujl29u0le5T6Aj10h7',
      displayName: 'Test User',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ value: email, type: 'work', primary: true }],
      active: true,
      meta: { resourceType: 'User', location: `${server.url}/scim/v2/Users/${okta.id}` },
    });
    expect(created.headers.get('location')).toBe(okta.meta.location);

    // A person of the organisation now, a member, with no password. Their domain has no single
    // sign-on here, so a password sign-in is refused as any wrong password is: nothing tells a
    // stranger the address has an account (sso.test.ts: a domain with SSO says to use it).
    const people = await server.api.ok('listUsers', { token: t(owner) });
    expect(people.users.find((u) => u.id === okta.id)).toMatchObject({ email, role: 'member', status: 'active' });
    expect(await server.api.call('signIn', { body: { email, password: '1mz050nq' } })).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated', message: 'wrong e-mail or password' } },
    });

    const found = await scim('GET', `${q(`userName eq "${email.toUpperCase()}"`)}&startIndex=1&count=100`, token);
    expect(ScimUserListSchema.parse(found.body)).toMatchObject({ totalResults: 1, itemsPerPage: 1 });
    expect(user(await scim('GET', `/Users/${okta.id}`, token))).toEqual(okta);

    // Okta's profile push is a PUT of the whole user.
    const put = await scim('PUT', `/Users/${okta.id}`, token, {
      schemas: [SCIM_SCHEMA.user],
      id: okta.id,
      userName: email,
      name: { givenName: 'Tess', familyName: 'User' },
      emails: [{ primary: true, value: email, type: 'work' }],
      displayName: 'Tess User',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
    });
    expect(user(put)).toMatchObject({ displayName: 'Tess User', name: { givenName: 'Tess' }, active: true });

    // Okta deactivates with a path-less replace of a value object.
    const off = await scim('PATCH', `/Users/${okta.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [{ op: 'replace', value: { active: false } }],
    });
    expect(user(off).active).toBe(false);
    expect(await server.api.ok('getUser', { token: t(owner), params: { userId: okta.id } })).toMatchObject({
      status: 'deactivated',
    });
    const on = await scim('PATCH', `/Users/${okta.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [{ op: 'replace', value: { active: true } }],
    });
    expect(user(on).active).toBe(true);
  });

  it('Entra ID: test connection, create, match by externalId, PATCH with capitalised ops and string booleans, DELETE', async () => {
    // "Test connection" asks for a user that cannot exist.
    const probe = await scim('GET', q('userName eq "non-existent user 6f0c1b2a"'), token);
    expect(ScimUserListSchema.parse(probe.body).totalResults).toBe(0);

    const upn = uniqueEmail('entra.person');
    const externalId = crypto.randomUUID();
    // Entra ID's create (its SCIM tutorial's request), with the enterprise extension and roles.
    const created = await scim('POST', '/Users', token, {
      schemas: [SCIM_SCHEMA.user, SCIM_SCHEMA.enterpriseUser],
      externalId,
      userName: upn,
      active: true,
      emails: [{ primary: true, type: 'work', value: upn }],
      meta: { resourceType: 'User' },
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
      roles: [],
      [SCIM_SCHEMA.enterpriseUser]: { department: 'R&D', employeeNumber: '42' },
    });
    expect(created.status).toBe(201);
    const entra = user(created);
    expect(entra).toMatchObject({ userName: upn, externalId, displayName: 'givenName familyName', active: true });

    const byExternal = await scim('GET', q(`externalId eq "${externalId}"`), token);
    expect(ScimUserListSchema.parse(byExternal.body).Resources.map((r) => r.id)).toEqual([entra.id]);
    const byMail = await scim('GET', q(`emails[type eq "work"].value eq "${upn}"`), token);
    expect(ScimUserListSchema.parse(byMail.body).totalResults).toBe(1);

    // Entra's update of multi- and single-valued attributes, with attributes we do not keep.
    const mail = uniqueEmail('entra.updated');
    const patched = await scim('PATCH', `/Users/${entra.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [
        { op: 'Replace', path: 'emails[type eq "work"].value', value: mail },
        { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
        { op: 'Add', path: `${SCIM_SCHEMA.enterpriseUser}:department`, value: 'Research' },
        { op: 'Replace', path: 'title', value: 'Engineer' },
        { op: 'Add', path: 'phoneNumbers[type eq "work"].value', value: '+44 20 7946 0000' },
      ],
    });
    expect(user(patched)).toMatchObject({
      userName: upn,
      emails: [{ value: mail }],
      name: { givenName: 'givenName', familyName: 'updatedFamilyName' },
      displayName: 'givenName updatedFamilyName',
    });
    expect(await server.api.ok('getUser', { token: t(owner), params: { userId: entra.id } })).toMatchObject({
      email: mail,
      name: 'givenName updatedFamilyName',
    });

    // Entra ID's documented deviation: "False" as a string, Replace capitalised.
    const disabled = await scim('PATCH', `/Users/${entra.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [{ op: 'Replace', path: 'active', value: 'False' }],
    });
    expect(user(disabled).active).toBe(false);
    const enabled = await scim('PATCH', `/Users/${entra.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [{ op: 'Replace', path: 'active', value: 'True' }],
    });
    expect(user(enabled).active).toBe(true);

    // Deleted: offboarded, gone from SCIM, kept as a record; sent again, the same person comes back.
    const deleted = await scim('DELETE', `/Users/${entra.id}`, token);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeUndefined();
    expectScimError(await scim('GET', `/Users/${entra.id}`, token), 404);
    expectScimError(await scim('DELETE', `/Users/${entra.id}`, token), 404);
    expect(ScimUserListSchema.parse((await scim('GET', q(`externalId eq "${externalId}"`), token)).body)).toMatchObject(
      { totalResults: 0 },
    );
    expect(await server.api.ok('getUser', { token: t(owner), params: { userId: entra.id } })).toMatchObject({
      status: 'deactivated',
    });
    const again = await scim('POST', '/Users', token, {
      schemas: [SCIM_SCHEMA.user],
      externalId,
      userName: upn,
      emails: [{ primary: true, type: 'work', value: mail }],
      name: { givenName: 'givenName', familyName: 'familyName' },
      active: true,
    });
    expect(again.status).toBe(201);
    expect(user(again)).toMatchObject({ id: entra.id, active: true, externalId });
  });

  it('deactivating through SCIM ends the person’s sessions and open WebSockets at once', async () => {
    // Someone who already had an account: Entra matches them by userName (their e-mail) and links them.
    const person = await addPerson(server.api, owner, 'scim-linked', 'member');
    const socket = await connectWs(server.url, t(person));
    const match = ScimUserListSchema.parse((await scim('GET', q(`userName eq "${person.user.email}"`), token)).body);
    expect(match.Resources.map((r) => r.id)).toEqual([person.user.id]);
    const linked = await scim('PATCH', `/Users/${person.user.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [{ op: 'Add', path: 'externalId', value: 'entra-object-1' }],
    });
    expect(user(linked)).toMatchObject({ externalId: 'entra-object-1', active: true });

    const started = Date.now();
    const off = await scim('PATCH', `/Users/${person.user.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [{ op: 'Replace', path: 'active', value: false }],
    });
    expect(user(off).active).toBe(false);
    expect(await withinSeconds(socket.closed, 2)).toBe(WS_CLOSE.deactivated);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await server.api.call('me', { token: t(person) })).toMatchObject({ status: 401 });
    expect(await server.api.call('refresh', { body: { refreshToken: person.tokens.refreshToken } })).toMatchObject({
      status: 403,
      body: { error: { message: ACCOUNT_DEACTIVATED } },
    });
    // A linked account keeps its password: reactivated, they sign in with it.
    await scim('PATCH', `/Users/${person.user.id}`, token, {
      schemas: [SCIM_SCHEMA.patchOp],
      Operations: [{ op: 'replace', value: { active: 'true' } }],
    });
    expect(await server.api.call('signIn', { body: { email: person.user.email, password: PASSWORD } })).toMatchObject({
      status: 200,
    });
  });

  it('errors in SCIM’s shape: uniqueness, invalid filters, values and syntax, unknown users and paths, 501 for Groups', async () => {
    const email = uniqueEmail('scim-unique');
    const body = { schemas: [SCIM_SCHEMA.user], userName: email, emails: [{ value: email, primary: true }] };
    const first = await scim('POST', '/Users', token, body);
    expect(first.status).toBe(201);
    const { id } = user(first);
    expectScimError(await scim('POST', '/Users', token, body), 409, 'uniqueness');
    expectScimError(
      await scim('POST', '/Users', token, { ...body, emails: [{ value: uniqueEmail('other'), primary: true }] }),
      409,
      'uniqueness',
    );
    // Someone of another organisation: refused, and not named.
    const elsewhere = await signUp(server.api, 'scim-elsewhere');
    const taken = await scim('POST', '/Users', token, { schemas: [SCIM_SCHEMA.user], userName: elsewhere.user.email });
    expectScimError(taken, 409, 'uniqueness');
    expect(JSON.stringify(taken.body)).not.toContain(elsewhere.user.organisationId);

    expectScimError(await scim('GET', q('userName eq'), token), 400, 'invalidFilter');
    expectScimError(await scim('GET', q('title eq "Engineer"'), token), 400, 'invalidFilter');
    expectScimError(await scim('GET', '/Users?startIndex=first', token), 400, 'invalidValue');
    expectScimError(await scim('POST', '/Users', token, { schemas: [SCIM_SCHEMA.user] }), 400, 'invalidValue');
    expectScimError(await scim('POST', '/Users', token, { userName: uniqueEmail('no-schemas') }), 400, 'invalidValue');
    expectScimError(
      await scim('POST', '/Users', token, { schemas: [SCIM_SCHEMA.user], userName: 'not-an-address' }),
      400,
      'invalidValue',
    );
    expectScimError(await scim('POST', '/Users', token, '{"schemas": ['), 400, 'invalidSyntax');
    expectScimError(await scim('GET', `/Users/${crypto.randomUUID()}`, token), 404);
    expectScimError(await scim('GET', '/Users/not-an-id', token), 404);

    const patch = (Operations: unknown[]) =>
      scim('PATCH', `/Users/${id}`, token, { schemas: [SCIM_SCHEMA.patchOp], Operations });
    expectScimError(await patch([{ op: 'copy', path: 'active', value: true }]), 400, 'invalidSyntax');
    expectScimError(await patch([{ op: 'replace', path: 'favouriteColour', value: 'green' }]), 400, 'invalidPath');
    expectScimError(await patch([{ op: 'replace', path: 'emails[type eq "work"', value: 'x' }]), 400, 'invalidPath');
    expectScimError(await patch([{ op: 'replace', path: 'active', value: 'maybe' }]), 400, 'invalidValue');
    expectScimError(await patch([{ op: 'remove', path: 'userName' }]), 400, 'mutability');
    expectScimError(await patch([{ op: 'remove' }]), 400, 'noTarget');
    expectScimError(await patch([]), 400, 'invalidSyntax');
    // A refused operation changes nothing, not even the operations before it.
    expectScimError(
      await patch([
        { op: 'replace', path: 'displayName', value: 'Half Done' },
        { op: 'replace', path: 'active', value: 'maybe' },
      ]),
      400,
      'invalidValue',
    );
    expect(user(await scim('GET', `/Users/${id}`, token)).displayName).not.toBe('Half Done');

    // The organisation's last owner stays an active owner, whoever asks.
    expectScimError(
      await scim('PATCH', `/Users/${owner.user.id}`, token, {
        schemas: [SCIM_SCHEMA.patchOp],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      }),
      409,
    );

    expectScimError(await scim('GET', '/Groups', token), 501);
    expectScimError(await scim('POST', '/Groups', token, { schemas: [SCIM_SCHEMA.group], displayName: 'x' }), 501);
    expectScimError(await scim('PATCH', `/Groups/${crypto.randomUUID()}`, token, {}), 501);
    expectScimError(await scim('GET', '/Me', token), 501);
    expectScimError(await scim('GET', '/Nothing', token), 404);
  });

  it('SCIM’s media type with a charset and plain JSON are read, others refused; discovery says what is supported', async () => {
    const email = uniqueEmail('scim-json');
    const created = await scim(
      'POST',
      '/Users',
      token,
      { schemas: [SCIM_SCHEMA.user], userName: email },
      'application/json; charset=utf-8',
    );
    expect(created.status).toBe(201);
    const withCharset = await scim(
      'POST',
      '/Users',
      token,
      { schemas: [SCIM_SCHEMA.user], userName: uniqueEmail('scim-charset') },
      'application/scim+json; charset=utf-8',
    );
    expect(withCharset.status).toBe(201);
    expectScimError(await scim('POST', '/Users', token, 'userName=x', 'application/x-www-form-urlencoded'), 415);

    const config = await scim('GET', '/ServiceProviderConfig', token);
    expect(config.body).toMatchObject({
      schemas: [SCIM_SCHEMA.serviceProviderConfig],
      patch: { supported: true },
      filter: { supported: true, maxResults: 200 },
      bulk: { supported: false },
      authenticationSchemes: [{ type: 'oauthbearertoken' }],
    });
    const types = await scim('GET', '/ResourceTypes', token);
    expect(types.body).toMatchObject({ totalResults: 1, Resources: [{ id: 'User', endpoint: '/Users' }] });
    const schemas = await scim('GET', '/Schemas', token);
    expect(schemas.body).toMatchObject({ totalResults: 1, Resources: [{ id: SCIM_SCHEMA.user }] });
    expect((await scim('GET', `/Schemas/${SCIM_SCHEMA.user}`, token)).status).toBe(200);
    expectScimError(await scim('GET', `/Schemas/${SCIM_SCHEMA.group}`, token), 404);
  });

  it('pages with 1-based startIndex and count, with and without a filter', async () => {
    const pager = await signUp(server.api, 'scim-pager');
    const pagerToken = (await server.api.ok('createScimToken', { token: t(pager), body: { label: 'pages' } })).secret;
    const names: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const email = uniqueEmail(`page-${i}`);
      names.push(email);
      await scim('POST', '/Users', pagerToken, { schemas: [SCIM_SCHEMA.user], userName: email });
    }
    const all = ScimUserListSchema.parse((await scim('GET', '/Users', pagerToken)).body);
    // The owner who signed up, and the five.
    expect(all).toMatchObject({ totalResults: 6, startIndex: 1, itemsPerPage: 6 });
    const page = ScimUserListSchema.parse((await scim('GET', '/Users?startIndex=2&count=2', pagerToken)).body);
    expect(page).toMatchObject({ totalResults: 6, startIndex: 2, itemsPerPage: 2 });
    expect(page.Resources.map((r) => r.id)).toEqual(all.Resources.slice(1, 3).map((r) => r.id));
    const none = ScimUserListSchema.parse((await scim('GET', '/Users?count=0', pagerToken)).body);
    expect(none).toMatchObject({ totalResults: 6, itemsPerPage: 0, Resources: [] });
    const beyond = ScimUserListSchema.parse((await scim('GET', '/Users?startIndex=40', pagerToken)).body);
    expect(beyond).toMatchObject({ totalResults: 6, startIndex: 40, itemsPerPage: 0 });
    const below = ScimUserListSchema.parse((await scim('GET', '/Users?startIndex=-3&count=-1', pagerToken)).body);
    expect(below).toMatchObject({ startIndex: 1, itemsPerPage: 0 });

    const filtered = ScimUserListSchema.parse(
      (await scim('GET', `${q('userName sw "page-"')}&startIndex=3&count=2`, pagerToken)).body,
    );
    expect(filtered).toMatchObject({ totalResults: 5, startIndex: 3, itemsPerPage: 2 });
    expect(filtered.Resources.map((r) => r.userName)).toEqual(names.slice(2, 4));
  });

  it('every organisation sees and changes only its own people; guests are not provisioned', async () => {
    const other = await signUp(server.api, 'scim-other-org');
    const otherToken = (await server.api.ok('createScimToken', { token: t(other), body: { label: 'other' } })).secret;
    const ours = user(
      await scim('POST', '/Users', token, { schemas: [SCIM_SCHEMA.user], userName: uniqueEmail('scim-ours') }),
    );
    expectScimError(await scim('GET', `/Users/${ours.id}`, otherToken), 404);
    expectScimError(
      await scim('PATCH', `/Users/${ours.id}`, otherToken, {
        schemas: [SCIM_SCHEMA.patchOp],
        Operations: [{ op: 'replace', path: 'active', value: false }],
      }),
      404,
    );
    expectScimError(
      await scim('PUT', `/Users/${ours.id}`, otherToken, { schemas: [SCIM_SCHEMA.user], userName: ours.userName }),
      404,
    );
    expectScimError(await scim('DELETE', `/Users/${ours.id}`, otherToken), 404);
    const theirs = ScimUserListSchema.parse((await scim('GET', q(`userName eq "${ours.userName}"`), otherToken)).body);
    expect(theirs.totalResults).toBe(0);
    const listed = ScimUserListSchema.parse((await scim('GET', '/Users', otherToken)).body);
    expect(listed.Resources.map((r) => r.id)).toEqual([other.user.id]);
    expect(user(await scim('GET', `/Users/${ours.id}`, token)).active).toBe(true);

    const guest = await addPerson(server.api, owner, 'scim-guest', 'guest');
    expectScimError(await scim('GET', `/Users/${guest.user.id}`, token), 404);
    const guests = ScimUserListSchema.parse((await scim('GET', q(`userName eq "${guest.user.email}"`), token)).body);
    expect(guests.totalResults).toBe(0);
  });
});

describe('SCIM is rate-limited per token', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(livekit, { rateLimits: { scimPerMinute: 3 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('answers 429 in SCIM’s shape past the limit, for that token only', async () => {
    const scim = scimClient(server.url);
    const owner = await signUp(server.api, 'scim-limited');
    const first = (await server.api.ok('createScimToken', { token: t(owner), body: { label: 'one' } })).secret;
    const second = (await server.api.ok('createScimToken', { token: t(owner), body: { label: 'two' } })).secret;
    for (let i = 0; i < 3; i += 1) expect((await scim('GET', '/Users', first)).status).toBe(200);
    const limited = await scim('GET', '/Users', first);
    expectScimError(limited, 429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect((await scim('GET', '/Users', second)).status).toBe(200);
  });
});
