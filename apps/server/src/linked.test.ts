import { createHash, createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AuthSession, Meeting } from '@tandem/shared';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { loadConfig, startServer } from './index.ts';
import { startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from './providers/testing/fakeApi.ts';
import { addPerson, api, connectWs, signUp, type Api, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');

const TEAMS_JOIN =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ4ZTg2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%2c%22Oid%22%3a%22550fae72%22%7d';

/** onlineMeeting as documented for POST /me/onlineMeetings (201). */
const onlineMeeting = {
  id: 'MSpkYzE3NjRmNi1jMTc0LTQ2NTAtYmJkYS0wNjZlMjNiMzhiZjEqMCoqMTk6bWVldGluZ19OalE0',
  startDateTime: '2026-11-27T14:00:00Z',
  endDateTime: '2026-11-27T15:00:00Z',
  joinWebUrl: TEAMS_JOIN,
  subject: 'Quarterly review',
  joinMeetingIdSettings: { isPasscodeRequired: true, joinMeetingId: '3753928424573', passcode: 'xd6Qh9' },
  audioConferencing: {
    conferenceId: '418924075',
    tollNumbers: ['+12065550100', '+442035550100'],
    tollFreeNumbers: ['+18005550100'],
    dialinUrl: 'https://dialin.teams.microsoft.com/8551f4c1?id=418924075',
  },
};

/** Zoom meeting as documented for POST /users/{userId}/meetings (201). */
const zoomMeeting = {
  id: 85746065432,
  uuid: 'aDYlohsHRtCd4ii1uC2+hA==',
  topic: 'Partner sync',
  start_time: '2026-11-27T14:00:00Z',
  duration: 60,
  join_url: 'https://acme.zoom.us/j/85746065432?pwd=abc',
  password: 'a1B2c3',
  pstn_password: '123456',
  settings: { global_dial_in_numbers: [{ country_name: 'US', number: '+1 646 558 8656', type: 'toll' }] },
};

/** Calendar API v3 events list with one Teams invitation in a description. */
const googleEvents = {
  items: [
    {
      id: 'g-evt-1',
      status: 'confirmed',
      summary: 'Customer call',
      htmlLink: 'https://www.google.com/calendar/event?eid=ZzE',
      start: { dateTime: '2026-11-27T09:00:00Z' },
      end: { dateTime: '2026-11-27T09:30:00Z' },
      description: `Microsoft Teams meeting\nJoin the meeting now\n${TEAMS_JOIN}\nMeeting ID: 375 392 842 457 3\nPasscode: xd6Qh9`,
    },
  ],
};

const TEAMS_INVITATION = `________________________________________________________________________________
Microsoft Teams Need help? <https://aka.ms/JoinTeamsMeeting?omkt=en-US>
Join the meeting now <${TEAMS_JOIN}>
Meeting ID: 375 392 842 457 3
Passcode: xd6Qh9
________________________________
Dial in by phone
+1 206-555-0100,,418924075# United States, Seattle
Phone conference ID: 418 924 075#
`;

/** The desktop's loopback receiver (RFC 8252 §7.3), where the provider sends the browser back. */
const APP_REDIRECT = 'http://127.0.0.1:53682/providers/callback';
const SYNC = { timeout: 5_000 };

type Provider = {
  /** Answers in the providers' documented shapes; a test may override one path at a time. */
  override?: (request: RecordedRequest) => FakeReply | undefined | Promise<FakeReply | undefined>;
};

/** What the fake authorization server remembers about each code it issued (RFC 7636 §4.4). */
type IssuedCode = { readonly clientId: string; readonly redirectUri: string; readonly challenge: string };

/** RFC 6749 §5.2 error, as Microsoft and Google answer a refused code exchange. */
const invalidGrant = (description: string): FakeReply => ({
  status: 400,
  json: { error: 'invalid_grant', error_description: description },
});

function providerApis(state: Provider) {
  const codes = new Map<string, IssuedCode>();
  let issued = 0;
  return async (r: RecordedRequest): Promise<FakeReply> => {
    const overridden = await state.override?.(r);
    if (overridden !== undefined) return overridden;
    // The consent page, once the person approved: a code bound to the PKCE challenge, redirected back.
    if (r.method === 'GET' && (r.path === '/organizations/oauth2/v2.0/authorize' || r.path === '/google/auth')) {
      const challenge = r.query.get('code_challenge');
      const redirectUri = r.query.get('redirect_uri') ?? '';
      if (challenge === null || r.query.get('code_challenge_method') !== 'S256') {
        return { status: 400, json: { error: 'invalid_request', error_description: 'PKCE S256 is required' } };
      }
      const code = `code-${r.path.startsWith('/google') ? 'google' : 'microsoft'}-${++issued}`;
      codes.set(code, { clientId: r.query.get('client_id') ?? '', redirectUri, challenge });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', r.query.get('state') ?? '');
      return { status: 302, headers: { location: back.toString() } };
    }
    const token = { token_type: 'Bearer', expires_in: 3599, access_token: `at-${r.path}`, refresh_token: 'rt-secret' };
    if (r.path === '/organizations/oauth2/v2.0/token' || r.path === '/google/token') {
      const form = new URLSearchParams(r.body);
      if (form.get('grant_type') === 'authorization_code') {
        const code = codes.get(form.get('code') ?? '');
        codes.delete(form.get('code') ?? '');
        if (code === undefined) return invalidGrant('the code is unknown or was used');
        if (code.clientId !== form.get('client_id') || code.redirectUri !== form.get('redirect_uri')) {
          return invalidGrant('the code was issued to another client or redirect');
        }
        const verifier = form.get('code_verifier') ?? '';
        if (createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
          return invalidGrant('the code_verifier does not match the code_challenge of the authorization request');
        }
      }
      return { json: token };
    }
    if (r.path === '/oauth/token') {
      return {
        json: { token_type: 'bearer', expires_in: 3599, access_token: 'zoom-at', scope: 'meeting:write:admin' },
      };
    }
    if (r.path === '/google/revoke') return { json: {} };
    if (r.method === 'POST' && r.path === '/v1.0/me/onlineMeetings') return { status: 201, json: onlineMeeting };
    if (r.method === 'POST' && r.path === '/v2/users/me/meetings') return { status: 201, json: zoomMeeting };
    if (r.method === 'GET' && r.path === '/calendar/v3/calendars/primary/events') return { json: googleEvents };
    return { status: 404, json: { error: { code: 'NotFound', message: `no ${r.method} ${r.path}` } } };
  };
}

describe('linked meetings over HTTP, providers replaced by local fake APIs (documented wire format)', () => {
  let fake: FakeApi;
  const provider: Provider = {};
  let server: Awaited<ReturnType<typeof startServer>>;
  let dir: string;
  let http: Api;
  let a: AuthSession;
  let aMember: AuthSession;
  let b: AuthSession;
  let meeting: Meeting;
  let restart: () => Promise<void>;
  const auth = (s: AuthSession) => s.tokens.accessToken;

  beforeAll(async () => {
    fake = await startFakeApi(providerApis(provider));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-linked-'));
    const tokenKeys = `k1:${randomBytes(32).toString('base64')}`;
    const start = () =>
      startServer({
        port: 0,
        host: '127.0.0.1',
        livekit: { wsUrl: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, tokenTtlSeconds: 60 },
        databasePath: path.join(dir, 'server.db'),
        logLevel: 'warn',
        seedDemo: false,
        auth: { accessTtlSeconds: 900, refreshTtlSeconds: 3600, refreshGraceSeconds: 30 },
        rateLimits: { signInPerMinute: 1000, signUpPerMinute: 1000, messagesPerMinute: 1000, scimPerMinute: 1000 },
        linked: {
          tokenKeys,
          providers: {
            microsoft: {
              clientId: 'ms-app',
              clientSecret: 'ms-secret',
              loginBaseUrl: fake.url,
              graphBaseUrl: fake.url,
            },
            google: {
              clientId: 'g-app',
              clientSecret: 'g-secret',
              authorizeUrl: `${fake.url}/google/auth`,
              tokenUrl: `${fake.url}/google/token`,
              revokeUrl: `${fake.url}/google/revoke`,
              apiBaseUrl: fake.url,
            },
            zoom: { tokenUrl: `${fake.url}/oauth/token`, apiBaseUrl: fake.url },
          },
        },
      });
    server = await start();
    // The same database, keys and provider settings in a new server process's place (its start runs the renewal sweep).
    restart = async () => {
      await server.close();
      server = await start();
      http = api(server.url);
    };
    http = api(server.url);
    a = await signUp(http, 'linked-a');
    aMember = await addPerson(http, a, 'linked-a-member', 'member');
    b = await signUp(http, 'linked-b');
    meeting = await http.ok('createMeeting', {
      token: auth(a),
      body: {
        title: 'Partner sync',
        startsAt: '2026-11-27T14:00:00.000Z',
        endsAt: '2026-11-27T15:00:00.000Z',
        // The member's calendar and feed hold the meetings they are invited to.
        invitees: [aMember.user.id],
      },
    });
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    provider.override = undefined;
  });

  /**
   * Runs the OAuth dance: the consent URL, the provider's page approved in a browser (redirected
   * to the app's loopback receiver), then the app of `approver` completes it with its own session.
   */
  async function approve(url: string) {
    const page = await fetch(url, { redirect: 'manual' });
    expect(page.status).toBe(302);
    const back = new URL(page.headers.get('location') ?? '');
    expect(`${back.origin}${back.pathname}`).toBe(APP_REDIRECT);
    return { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' };
  }
  async function consent(
    who: AuthSession,
    p: 'microsoft' | 'google',
    scope: 'organisation' | 'user',
    approver: AuthSession = who,
  ) {
    const { url } = await http.ok('providerConsent', {
      token: auth(who),
      body: { provider: p, scope, redirectUri: APP_REDIRECT },
    });
    const { code, state } = await approve(url);
    const reply = await http.call('completeConsent', { token: auth(approver), body: { code, state } });
    return { url, code, state, reply };
  }

  it('connects the organisation Microsoft account by consent with PKCE; tokens are only ciphertext at rest; the state is single-use', async () => {
    expect(
      await http.call('providerConsent', {
        token: auth(aMember),
        body: { provider: 'microsoft', scope: 'organisation', redirectUri: APP_REDIRECT },
      }),
    ).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });

    const { url, code, state, reply } = await consent(a, 'microsoft', 'organisation');
    expect(url.startsWith(`${fake.url}/organizations/oauth2/v2.0/authorize?`)).toBe(true);
    const authorize = new URL(url).searchParams;
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(reply).toMatchObject({ status: 200, body: { provider: 'microsoft', scope: 'organisation' } });
    const exchange = fake.requests.find((r) => r.path === '/organizations/oauth2/v2.0/token');
    const form = new URLSearchParams(exchange?.body);
    expect(form.get('code')).toBe(code);
    expect(form.get('redirect_uri')).toBe(APP_REDIRECT);
    // The verifier went to the token endpoint only, never into the browser's URL.
    expect(form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url).not.toContain(form.get('code_verifier'));

    const again = await http.call('completeConsent', { token: auth(a), body: { code, state } });
    expect(again).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });

    const db = new SqliteDatabase(path.join(dir, 'server.db'), { readonly: true });
    try {
      const rows = db.prepare('select * from provider_credentials').all();
      expect(rows).toHaveLength(1);
      expect(JSON.stringify(rows)).not.toContain('rt-secret');
      // Only the state's hash was ever kept, and the consent is gone once used.
      expect(db.prepare('select * from provider_consents').all()).toEqual([]);
    } finally {
      db.close();
    }
    const list = await http.ok('listProviders', { token: auth(aMember) });
    expect(list.providers.every((p) => p.offered)).toBe(true);
    expect(list.connections).toEqual([expect.objectContaining({ provider: 'microsoft', scope: 'organisation' })]);
    expect((await http.ok('listProviders', { token: auth(b) })).connections).toEqual([]);
  });

  it("a consent link forwarded to someone else and approved there is refused, not stored under its starter's name", async () => {
    // Another organisation's person, and a colleague of the same organisation, each approve A's link.
    for (const approver of [b, aMember]) {
      const { state, reply } = await consent(a, 'google', 'user', approver);
      expect(reply).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      // Spent: the starter cannot complete it with the approver's code either.
      expect(
        await http.call('completeConsent', { token: auth(a), body: { code: 'code-google-x', state } }),
      ).toMatchObject({ status: 400 });
    }
    const mine = await http.ok('listProviders', { token: auth(a) });
    expect(mine.connections.filter((c) => c.provider === 'google')).toEqual([]);
    // Without a session nothing completes at all.
    expect(await http.call('completeConsent', { body: { code: 'c', state: 's' } })).toMatchObject({ status: 401 });
  });

  it('PKCE: a code from another consent does not complete this one (the fake provider checks the verifier)', async () => {
    const start = () =>
      http.ok('providerConsent', {
        token: auth(aMember),
        body: { provider: 'google', scope: 'user', redirectUri: APP_REDIRECT },
      });
    const [first, second] = [await start(), await start()];
    const stolen = await approve(first.url);
    const mine = await approve(second.url);
    // The first consent's code injected into the second: its verifier does not match the code's challenge.
    const injected = await http.call('completeConsent', {
      token: auth(aMember),
      body: { code: stolen.code, state: mine.state },
    });
    expect(injected.status).toBeGreaterThanOrEqual(400);
    const refusal = fake.requests.findLast((r) => r.path === '/google/token');
    expect(new URLSearchParams(refusal?.body).get('code')).toBe(stolen.code);
    const connections = (await http.ok('listProviders', { token: auth(aMember) })).connections;
    expect(connections.filter((c) => c.provider === 'google')).toEqual([]);
  });

  it('admits only loopback redirects (RFC 8252 §7.3)', async () => {
    const attempt = (redirectUri: string) =>
      http.call('providerConsent', { token: auth(a), body: { provider: 'google', scope: 'user', redirectUri } });
    for (const refused of [
      'https://attacker.example/cb',
      `${server.url}/providers/callback`.replace('127.0.0.1', 'localhost'),
      'http://localhost:53682/providers/callback',
      'http://127.0.0.1/providers/callback',
      'http://127.0.0.1:53682/cb?next=https://attacker.example',
      'http://user@127.0.0.1:53682/cb',
      'tandem://providers/callback',
    ]) {
      expect(await attempt(refused), refused).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    }
    for (const admitted of ['http://127.0.0.1:53682/providers/callback', 'http://[::1]:9/cb']) {
      expect((await attempt(admitted)).status, admitted).toBe(200);
    }
  });

  /** The `meeting.changed` messages about `meeting` an app has heard, each with who changed it. */
  const heard = (ws: WsClient) =>
    ws.received.flatMap((m) => (m.type === 'meeting.changed' && m.meeting.id === meeting.id ? [m.changedBy.id] : []));

  it('creates a Teams meeting for ours and returns it in meeting reads; its invitee hears of it; another organisation gets 404', async () => {
    const invitee = await connectWs(server.url, auth(aMember));
    const created = await http.ok('createLinkedMeeting', {
      token: auth(a),
      params: { meetingId: meeting.id },
      body: { provider: 'microsoft' },
    });
    expect(created).toMatchObject({
      meetingId: meeting.id,
      source: 'created',
      createdWith: 'microsoft',
      externalId: onlineMeeting.id,
      state: 'unknown',
      linked: {
        provider: 'teams',
        meetingId: '3753928424573',
        passcode: 'xd6Qh9',
        conferenceId: '418924075',
        dialIns: expect.arrayContaining([expect.objectContaining({ e164: '+12065550100' })]),
      },
    });
    const posted = fake.requests.find((r) => r.method === 'POST' && r.path === '/v1.0/me/onlineMeetings');
    expect(JSON.parse(posted?.body ?? '{}')).toMatchObject({ subject: 'Partner sync' });
    expect(await http.ok('getLinkedMeeting', { token: auth(aMember), params: { meetingId: meeting.id } })).toEqual({
      linked: created,
    });
    // The invitee's app reads the meeting again (its calendar shows the Teams link without waiting for a resync).
    await expect.poll(() => heard(invitee), SYNC).toEqual([a.user.id]);
    invitee.close();

    const m = { meetingId: meeting.id };
    const outcomes = await Promise.all([
      http.call('getLinkedMeeting', { token: auth(b), params: m }),
      http.call('createLinkedMeeting', { token: auth(b), params: m, body: { provider: 'zoom' } }),
      http.call('attachInvitation', { token: auth(b), params: m, body: { text: TEAMS_INVITATION } }),
      http.call('detachLinkedMeeting', { token: auth(b), params: m }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual([404, 404, 404, 404]);
  });

  it('attaches a pasted Teams invitation, recognised again by the server; hosts only; unknown text is refused; the invitee hears each link made or removed', async () => {
    const invitee = await connectWs(server.url, auth(aMember));
    const attached = await http.ok('attachInvitation', {
      token: auth(a),
      params: { meetingId: meeting.id },
      body: { text: TEAMS_INVITATION },
    });
    expect(attached).toMatchObject({
      source: 'pasted',
      createdWith: null,
      linked: { provider: 'teams', webUrl: TEAMS_JOIN, passcode: 'xd6Qh9', conferenceId: '418924075' },
    });
    expect(
      await http.call('attachInvitation', {
        token: auth(a),
        params: { meetingId: meeting.id },
        body: { text: 'see you at the usual place' },
      }),
    ).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(
      await http.call('attachInvitation', {
        token: auth(aMember),
        params: { meetingId: meeting.id },
        body: { text: TEAMS_INVITATION },
      }),
    ).toMatchObject({ status: 403 });
    await expect.poll(() => heard(invitee), SYNC).toEqual([a.user.id]);
    // Removed and pasted again (so later tests find it linked): each time the invitee hears of it.
    await http.ok('detachLinkedMeeting', { token: auth(a), params: { meetingId: meeting.id } });
    await expect.poll(() => heard(invitee), SYNC).toEqual([a.user.id, a.user.id]);
    await http.ok('attachInvitation', {
      token: auth(a),
      params: { meetingId: meeting.id },
      body: { text: TEAMS_INVITATION },
    });
    await expect.poll(() => heard(invitee), SYNC).toEqual([a.user.id, a.user.id, a.user.id]);
    invitee.close();
  });

  it('connects Zoom Server-to-Server, creates a Zoom meeting, records started from a signed webhook', async () => {
    const zoom = await http.call('connectZoom', {
      token: auth(a),
      body: { accountId: 'acc', clientId: 'cid', clientSecret: 'csecret', webhookSecretToken: 'wh-secret' },
    });
    expect(zoom).toMatchObject({ status: 201, body: { provider: 'zoom', scope: 'organisation' } });
    const tokenCall = fake.requests.find((r) => r.path === '/oauth/token');
    expect(tokenCall?.query.get('grant_type')).toBe('account_credentials');
    expect(tokenCall?.headers.authorization).toBe(`Basic ${Buffer.from('cid:csecret').toString('base64')}`);

    const created = await http.ok('createLinkedMeeting', {
      token: auth(a),
      params: { meetingId: meeting.id },
      body: { provider: 'zoom' },
    });
    expect(created.linked).toMatchObject({ provider: 'zoom', meetingId: '85746065432', phonePasscode: '123456' });

    const deliver = (body: string, secret = 'wh-secret', orgId = a.organisation.id) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
      return fetch(`${server.url}/webhooks/zoom/${orgId}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-zm-request-timestamp': timestamp,
          'x-zm-signature': signature,
        },
        body,
      });
    };
    const challenge = await deliver(
      JSON.stringify({ event: 'endpoint.url_validation', event_ts: Date.now(), payload: { plainToken: 'plain-1' } }),
    );
    expect(await challenge.json()).toEqual({
      plainToken: 'plain-1',
      encryptedToken: createHmac('sha256', 'wh-secret').update('plain-1').digest('hex'),
    });
    const started = JSON.stringify({
      event: 'meeting.started',
      event_ts: Date.now(),
      payload: {
        account_id: 'acc',
        object: { id: '85746065432', uuid: zoomMeeting.uuid, start_time: '2026-11-27T14:01:00Z' },
      },
    });
    expect((await deliver(started, 'forged')).status).toBe(401);
    expect((await deliver(started, 'wh-secret', b.organisation.id)).status).toBe(404);
    expect((await deliver(started)).status).toBe(200);
    const read = await http.ok('getLinkedMeeting', { token: auth(a), params: { meetingId: meeting.id } });
    expect(read.linked).toMatchObject({ state: 'started', stateAt: '2026-11-27T14:01:00.000Z' });
  });

  it('answers a provider rate limit as 429 and the Graph validation handshake as text', async () => {
    provider.override = (r) =>
      r.path === '/v1.0/me/onlineMeetings'
        ? { status: 429, headers: { 'retry-after': '120' }, json: { error: { code: 'TooManyRequests' } } }
        : undefined;
    const limited = await http.call('createLinkedMeeting', {
      token: auth(a),
      params: { meetingId: meeting.id },
      body: { provider: 'microsoft' },
    });
    expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });

    const validation = await fetch(
      `${server.url}/webhooks/graph?validationToken=${encodeURIComponent('Validation: abc 123')}`,
      {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: '',
      },
    );
    expect(validation.status).toBe(200);
    expect(validation.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await validation.text()).toBe('Validation: abc 123');
  });

  it('creates a Zoom meeting from a recurring meeting in its zone; an update and a cancel in Tandem reach Zoom; a refusal is told in plain words', async () => {
    const series = await http.ok('createMeeting', {
      token: auth(a),
      body: {
        title: 'Weekly sync',
        startsAt: '2026-12-07T08:00:00.000Z',
        endsAt: '2026-12-07T08:30:00.000Z',
        timeZone: 'Europe/Berlin',
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 4 } },
      },
    });
    const created = await http.ok('createLinkedMeeting', {
      token: auth(a),
      params: { meetingId: series.id },
      body: { provider: 'zoom' },
    });
    const posted = fake.requests.findLast((r) => r.method === 'POST' && r.path === '/v2/users/me/meetings');
    expect(JSON.parse(posted?.body ?? '{}')).toMatchObject({
      topic: 'Weekly sync',
      duration: 30,
      timezone: 'Europe/Berlin',
    });

    provider.override = (r) =>
      r.method === 'PATCH' && r.path.startsWith('/v2/meetings/') ? { status: 204 } : undefined;
    await http.ok('updateMeeting', {
      token: auth(a),
      params: { meetingId: series.id },
      body: { title: 'Weekly sync v2' },
    });
    const patched = fake.requests.findLast((r) => r.method === 'PATCH');
    expect(patched?.path).toBe(`/v2/meetings/${created.externalId}`);
    expect(JSON.parse(patched?.body ?? '{}')).toMatchObject({ topic: 'Weekly sync v2', timezone: 'Europe/Berlin' });
    // Changing who may share the screen is not the provider's business: nothing is sent.
    const before = fake.requests.length;
    await http.ok('updateMeeting', {
      token: auth(a),
      params: { meetingId: series.id },
      body: { settings: { screenShare: 'hosts' } },
    });
    expect(fake.requests.length).toBe(before);

    provider.override = (r) =>
      r.method === 'PATCH' ? { status: 500, json: { code: 500, message: 'down' } } : undefined;
    const refused = await http.call('updateMeeting', {
      token: auth(a),
      params: { meetingId: series.id },
      body: { title: 'Weekly sync v3' },
    });
    expect(refused).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
    expect(refused.status === 503 && 'error' in refused.body ? refused.body.error.message : '').toMatch(
      /^Saved in Tandem, but the Zoom meeting was not updated: .*Save again to retry, or check the Zoom connection in Settings\.$/,
    );
    expect((await http.ok('getMeeting', { token: auth(a), params: { meetingId: series.id } })).title).toBe(
      'Weekly sync v3',
    );

    provider.override = (r) => (r.method === 'DELETE' ? { status: 204 } : undefined);
    await http.ok('cancelMeeting', { token: auth(a), params: { meetingId: series.id } });
    expect(fake.requests.findLast((r) => r.method === 'DELETE')?.path).toBe(`/v2/meetings/${created.externalId}`);
  });

  it("merges our meetings with the caller's connected Google calendar, linked meetings detected", async () => {
    expect((await consent(aMember, 'google', 'user')).reply.status).toBe(200);
    const calendar = await http.ok('calendar', {
      token: auth(aMember),
      query: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' },
    });
    expect(calendar.failures).toEqual([]);
    expect(calendar.entries).toEqual([
      expect.objectContaining({
        kind: 'imported',
        provider: 'google',
        title: 'Customer call',
        linked: expect.objectContaining({ provider: 'teams', webUrl: TEAMS_JOIN }),
      }),
      expect.objectContaining({
        kind: 'tandem',
        meetingId: meeting.id,
        linked: expect.objectContaining({ provider: 'zoom' }),
      }),
    ]);
    // The organisation's admin has no Google calendar connected, and does not see the member's.
    const admins = await http.ok('calendar', {
      token: auth(a),
      query: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' },
    });
    expect(admins.entries.map((e) => e.kind)).toEqual(['tandem']);
    const theirs = await http.ok('calendar', {
      token: auth(b),
      query: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' },
    });
    expect(theirs.entries).toEqual([]);

    provider.override = (r) => (r.path.startsWith('/calendar/') ? { status: 500, json: {} } : undefined);
    const failing = await http.ok('calendar', {
      token: auth(aMember),
      query: { from: '2026-11-27T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z' },
    });
    expect(failing.failures).toEqual([expect.objectContaining({ provider: 'google', code: 'unavailable' })]);
    expect(failing.entries.map((e) => e.kind)).toEqual(['tandem']);
  });

  it('serves an ICS feed behind its own revocable token, never the access token', async () => {
    const first = await http.ok('createCalendarFeed', { token: auth(aMember), body: {} });
    expect(first.path).toMatch(/^\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    const feed = await fetch(`${server.url}${first.path}`);
    expect(feed.status).toBe(200);
    expect(feed.headers.get('content-type')).toMatch(/^text\/calendar/);
    const ics = await feed.text();
    expect(ics).toContain('BEGIN:VCALENDAR\r\n');
    expect(ics).toContain(`UID:${meeting.id}@tandem`);
    expect(ics).toContain('SUMMARY:Partner sync');
    expect(ics).toContain('DTSTART:20261127T140000Z');
    expect(ics).toContain('URL:https://acme.zoom.us/j/85746065432?pwd=abc');
    expect(ics.replace(/\r\n /g, '')).toContain('Join in Zoom: https://acme.zoom.us/j/85746065432?pwd=abc');
    // Our own link is the https one anyone can open; the app's link follows.
    expect(ics.replace(/\r\n /g, '')).toContain(`Join in Tandem: ${server.url}/j/${meeting.joinCode}`);

    expect((await fetch(`${server.url}/calendar/${auth(aMember)}.ics`)).status).toBe(404);
    const second = await http.ok('createCalendarFeed', { token: auth(aMember), body: {} });
    expect((await fetch(`${server.url}${first.path}`)).status).toBe(404);
    expect((await fetch(`${server.url}${second.path}`)).status).toBe(200);
    await http.ok('revokeCalendarFeed', { token: auth(aMember) });
    expect((await fetch(`${server.url}${second.path}`)).status).toBe(404);
  });

  it('subscribes to a connected Outlook calendar (Graph validation handshake), turns a notification with its clientState into calendar.changed, and renews an expiring subscription', async () => {
    // Graph as documented: before answering the subscription, it POSTs ?validationToken=… to the
    // notificationUrl and needs the token back as text/plain within 10 seconds.
    let handshake = '';
    const expiresSoon = new Date(Date.now() + 3600_000).toISOString();
    provider.override = async (r) => {
      if (r.method === 'POST' && r.path === '/v1.0/subscriptions') {
        const asked = JSON.parse(r.body) as { notificationUrl: string };
        const check = await fetch(
          `${asked.notificationUrl}?validationToken=${encodeURIComponent('Validation: token 1')}`,
          {
            method: 'POST',
            headers: { 'content-type': 'text/plain' },
            body: '',
          },
        );
        handshake = `${check.status} ${check.headers.get('content-type')} ${await check.text()}`;
        if (!handshake.endsWith('Validation: token 1'))
          return { status: 400, json: { error: { code: 'ValidationError' } } };
        // Graph may grant a shorter life than asked: this one expires within the hour.
        return {
          status: 201,
          json: {
            id: 'sub-1',
            resource: 'me/events',
            changeType: 'created,updated,deleted',
            expirationDateTime: expiresSoon,
          },
        };
      }
      if (r.method === 'PATCH' && r.path === '/v1.0/subscriptions/sub-1') {
        const asked = JSON.parse(r.body) as { expirationDateTime: string };
        return { json: { id: 'sub-1', resource: 'me/events', changeType: 'created,updated,deleted', ...asked } };
      }
      return undefined;
    };
    expect((await consent(aMember, 'microsoft', 'user')).reply.status).toBe(200);
    expect(handshake).toMatch(/^200 text\/plain.* Validation: token 1$/);
    const subscribed = fake.requests.findLast((r) => r.path === '/v1.0/subscriptions');
    const asked = JSON.parse(subscribed?.body ?? '{}') as Record<string, string>;
    expect(asked).toMatchObject({
      changeType: 'created,updated,deleted',
      resource: 'me/events',
      notificationUrl: `${server.url}/webhooks/graph`,
    });
    const clientState = asked.clientState ?? '';
    expect(clientState.length).toBeGreaterThanOrEqual(32);

    const ws = await connectWs(server.url, auth(aMember));
    const notify = (state: string) =>
      fetch(`${server.url}/webhooks/graph`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          value: [
            {
              subscriptionId: 'sub-1',
              clientState: state,
              changeType: 'updated',
              resource: 'Users/abc/Events/AAMk1',
              resourceData: { id: 'AAMk1' },
            },
          ],
        }),
      });
    // A forged notification (another clientState) is acknowledged and changes nothing.
    expect((await notify('forged')).status).toBe(202);
    // A malformed one is refused before anything is queued.
    const malformed = await fetch(`${server.url}/webhooks/graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ subscriptionId: 'sub-1', clientState }] }),
    });
    expect(malformed.status).toBe(400);
    // A slow Graph API (the fake Graph holds its answer to the event's read until the test lets it
    // go): the 202 still comes at once, as Graph wants it within 3 seconds; following comes after.
    let letGo = (): void => undefined;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    const subscribing = provider.override;
    provider.override = async (r) => {
      if (r.method === 'GET' && r.path === '/v1.0/me/events/AAMk1') await held;
      return subscribing?.(r);
    };
    const late = new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), 2_500).unref());
    const answered = await Promise.race([notify(clientState), late]);
    expect(answered === 'late' ? answered : answered.status).toBe(202);
    await expect.poll(() => fake.requests.some((r) => r.path === '/v1.0/me/events/AAMk1')).toBe(true);
    expect(ws.received.filter((m) => m.type === 'calendar.changed')).toEqual([]);
    letGo();
    await ws.next('calendar.changed');
    provider.override = subscribing;
    expect(ws.received.filter((m) => m.type === 'calendar.changed')).toEqual([
      { type: 'calendar.changed', provider: 'microsoft' },
    ]);
    ws.close();

    // A new server process on the same database: its renewal sweep extends the expiring subscription.
    await restart();
    await expect
      .poll(() => fake.requests.some((r) => r.method === 'PATCH' && r.path === '/v1.0/subscriptions/sub-1'))
      .toBe(true);
    const renewal = JSON.parse(fake.requests.findLast((r) => r.method === 'PATCH')?.body ?? '{}') as {
      expirationDateTime: string;
    };
    expect(Date.parse(renewal.expirationDateTime) - Date.now()).toBeGreaterThan(24 * 3600_000);
  });

  it('revoking a connection deletes its tokens; creating with it then answers unavailable', async () => {
    expect(
      await http.call('revokeProvider', {
        token: auth(aMember),
        params: { provider: 'zoom' },
        query: { scope: 'organisation' },
      }),
    ).toMatchObject({ status: 403 });
    expect(await http.call('revokeProvider', { token: auth(b), params: { provider: 'zoom' } })).toMatchObject({
      status: 404,
    });
    await http.ok('revokeProvider', { token: auth(a), params: { provider: 'zoom' } });
    // Connecting and revoking are in the audit log, with who did it.
    const log = await http.ok('listAudit', { token: auth(a), query: { target: 'zoom' } });
    expect(log.entries.map((e) => [e.action, e.actor.id, e.detail['scope']])).toEqual([
      ['provider.revoked', a.user.id, 'organisation'],
      ['provider.connected', a.user.id, 'organisation'],
    ]);
    const listed = await http.ok('listProviders', { token: auth(a) });
    expect(listed.connections.map((c) => c.provider)).toEqual(['microsoft']);
    const db = new SqliteDatabase(path.join(dir, 'server.db'), { readonly: true });
    try {
      expect(db.prepare("select count(*) as n from provider_credentials where provider = 'zoom'").get()).toEqual({
        n: 0,
      });
    } finally {
      db.close();
    }
    expect(
      await http.call('createLinkedMeeting', {
        token: auth(a),
        params: { meetingId: meeting.id },
        body: { provider: 'zoom' },
      }),
    ).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
  });
});

