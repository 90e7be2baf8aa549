import http from 'node:http';
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer } from './index.ts';
import { hashPassword } from './services/auth.ts';
import { api, onDatabase, PASSWORD, signUp, startTestServer, uniqueEmail, type TestServer } from './testSupport.ts';

/** Issue 13's review items 2-7, each over real HTTP. Item 1 (provider consent) is in linked.test.ts. */

const livekit = inject('livekit');

/** A JSON POST sent from another loopback address (127.0.0.x), as a second client machine would. */
function postFrom(
  localAddress: string,
  baseUrl: string,
  pathname: string,
  body: unknown,
): Promise<{ status: number; body: { error?: { code: string; message: string } } }> {
  const url = new URL(pathname, baseUrl);
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as never }));
      },
    );
    request.on('error', reject);
    request.end(payload);
  });
}

/** Writes a raw request and reads the whole answer (the server closes the connection after it). */
function rawExchange(baseUrl: string, request: string): Promise<string> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(url.port), url.hostname, () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (text += chunk));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('item 2: sign-in is limited per account over all addresses, sign-up per address', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 5, signUpPerMinute: 3 } });
  });
  afterAll(() => server?.close());

  it('a new address gets no fresh attempts at the same account', async () => {
    const target = await postFrom('127.0.0.2', server.url, '/auth/signup', {
      organisationName: 'Target',
      name: 'Tara',
      email: uniqueEmail('target'),
      password: PASSWORD,
    });
    expect(target.status).toBe(201);
    const email = (target.body as unknown as { user: { email: string } }).user.email;
    const attempt = (from: string) =>
      postFrom(from, server.url, '/auth/signin', { email, password: 'not the password' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await attempt('127.0.0.5')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    // Before: counted per address and account, so every new address had five more guesses.
    expect(await attempt('127.0.0.6')).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
    expect(await attempt('127.0.0.7')).toMatchObject({ status: 429 });
  });

  it('sign-ups from one address are capped; another address is not affected', async () => {
    const signUpFrom = (from: string) =>
      postFrom(from, server.url, '/auth/signup', {
        organisationName: 'Org',
        name: 'Someone',
        email: uniqueEmail('signup-limit'),
        password: PASSWORD,
      });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await signUpFrom('127.0.0.3')).status);
    expect(statuses).toEqual([201, 201, 201, 429]);
    expect((await signUpFrom('127.0.0.4')).status).toBe(201);
  });
});

