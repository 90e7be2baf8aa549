import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WS_CLOSE } from '@tandem/shared';
import { connectWs, PASSWORD, signUp, startTestServer, uniqueEmail, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

describe('identity over real HTTP', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 5, messagesPerMinute: 1000 } });
  });
  afterAll(() => server?.close());

  it('signs up an owner, signs in, and answers /me', async () => {
    const email = uniqueEmail('owner');
    const session = await server.api.ok('signUp', {
      body: { organisationName: 'Acme', name: 'Olga', email, password: PASSWORD },
    });
    expect(session.user.role).toBe('owner');
    const again = await server.api.ok('signIn', { body: { email: email.toUpperCase(), password: PASSWORD } });
    const me = await server.api.ok('me', { token: again.tokens.accessToken });
    expect(me).toMatchObject({ user: { id: session.user.id }, organisation: { name: 'Acme' } });
  });

  it('refuses a wrong password, a duplicate e-mail and a missing token with machine-readable errors', async () => {
    const session = await signUp(server.api, 'dup');
    const wrong = await server.api.call('signIn', {
      body: { email: session.user.email, password: 'not the password' },
    });
    expect(wrong).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    const dup = await server.api.call('signUp', {
      body: { organisationName: 'Again', name: 'x', email: session.user.email, password: PASSWORD },
    });
    expect(dup).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(await server.api.call('me')).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await server.api.call('me', { token: 'forged' })).toMatchObject({ status: 401 });
  });

  it('rotates refresh tokens; replaying a spent one revokes the session', async () => {
    const session = await signUp(server.api, 'rotate');
    const first = await server.api.ok('refresh', { body: { refreshToken: session.tokens.refreshToken } });
    expect(first.refreshToken).not.toBe(session.tokens.refreshToken);
    expect(await server.api.call('me', { token: first.accessToken })).toMatchObject({ status: 200 });
    // Its successor spent too, the first token is no longer a retry within the grace window.
    const second = await server.api.ok('refresh', { body: { refreshToken: first.refreshToken } });
    const replay = await server.api.call('refresh', { body: { refreshToken: session.tokens.refreshToken } });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await server.api.call('me', { token: second.accessToken })).toMatchObject({ status: 401 });
    expect(await server.api.call('refresh', { body: { refreshToken: second.refreshToken } })).toMatchObject({
      status: 401,
    });
  });

  it('signs out: access and refresh tokens stop working', async () => {
    const session = await signUp(server.api, 'leaver');
    // Believed a moment ago (the token is cached), refused on the very next request after signing out.
    await server.api.ok('me', { token: session.tokens.accessToken });
    await server.api.ok('signOut', { token: session.tokens.accessToken });
    expect(await server.api.call('me', { token: session.tokens.accessToken })).toMatchObject({ status: 401 });
    expect(await server.api.call('refresh', { body: { refreshToken: session.tokens.refreshToken } })).toMatchObject({
      status: 401,
    });
  });

  it('signing out closes that session’s open WebSocket at once, and only that session’s', async () => {
    const session = await signUp(server.api, 'socket-leaver');
    const other = await server.api.ok('signIn', { body: { email: session.user.email, password: PASSWORD } });
    const socket = await connectWs(server.url, session.tokens.accessToken);
    const otherSocket = await connectWs(server.url, other.tokens.accessToken);
    await server.api.ok('signOut', { token: session.tokens.accessToken });
    // At once: the token itself would hold for another 15 minutes.
    expect(await withinSeconds(socket.closed, 5)).toBe(WS_CLOSE.unauthenticated);
    otherSocket.send({ type: 'ping', nonce: 'still-here' });
    expect(await otherSocket.next('pong')).toMatchObject({ nonce: 'still-here' });
    otherSocket.close();
  });

  it('a replayed refresh token revokes the session and closes its open WebSocket', async () => {
    const session = await signUp(server.api, 'socket-replay');
    const socket = await connectWs(server.url, session.tokens.accessToken);
    const next = await server.api.ok('refresh', { body: { refreshToken: session.tokens.refreshToken } });
    await server.api.ok('refresh', { body: { refreshToken: next.refreshToken } });
    expect(await server.api.call('refresh', { body: { refreshToken: session.tokens.refreshToken } })).toMatchObject({
      status: 401,
    });
    expect(await withinSeconds(socket.closed, 5)).toBe(WS_CLOSE.unauthenticated);
  });

  it('only owners and admins add people; members cannot', async () => {
    const owner = await signUp(server.api, 'boss');
    const email = uniqueEmail('member');
    const member = await server.api.ok('createUser', {
      token: owner.tokens.accessToken,
      body: { email, name: 'Mia', password: PASSWORD, role: 'member' },
    });
    expect(member.organisationId).toBe(owner.organisation.id);
    const memberSession = await server.api.ok('signIn', { body: { email, password: PASSWORD } });
    const refused = await server.api.call('createUser', {
      token: memberSession.tokens.accessToken,
      body: { email: uniqueEmail('x'), name: 'X', password: PASSWORD, role: 'member' },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const users = await server.api.ok('listUsers', { token: memberSession.tokens.accessToken });
    expect(users.users.map((u) => u.id).sort()).toEqual([owner.user.id, member.id].sort());
  });

  it('a deactivated or re-roled person’s recently used token answers the change on the very next request', async () => {
    const owner = await signUp(server.api, 'cache-boss');
    const add = async (who: string) => {
      const email = uniqueEmail(who);
      await server.api.ok('createUser', {
        token: owner.tokens.accessToken,
        body: { email, name: who, password: PASSWORD, role: 'member' },
      });
      return server.api.ok('signIn', { body: { email, password: PASSWORD } });
    };
    const leaver = await add('cache-leaver');
    const promoted = await add('cache-promoted');
    expect(await server.api.ok('me', { token: leaver.tokens.accessToken })).toMatchObject({
      user: { status: 'active' },
    });
    expect(await server.api.ok('me', { token: promoted.tokens.accessToken })).toMatchObject({
      user: { role: 'member' },
    });

    await server.api.ok('deactivateUser', {
      token: owner.tokens.accessToken,
      params: { userId: leaver.user.id },
      body: {},
    });
    expect(await server.api.call('me', { token: leaver.tokens.accessToken })).toMatchObject({ status: 401 });

    await server.api.ok('updateUser', {
      token: owner.tokens.accessToken,
      params: { userId: promoted.user.id },
      body: { role: 'admin' },
    });
    expect(await server.api.ok('me', { token: promoted.tokens.accessToken })).toMatchObject({
      user: { role: 'admin' },
    });
  });

  it('rate-limits sign-in attempts per account, without locking out other accounts', async () => {
    const target = await signUp(server.api, 'target');
    const attempt = (email: string, password: string) => server.api.call('signIn', { body: { email, password } });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await attempt(target.user.email, 'wrong password')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    expect(await attempt(target.user.email, PASSWORD)).toMatchObject({
      status: 429,
      body: { error: { code: 'rate_limited' } },
    });
    const other = await signUp(server.api, 'bystander');
    expect(await attempt(other.user.email, PASSWORD)).toMatchObject({ status: 200 });
  });
});