describe('linked meetings on a server without provider settings', () => {
  it('offers no provider and answers unavailable', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-linked-off-'));
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      livekit: { wsUrl: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, tokenTtlSeconds: 60 },
      databasePath: path.join(dir, 'server.db'),
      logLevel: 'warn',
      seedDemo: false,
      auth: { accessTtlSeconds: 900, refreshTtlSeconds: 3600, refreshGraceSeconds: 30 },
      rateLimits: { signInPerMinute: 1000, signUpPerMinute: 1000, messagesPerMinute: 1000, scimPerMinute: 1000 },
    });
    try {
      const http = api(server.url);
      const owner = await signUp(http, 'linked-off');
      const token = owner.tokens.accessToken;
      expect((await http.ok('listProviders', { token })).providers.some((p) => p.offered)).toBe(false);
      expect(
        await http.call('providerConsent', {
          token,
          body: { provider: 'google', scope: 'user', redirectUri: APP_REDIRECT },
        }),
      ).toMatchObject({ status: 503, body: { error: { code: 'unavailable' } } });
      const m = await http.ok('createMeeting', { token, body: { title: 'Ours only' } });
      expect(
        await http.call('createLinkedMeeting', { token, params: { meetingId: m.id }, body: { provider: 'zoom' } }),
      ).toMatchObject({ status: 503 });
      // Pasting needs no provider account.
      expect(
        await http.call('attachInvitation', { token, params: { meetingId: m.id }, body: { text: TEAMS_INVITATION } }),
      ).toMatchObject({ status: 200, body: { linked: { provider: 'teams' } } });
    } finally {
      await server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('linked meeting configuration from the environment', () => {
  const base = {
    LIVEKIT_URL: 'ws://127.0.0.1:7880',
    LIVEKIT_API_KEY: 'key',
    LIVEKIT_API_SECRET: 'a-secret-of-at-least-thirty-two-characters',
  };

  it('offers no provider without a vault keyring, and only the providers whose settings are complete', () => {
    expect(loadConfig({ ...base, MICROSOFT_CLIENT_ID: 'ms', MICROSOFT_CLIENT_SECRET: 's' }).linked).toBeUndefined();
    const config = loadConfig({
      ...base,
      PROVIDER_TOKEN_KEYS: 'k1:abc',
      MICROSOFT_CLIENT_ID: 'ms',
      MICROSOFT_CLIENT_SECRET: 's',
      MICROSOFT_TENANT: 'contoso.onmicrosoft.com',
      GOOGLE_CLIENT_ID: 'g-without-secret',
      ZOOM_ENABLED: '1',
    });
    expect(config.linked).toEqual({
      tokenKeys: 'k1:abc',
      providers: {
        microsoft: { clientId: 'ms', clientSecret: 's', tenant: 'contoso.onmicrosoft.com' },
        zoom: {},
      },
    });
  });
});