describe('items 3, 5, 6, 7 on one server', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(livekit, { auth: { refreshGraceSeconds: 1 } });
  });
  afterAll(() => server?.close());

  it('item 3: sign-up and adding a person do not reveal that another organisation has the address', async () => {
    const other = await signUp(server.api, 'elsewhere');
    const owner = await signUp(server.api, 'here');
    const signUpAgain = await server.api.call('signUp', {
      body: { organisationName: 'Probe', name: 'Probe', email: other.user.email, password: PASSWORD },
    });
    expect(signUpAgain.status).toBe(409);
    expect(JSON.stringify(signUpAgain.body)).not.toMatch(/has an account|already/i);

    const addElsewhere = await server.api.call('createUser', {
      token: owner.tokens.accessToken,
      body: { email: other.user.email, name: 'X', password: PASSWORD, role: 'member' },
    });
    expect(addElsewhere.status).toBe(409);
    expect(JSON.stringify(addElsewhere.body)).not.toMatch(/has an account|already|organisation/i);
    // Within one's own organisation the address may be named as taken.
    const addOwn = await server.api.call('createUser', {
      token: owner.tokens.accessToken,
      body: { email: owner.user.email, name: 'X', password: PASSWORD, role: 'member' },
    });
    expect(addOwn).toMatchObject({
      status: 409,
      body: { error: { message: expect.stringMatching(/your organisation/) } },
    });
  });

  it('item 5: two concurrent refreshes of one token both answer and keep the session', async () => {
    const session = await signUp(server.api, 'racer');
    const refresh = () => server.api.call('refresh', { body: { refreshToken: session.tokens.refreshToken } });
    const [a, b] = await Promise.all([refresh(), refresh()]);
    expect([a.status, b.status]).toEqual([200, 200]);
    for (const reply of [a, b]) {
      if (reply.status !== 200) throw new Error('refused');
      const tokens = reply.body as { accessToken: string; refreshToken: string };
      expect(await server.api.call('me', { token: tokens.accessToken })).toMatchObject({ status: 200 });
    }
    // A retry whose first answer was lost, a moment later, is still answered.
    expect((await refresh()).status).toBe(200);
  });

  it('item 5: re-presenting a spent refresh token after the grace window still revokes the session', async () => {
    const session = await signUp(server.api, 'late-replay');
    const next = await server.api.ok('refresh', { body: { refreshToken: session.tokens.refreshToken } });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const replay = await server.api.call('refresh', { body: { refreshToken: session.tokens.refreshToken } });
    expect(replay).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated' } } });
    expect(await server.api.call('me', { token: next.accessToken })).toMatchObject({ status: 401 });
    expect(await server.api.call('refresh', { body: { refreshToken: next.refreshToken } })).toMatchObject({
      status: 401,
    });
  });

  it("item 6: the router's own refusals answer in the API's error shape", async () => {
    const badEscape = await server.api.raw('GET', '/meetings/%ZZ/lobby');
    expect(badEscape.status).toBe(400);
    expect(await badEscape.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });

    const longId = await server.api.raw('GET', `/meetings/${'a'.repeat(3000)}/lobby`);
    expect(longId.status).toBe(414);
    expect(await longId.json()).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });

    const huge = await rawExchange(
      server.url,
      `GET /health HTTP/1.1\r\nHost: x\r\nX-Filler: ${'a'.repeat(20_000)}\r\n\r\n`,
    );
    expect(huge.split('\r\n')[0]).toBe('HTTP/1.1 431 Request Header Fields Too Large');
    expect(JSON.parse(huge.slice(huge.indexOf('\r\n\r\n') + 4))).toEqual({
      error: { code: 'bad_request', message: expect.any(String) },
    });
  });

  it('item 7: passwords are hashed with scrypt N=2^17, r=8, p=1; an older hash still signs in and is upgraded', async () => {
    const session = await signUp(server.api, 'hashed');
    const hashOf = async () =>
      (
        await onDatabase<{ password_hash: string }>(
          server,
          'select password_hash from users where id = ?',
          session.user.id,
        )
      )[0]?.password_hash;
    expect(await hashOf()).toMatch(/^scrypt\$131072\$8\$1\$/);
    // As stored before the parameters were raised.
    const old = await hashPassword(PASSWORD, { N: 16384, r: 8, p: 1 });
    await onDatabase(server, 'update users set password_hash = ? where id = ?', old, session.user.id);
    await server.api.ok('signIn', { body: { email: session.user.email, password: PASSWORD } });
    expect(await hashOf()).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(await hashOf()).not.toBe(old);
    await server.api.ok('signIn', { body: { email: session.user.email, password: PASSWORD } });
    expect(
      await server.api.call('signIn', { body: { email: session.user.email, password: 'not the password' } }),
    ).toMatchObject({ status: 401 });
  });
});

describe('item 4: request logs carry no secrets', () => {
  const lines: string[] = [];
  let server: Awaited<ReturnType<typeof startServer>>;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-logs-'));
    server = await startServer(
      {
        port: 0,
        host: '127.0.0.1',
        livekit: { wsUrl: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, tokenTtlSeconds: 60 },
        databasePath: path.join(dir, 'server.db'),
        logLevel: 'info',
        seedDemo: false,
        auth: { accessTtlSeconds: 900, refreshTtlSeconds: 3600, refreshGraceSeconds: 30 },
        rateLimits: { signInPerMinute: 1000, signUpPerMinute: 1000, messagesPerMinute: 1000, scimPerMinute: 1000 },
      },
      { logStream: { write: (line: string) => void lines.push(line) } },
    );
  });
  afterAll(async () => {
    await server?.close();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('redacts the calendar-feed token, recording and file links and OAuth code and state from request URLs', async () => {
    const a = api(server.url);
    const owner = await signUp(a, 'logged');
    const feed = await a.ok('createCalendarFeed', { token: owner.tokens.accessToken });
    const feedToken = /^\/calendar\/(.+)\.ics$/.exec(feed.path)?.[1] ?? '';
    expect(feedToken).toHaveLength(43);
    expect((await a.raw('GET', feed.path)).status).toBe(200);
    await a.raw('GET', '/providers/callback?code=SECRET-CODE-123&state=SECRET-STATE-456');
    await a.raw('GET', '/calendar/also-a-secret-feed-token.ics?token=SECRET-QUERY-TOKEN');
    await a.raw('GET', '/recordings/SECRET-RECORDING-LINK?download=1');
    await a.raw('GET', '/files/SECRET-FILE-LINK?download=1');

    const log = lines.join('');
    expect(log).toContain('incoming request');
    expect(log).toContain('/calendar/[redacted].ics');
    expect(log).toContain('code=[redacted]');
    expect(log).toContain('/recordings/[redacted]?download=1');
    expect(log).toContain('/files/[redacted]?download=1');
    for (const secret of [
      feedToken,
      'SECRET-CODE-123',
      'SECRET-STATE-456',
      'also-a-secret',
      'SECRET-QUERY-TOKEN',
      'SECRET-RECORDING-LINK',
      'SECRET-FILE-LINK',
    ]) {
      expect(log).not.toContain(secret);
    }
  });
});
