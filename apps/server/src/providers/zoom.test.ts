import { createHmac, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionTokenSource } from './connections.ts';
import {
  recordingRuntime,
  startFakeApi,
  type FakeApi,
  type FakeReply,
  type RecordedRequest,
} from './testing/fakeApi.ts';
import { createTokenVault, inMemoryCredentialStore, parseVaultKeyring, type CredentialKey } from './tokenVault.ts';
import { zoomProvider } from './zoom.ts';
import { handleZoomWebhook, verifyZoomSignature } from './zoomWebhook.ts';

const key: CredentialKey = { orgId: 'acme', provider: 'zoom' };

/** Meeting object as documented for POST /users/{userId}/meetings (201). */
const created = {
  uuid: 'aDYlohsHRtCd4ii1uC2+hA==',
  id: 85746065432,
  host_id: 'KDcuGIm1QgePTO8WbOqwIQ',
  topic: 'Partner sync',
  type: 2,
  start_time: '2026-11-27T14:00:00Z',
  duration: 45,
  timezone: 'UTC',
  created_at: '2026-11-26T09:00:00Z',
  join_url: 'https://us05web.zoom.us/j/85746065432?pwd=T3ZqWkR6bXlPUWNjQ0V3UE5sZz09',
  password: 'a1B2c3',
  h323_password: '123456',
  pstn_password: '123456',
  encrypted_password: 'T3ZqWkR6bXlPUWNjQ0V3UE5sZz09',
  settings: {
    audio: 'both',
    global_dial_in_numbers: [
      { country_name: 'US', city: 'San Jose', number: '+1 669 900 6833', type: 'toll', country: 'US' },
      { country_name: 'Germany', number: '+49 69 3807 9883', type: 'toll', country: 'DE' },
      { country_name: 'US', number: '+1 888 788 0099', type: 'tollfree', country: 'US' },
    ],
  },
};

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Fake Zoom OAuth + REST API; tokens in `expired` get Zoom's documented 401 body. */
async function fakeZoom(
  route: (request: RecordedRequest) => FakeReply | undefined,
  expired: ReadonlySet<string> = new Set(),
) {
  let issued = 0;
  api = await startFakeApi((request) => {
    if (request.path === '/oauth/token') {
      issued += 1;
      return {
        json: {
          access_token: `zoom-at-${issued}`,
          token_type: 'bearer',
          expires_in: 3599,
          scope: 'meeting:write:admin',
        },
      };
    }
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!token.startsWith('zoom-at-') || expired.has(token)) {
      return { status: 401, json: { code: 124, message: 'Invalid access token.' } };
    }
    return route(request) ?? { status: 404, json: { code: 3001, message: 'Meeting does not exist: 1.' } };
  });
  const vault = createTokenVault(
    inMemoryCredentialStore(),
    parseVaultKeyring(`k1:${randomBytes(32).toString('base64')}`),
  );
  await vault.put(key, { kind: 'zoom_s2s', accountId: 'acc', clientId: 'cid', clientSecret: 'cs' });
  const runtime = recordingRuntime();
  const tokens = connectionTokenSource(vault, key, { kind: 'zoom_s2s', tokenUrl: `${api.url}/oauth/token` }, runtime);
  return { api, runtime, zoom: zoomProvider(tokens, { baseUrl: api.url, runtime }) };
}

