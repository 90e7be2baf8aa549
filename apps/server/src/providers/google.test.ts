import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionTokenSource } from './connections.ts';
import { googleProvider } from './google.ts';
import {
  recordingRuntime,
  startFakeApi,
  type FakeApi,
  type FakeReply,
  type RecordedRequest,
} from './testing/fakeApi.ts';
import { createTokenVault, inMemoryCredentialStore, parseVaultKeyring, type CredentialKey } from './tokenVault.ts';

const key: CredentialKey = { orgId: 'acme', provider: 'google', userId: 'grace' };
const EVENTS = '/calendar/v3/calendars/primary/events';

/** Event resource with a Meet conference, as Calendar API v3 documents it. */
function eventWithMeet(statusCode: 'pending' | 'success' | 'failure') {
  return {
    kind: 'calendar#event',
    id: 'evt123',
    status: 'confirmed',
    htmlLink: 'https://www.google.com/calendar/event?eid=ZXZ0MTIz',
    summary: 'Design review',
    start: { dateTime: '2026-11-27T15:00:00+01:00', timeZone: 'Europe/Berlin' },
    end: { dateTime: '2026-11-27T16:00:00+01:00', timeZone: 'Europe/Berlin' },
    ...(statusCode === 'success' ? { hangoutLink: 'https://meet.google.com/abc-mnop-xyz' } : {}),
    conferenceData: {
      createRequest: {
        requestId: 'req-1',
        conferenceSolutionKey: { type: 'hangoutsMeet' },
        status: { statusCode },
      },
      ...(statusCode === 'success'
        ? {
            entryPoints: [
              {
                entryPointType: 'video',
                uri: 'https://meet.google.com/abc-mnop-xyz',
                label: 'meet.google.com/abc-mnop-xyz',
              },
              {
                entryPointType: 'phone',
                uri: 'tel:+1-650-555-0123',
                label: '+1 650-555-0123',
                pin: '123456789',
                regionCode: 'US',
              },
              { entryPointType: 'more', uri: 'https://tel.meet/abc-mnop-xyz?pin=123456789', pin: '123456789' },
            ],
            conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
            conferenceId: 'abc-mnop-xyz',
          }
        : {}),
    },
  };
}

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Fake Google OAuth + Calendar API; tokens in `expired` get the documented 401 answer. */
async function fakeGoogle(
  route: (request: RecordedRequest) => FakeReply | undefined,
  expired: ReadonlySet<string> = new Set(),
) {
  let issued = 0;
  api = await startFakeApi((request) => {
    if (request.path === '/token') {
      issued += 1;
      // Google does not rotate refresh tokens on refresh: no refresh_token in the answer.
      return {
        json: {
          access_token: `ya29.at-${issued}`,
          expires_in: 3599,
          scope: 'https://www.googleapis.com/auth/calendar.events',
          token_type: 'Bearer',
        },
      };
    }
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!token.startsWith('ya29.') || expired.has(token)) {
      return {
        status: 401,
        headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
        json: {
          error: { code: 401, message: 'Request had invalid authentication credentials.', status: 'UNAUTHENTICATED' },
        },
      };
    }
    return (
      route(request) ?? {
        status: 404,
        json: { error: { code: 404, message: 'Not Found', errors: [{ domain: 'global', reason: 'notFound' }] } },
      }
    );
  });
  const vault = createTokenVault(
    inMemoryCredentialStore(),
    parseVaultKeyring(`k1:${randomBytes(32).toString('base64')}`),
  );
  await vault.put(key, { kind: 'oauth', refreshToken: '1//refresh' });
  const runtime = recordingRuntime();
  const tokens = connectionTokenSource(
    vault,
    key,
    {
      kind: 'oauth',
      client: {
        provider: 'google',
        authorizeUrl: `${api.url}/o/oauth2/v2/auth`,
        tokenUrl: `${api.url}/token`,
        clientId: 'gid',
        clientSecret: 'gsecret',
        scopes: ['https://www.googleapis.com/auth/calendar.events'],
      },
    },
    runtime,
  );
  return { api, runtime, vault, google: googleProvider(tokens, { baseUrl: api.url, runtime }) };
}