describe('a WebSocket ends when its access token expires', () => {
  const TTL_SECONDS = 3;
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(livekit, { auth: { accessTtlSeconds: TTL_SECONDS } });
  });
  afterAll(() => server?.close());

  it('closes the socket at the token’s expiry, not before, while a socket with a fresh token stays', async () => {
    const session = await signUp(server.api, 'expiring');
    const expiresAt = Date.parse(session.tokens.accessTokenExpiresAt);
    const socket = await connectWs(server.url, session.tokens.accessToken);
    const code = await withinSeconds(socket.closed, TTL_SECONDS + 3);
    const closedAt = Date.now();
    expect(code).toBe(WS_CLOSE.unauthenticated);
    // Timers may fire a few milliseconds early by the wall clock, never a second.
    expect(closedAt).toBeGreaterThan(expiresAt - 100);
    expect(closedAt).toBeLessThan(expiresAt + 2_000);
    // Refreshed, the person connects again and stays until the new token's own expiry.
    const fresh = await server.api.ok('refresh', { body: { refreshToken: session.tokens.refreshToken } });
    const again = await connectWs(server.url, fresh.accessToken);
    again.send({ type: 'ping', nonce: 'fresh' });
    expect(await again.next('pong')).toMatchObject({ nonce: 'fresh' });
    expect(await withinSeconds(again.closed, TTL_SECONDS + 3)).toBe(WS_CLOSE.unauthenticated);
    expect(Date.now()).toBeGreaterThan(Date.parse(fresh.accessTokenExpiresAt) - 100);
  });
});

/** The promise's value, or a rejection naming the wait when it takes longer. */
function withinSeconds<T>(promise: Promise<T>, seconds: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not within ${seconds} s`)), seconds * 1000)),
  ]);
}