describe('Zoom adapter: fake Zoom API (local HTTP, documented wire format)', () => {
  it('creates a scheduled meeting and reads id, passcodes, join link and dial-in numbers', async () => {
    const { api, zoom } = await fakeZoom((r) =>
      r.method === 'POST' && r.path === '/v2/users/me/meetings' ? { status: 201, json: created } : undefined,
    );
    const meeting = await zoom.createMeeting({
      title: 'Partner sync',
      startsAt: new Date('2026-11-27T14:00:00Z'),
      endsAt: new Date('2026-11-27T14:45:00Z'),
      description: 'Roadmap',
      requestId: 'r1',
    });
    expect(meeting).toEqual({
      platform: 'zoom',
      externalId: '85746065432',
      joinUrl: created.join_url,
      meetingId: '85746065432',
      passcode: 'a1B2c3',
      phonePasscode: '123456',
      dialIns: [
        { number: '+1 669 900 6833', label: 'San Jose, US', tollFree: false },
        { number: '+49 69 3807 9883', label: 'Germany', tollFree: false },
        { number: '+1 888 788 0099', label: 'US', tollFree: true },
      ],
      startsAt: '2026-11-27T14:00:00.000Z',
      endsAt: '2026-11-27T14:45:00.000Z',
      // Its room connector by Zoom's dial string, with the room-system passcode (h323_password).
      sipBridge: { address: 'sip:85746065432.123456@zoomcrc.com', code: null },
    });
    const request = api.requests.find((r) => r.path === '/v2/users/me/meetings');
    expect(request?.headers.authorization).toBe('Bearer zoom-at-1');
    expect(JSON.parse(request?.body ?? '')).toEqual({
      topic: 'Partner sync',
      type: 2,
      start_time: '2026-11-27T14:00:00Z',
      duration: 45,
      timezone: 'UTC',
      agenda: 'Roadmap',
      settings: { audio: 'both', join_before_host: false, waiting_room: true },
    });
  });

  it('gets a new account token after a 401 and retries, and waits out a 429 Retry-After', async () => {
    let calls = 0;
    const { api, zoom, runtime } = await fakeZoom(
      (r) => {
        if (r.path !== '/v2/meetings/85746065432') return undefined;
        calls += 1;
        return calls === 1
          ? {
              status: 429,
              headers: { 'retry-after': '1' },
              json: {
                code: 429,
                message: 'You have reached the maximum per-second rate limit for this API. Try again later.',
              },
            }
          : { json: created };
      },
      new Set(['zoom-at-1']),
    );
    await expect(zoom.getMeeting('85746065432')).resolves.toMatchObject({ meetingId: '85746065432' });
    expect(api.requests.map((r) => `${r.path} ${r.headers.authorization?.split(' ')[0] ?? ''}`)).toEqual([
      '/oauth/token Basic',
      '/v2/meetings/85746065432 Bearer',
      '/oauth/token Basic',
      '/v2/meetings/85746065432 Bearer',
      '/v2/meetings/85746065432 Bearer',
    ]);
    expect(runtime.slept).toEqual([1_000]);
  });

  it('answers not_found for a deleted meeting', async () => {
    const { zoom } = await fakeZoom(() => undefined);
    await expect(zoom.getMeeting('1')).rejects.toMatchObject({ provider: 'zoom', code: 'not_found' });
  });

  it('treats a meeting without a join link as a malformed response', async () => {
    const { zoom } = await fakeZoom(() => ({ json: { ...created, join_url: undefined } }));
    await expect(zoom.getMeeting('85746065432')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('lists upcoming meetings inside the window, following next_page_token', async () => {
    const { api, zoom } = await fakeZoom((r) => {
      if (r.path !== '/v2/users/me/meetings') return undefined;
      const meetingAt = (id: number, start: string) => ({ ...created, id, start_time: start, topic: `m${id}` });
      return r.query.get('next_page_token') === null
        ? {
            json: {
              page_size: 300,
              next_page_token: 'p2',
              meetings: [meetingAt(1, '2026-11-27T09:00:00Z'), meetingAt(2, '2026-12-24T09:00:00Z')],
            },
          }
        : { json: { page_size: 300, next_page_token: '', meetings: [meetingAt(3, '2026-11-28T09:00:00Z')] } };
    });
    const events = await zoom.listEvents({
      start: new Date('2026-11-26T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    });
    expect(events.map((e) => [e.externalId, e.startsAt, e.endsAt])).toEqual([
      ['1', '2026-11-27T09:00:00.000Z', '2026-11-27T09:45:00.000Z'],
      ['3', '2026-11-28T09:00:00.000Z', '2026-11-28T09:45:00.000Z'],
    ]);
    const pages = api.requests.filter((r) => r.path === '/v2/users/me/meetings');
    expect(pages.map((r) => Object.fromEntries(r.query))).toEqual([
      { type: 'upcoming', page_size: '300' },
      { type: 'upcoming', page_size: '300', next_page_token: 'p2' },
    ]);
  });
});

describe('Zoom webhooks (signature and URL validation as documented)', () => {
  const secretToken = 'zoom-secret-token';
  const nowMs = Date.parse('2026-11-26T10:00:00Z');
  const sign = (timestamp: string, body: string, secret = secretToken) =>
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const deliver = (body: string, headers: Record<string, string | undefined> = {}) => {
    const timestamp = String(Math.floor(nowMs / 1000));
    return handleZoomWebhook({
      secretToken,
      rawBody: body,
      nowMs,
      headers: { 'x-zm-request-timestamp': timestamp, 'x-zm-signature': sign(timestamp, body), ...headers },
    });
  };

  it('answers the endpoint.url_validation challenge with the HMAC of plainToken', () => {
    const body = JSON.stringify({
      payload: { plainToken: 'qgg8vlvZRS6UYooatFL8Aw' },
      event_ts: 1654503849680,
      event: 'endpoint.url_validation',
    });
    expect(deliver(body)).toEqual({
      kind: 'reply',
      status: 200,
      body: {
        plainToken: 'qgg8vlvZRS6UYooatFL8Aw',
        encryptedToken: createHmac('sha256', secretToken).update('qgg8vlvZRS6UYooatFL8Aw').digest('hex'),
      },
    });
  });

  it('turns meeting.started and meeting.ended into state changes', () => {
    const event = (name: string, object: Record<string, unknown>) =>
      JSON.stringify({
        event: name,
        event_ts: 1795687200000,
        payload: {
          account_id: 'acc',
          object: {
            id: '85746065432',
            uuid: 'aDYlohsHRtCd4ii1uC2+hA==',
            host_id: 'h',
            topic: 'Partner sync',
            type: 2,
            ...object,
          },
        },
      });
    expect(deliver(event('meeting.started', { start_time: '2026-11-27T14:01:10Z' }))).toEqual({
      kind: 'state',
      status: 200,
      change: {
        provider: 'zoom',
        meetingId: '85746065432',
        instanceId: 'aDYlohsHRtCd4ii1uC2+hA==',
        state: 'started',
        at: '2026-11-27T14:01:10Z',
      },
    });
    expect(
      deliver(event('meeting.ended', { start_time: '2026-11-27T14:01:10Z', end_time: '2026-11-27T14:50:00Z' })),
    ).toMatchObject({
      change: { state: 'ended', at: '2026-11-27T14:50:00Z' },
    });
  });

  it('rejects a forged, altered, missing or stale signature', () => {
    const body = JSON.stringify({
      event: 'meeting.ended',
      event_ts: 1,
      payload: { account_id: 'a', object: { id: 1, uuid: 'u' } },
    });
    const timestamp = String(Math.floor(nowMs / 1000));
    expect(deliver(body, { 'x-zm-signature': sign(timestamp, body, 'wrong-secret') })).toMatchObject({
      kind: 'rejected',
      status: 401,
      reason: 'bad_signature',
    });
    expect(deliver(`${body} `, { 'x-zm-signature': sign(timestamp, body) })).toMatchObject({ reason: 'bad_signature' });
    expect(deliver(body, { 'x-zm-signature': undefined })).toMatchObject({ reason: 'missing_headers' });
    const old = String(Math.floor(nowMs / 1000) - 600);
    expect(deliver(body, { 'x-zm-request-timestamp': old, 'x-zm-signature': sign(old, body) })).toMatchObject({
      reason: 'stale',
    });
    expect(
      verifyZoomSignature({
        secretToken,
        signature: sign(old, body),
        timestamp: old,
        rawBody: body,
        nowMs,
        toleranceMs: 900_000,
      }),
    ).toEqual({ ok: true });
  });

  it('acknowledges events it does not track and rejects malformed ones', () => {
    expect(deliver(JSON.stringify({ event: 'recording.completed', payload: {} }))).toEqual({
      kind: 'ignored',
      status: 200,
    });
    expect(deliver(JSON.stringify({ event: 'meeting.started', payload: {} }))).toMatchObject({
      kind: 'rejected',
      status: 400,
    });
    expect(deliver('not json')).toMatchObject({ kind: 'rejected', status: 400 });
  });
});