const input = {
  title: 'Design review',
  startsAt: new Date('2026-11-27T14:00:00Z'),
  endsAt: new Date('2026-11-27T15:00:00Z'),
  requestId: 'req-1',
};

describe('Google adapter: fake Calendar API (local HTTP, documented wire format)', () => {
  it('creates an event with a Meet conference and reads code, phone entry point and PIN', async () => {
    const { api, google } = await fakeGoogle((r) =>
      r.method === 'POST' && r.path === EVENTS ? { json: eventWithMeet('success') } : undefined,
    );
    expect(await google.createMeeting(input)).toEqual({
      platform: 'meet',
      externalId: 'evt123',
      joinUrl: 'https://meet.google.com/abc-mnop-xyz',
      meetingId: 'abc-mnop-xyz',
      passcode: null,
      pin: '123456789',
      dialIns: [{ number: '+1 650-555-0123', label: 'US', tollFree: false }],
      startsAt: '2026-11-27T14:00:00.000Z',
      endsAt: '2026-11-27T15:00:00.000Z',
    });
    const create = api.requests.find((r) => r.path === EVENTS);
    expect(create?.query.get('conferenceDataVersion')).toBe('1');
    expect(create?.headers.authorization).toBe('Bearer ya29.at-1');
    expect(JSON.parse(create?.body ?? '')).toEqual({
      summary: 'Design review',
      start: { dateTime: '2026-11-27T14:00:00.000Z' },
      end: { dateTime: '2026-11-27T15:00:00.000Z' },
      conferenceData: { createRequest: { requestId: 'req-1', conferenceSolutionKey: { type: 'hangoutsMeet' } } },
    });
  });

  it('polls the event while the conference create request is pending', async () => {
    let reads = 0;
    const { api, google, runtime } = await fakeGoogle((r) => {
      if (r.method === 'POST' && r.path === EVENTS) return { json: eventWithMeet('pending') };
      if (r.method === 'GET' && r.path === `${EVENTS}/evt123`) {
        reads += 1;
        return { json: eventWithMeet(reads < 2 ? 'pending' : 'success') };
      }
      return undefined;
    });
    await expect(google.createMeeting(input)).resolves.toMatchObject({ meetingId: 'abc-mnop-xyz', pin: '123456789' });
    expect(api.requests.filter((r) => r.path === `${EVENTS}/evt123`)).toHaveLength(2);
    expect(runtime.slept).toEqual([1_000, 1_000]);
  });

  it('reports a failed conference create and a conference that stays pending', async () => {
    const failed = await fakeGoogle((r) =>
      r.path.startsWith(EVENTS) ? { json: eventWithMeet('failure') } : undefined,
    );
    await expect(failed.google.createMeeting(input)).rejects.toMatchObject({ code: 'bad_response' });
    await failed.api.close();
    const stuck = await fakeGoogle((r) => (r.path.startsWith(EVENTS) ? { json: eventWithMeet('pending') } : undefined));
    await expect(stuck.google.createMeeting(input)).rejects.toMatchObject({ code: 'unavailable', retryAfterMs: 1_000 });
    expect(stuck.runtime.slept).toHaveLength(5);
  });

  it('refreshes on 401 invalid_token and keeps the refresh token Google did not rotate', async () => {
    const { google, vault } = await fakeGoogle(
      (r) => (r.path === `${EVENTS}/evt123` ? { json: eventWithMeet('success') } : undefined),
      new Set(['ya29.at-1']),
    );
    await expect(google.getMeeting('evt123')).resolves.toMatchObject({ externalId: 'evt123' });
    expect(await vault.get(key)).toEqual({ kind: 'oauth', refreshToken: '1//refresh' });
  });

  it('backs off on 403 rateLimitExceeded, then gives up with rate_limited', async () => {
    const { api, google, runtime } = await fakeGoogle(() => ({
      status: 403,
      json: {
        error: {
          code: 403,
          message: 'Rate Limit Exceeded',
          errors: [{ domain: 'usageLimits', reason: 'rateLimitExceeded', message: 'Rate Limit Exceeded' }],
        },
      },
    }));
    await expect(google.getMeeting('evt123')).rejects.toMatchObject({ code: 'rate_limited' });
    expect(api.requests.filter((r) => r.path !== '/token')).toHaveLength(3);
    expect(runtime.slept).toEqual([1_000, 2_000]);
  });

  it('answers unauthorized for a 403 that is not about quota', async () => {
    const { google } = await fakeGoogle(() => ({
      status: 403,
      json: {
        error: { code: 403, message: 'Insufficient Permission', errors: [{ reason: 'insufficientPermissions' }] },
      },
    }));
    await expect(google.getMeeting('evt123')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('lists single events across pages, skipping cancelled ones and placing all-day events', async () => {
    const { api, google } = await fakeGoogle((r) => {
      if (r.path !== EVENTS) return undefined;
      if (r.query.get('pageToken') === null) {
        return {
          json: {
            kind: 'calendar#events',
            nextPageToken: 'page-2',
            items: [
              {
                ...eventWithMeet('success'),
                description:
                  '<b>Agenda</b><br>Join: <a href="https://meet.google.com/abc-mnop-xyz">meet.google.com/abc-mnop-xyz</a>',
              },
              {
                id: 'gone',
                status: 'cancelled',
                start: { dateTime: '2026-11-27T09:00:00Z' },
                end: { dateTime: '2026-11-27T10:00:00Z' },
              },
            ],
          },
        };
      }
      return {
        json: {
          items: [
            {
              id: 'allday',
              status: 'confirmed',
              summary: 'Holiday',
              start: { date: '2026-11-28' },
              end: { date: '2026-11-29' },
              location: 'https://acme.zoom.us/j/85746065432?pwd=abc',
            },
          ],
        },
      };
    });
    const events = await google.listEvents({
      start: new Date('2026-11-26T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    });
    expect(events).toEqual([
      {
        provider: 'google',
        externalId: 'evt123',
        title: 'Design review',
        startsAt: '2026-11-27T14:00:00.000Z',
        endsAt: '2026-11-27T15:00:00.000Z',
        allDay: false,
        location: null,
        bodyText: 'Agenda\nJoin: meet.google.com/abc-mnop-xyz https://meet.google.com/abc-mnop-xyz',
        joinUrl: 'https://meet.google.com/abc-mnop-xyz',
        webLink: 'https://www.google.com/calendar/event?eid=ZXZ0MTIz',
      },
      {
        provider: 'google',
        externalId: 'allday',
        title: 'Holiday',
        startsAt: '2026-11-28T00:00:00.000Z',
        endsAt: '2026-11-29T00:00:00.000Z',
        allDay: true,
        location: 'https://acme.zoom.us/j/85746065432?pwd=abc',
        bodyText: null,
        joinUrl: null,
        webLink: null,
      },
    ]);
    const [first, second] = api.requests.filter((r) => r.path === EVENTS);
    expect(Object.fromEntries(first?.query ?? [])).toEqual({
      timeMin: '2026-11-26T00:00:00.000Z',
      timeMax: '2026-12-03T00:00:00.000Z',
      singleEvents: 'true',
      orderBy: 'startTime',
      maxResults: '250',
    });
    expect(second?.query.get('pageToken')).toBe('page-2');
  });

  it('refuses to describe an add-on conference that is not Meet', async () => {
    const zoomAddOn = {
      ...eventWithMeet('success'),
      conferenceData: {
        conferenceId: '85746065432',
        conferenceSolution: { key: { type: 'addOn' }, name: 'Zoom Meeting' },
        entryPoints: [{ entryPointType: 'video', uri: 'https://acme.zoom.us/j/85746065432' }],
      },
    };
    const { google } = await fakeGoogle(() => ({ json: zoomAddOn }));
    await expect(google.getMeeting('evt123')).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('rejects an event without times as bad_response', async () => {
    const { google } = await fakeGoogle(() => ({ json: { items: [{ id: 'x', start: {}, end: {} }] } }));
    await expect(google.listEvents({ start: new Date(), end: new Date() })).rejects.toMatchObject({
      code: 'bad_response',
    });
  });
});
