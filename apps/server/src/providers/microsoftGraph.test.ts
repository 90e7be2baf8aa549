import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectionTokenSource } from './connections.ts';
import {
  createGraphSubscription,
  graphRule,
  graphValidationResponse,
  handleGraphWebhook,
  microsoftGraphProvider,
  parseGraphNotifications,
  renewGraphSubscription,
} from './microsoftGraph.ts';
import {
  recordingRuntime,
  startFakeApi,
  type FakeApi,
  type FakeReply,
  type RecordedRequest,
} from './testing/fakeApi.ts';
import { TEAMS_VTC, teamsJoinInformation } from './testing/fakeProviders.ts';
import { createTokenVault, inMemoryCredentialStore, parseVaultKeyring, type CredentialKey } from './tokenVault.ts';

const key: CredentialKey = { orgId: 'acme', provider: 'microsoft', userId: 'ada' };
const JOIN =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjQ4ZTg2%40thread.v2/0?context=%7b%22Tid%22%3a%2272f988bf%22%2c%22Oid%22%3a%22550fae72%22%7d';

/** onlineMeeting as documented for POST /me/onlineMeetings (201). */
const onlineMeeting = {
  id: 'MSpkYzE3NjRmNi1jMTc0LTQ2NTAtYmJkYS0wNjZlMjNiMzhiZjEqMCoqMTk6bWVldGluZ19OalE0',
  creationDateTime: '2026-11-26T09:00:00.1234567Z',
  startDateTime: '2026-11-27T14:00:00Z',
  endDateTime: '2026-11-27T15:00:00Z',
  joinWebUrl: JOIN,
  subject: 'Quarterly review',
  joinMeetingIdSettings: { isPasscodeRequired: true, joinMeetingId: '3753928424573', passcode: 'xd6Qh9' },
  audioConferencing: {
    conferenceId: '418924075',
    tollNumber: '+12065550100',
    tollFreeNumber: '+18005550100',
    tollNumbers: ['+12065550100', '+442035550100'],
    tollFreeNumbers: ['+18005550100'],
    dialinUrl: 'https://dialin.teams.microsoft.com/8551f4c1?id=418924075',
  },
  chatInfo: { threadId: '19:meeting_NjQ4ZTg2@thread.v2', messageId: '0' },
  joinInformation: teamsJoinInformation(JOIN),
  videoTeleconferenceId: TEAMS_VTC.videoId,
};

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Route = (request: RecordedRequest) => FakeReply | undefined;

/**
 * Fake Microsoft identity platform + Graph. The token endpoint issues numbered tokens; tokens
 * listed in `expired` are refused by Graph with the documented 401 error body.
 */
async function fakeGraph(route: Route, expired: ReadonlySet<string> = new Set()) {
  let issued = 0;
  api = await startFakeApi((request) => {
    if (request.path === '/tenant/oauth2/v2.0/token') {
      issued += 1;
      return {
        json: {
          token_type: 'Bearer',
          expires_in: 3599,
          access_token: `graph-at-${issued}`,
          refresh_token: `rt-${issued}`,
        },
      };
    }
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!token.startsWith('graph-at-') || expired.has(token)) {
      return {
        status: 401,
        json: {
          error: { code: 'InvalidAuthenticationToken', message: 'Lifetime validation failed, the token is expired.' },
        },
      };
    }
    return route(request) ?? { status: 404, json: { error: { code: 'NotFound', message: 'not routed' } } };
  });
  const vault = createTokenVault(
    inMemoryCredentialStore(),
    parseVaultKeyring(`k1:${randomBytes(32).toString('base64')}`),
  );
  await vault.put(key, { kind: 'oauth', refreshToken: 'rt-0' });
  const runtime = recordingRuntime();
  const tokens = connectionTokenSource(
    vault,
    key,
    {
      kind: 'oauth',
      client: {
        provider: 'microsoft',
        authorizeUrl: `${api.url}/tenant/oauth2/v2.0/authorize`,
        tokenUrl: `${api.url}/tenant/oauth2/v2.0/token`,
        clientId: 'app',
        clientSecret: 'secret',
        scopes: ['offline_access', 'OnlineMeetings.ReadWrite', 'Calendars.Read'],
      },
    },
    runtime,
  );
  return { api, tokens, runtime, vault, graph: microsoftGraphProvider(tokens, { baseUrl: api.url, runtime }) };
}

describe('Microsoft Graph adapter: fake Graph API (local HTTP, documented wire format)', () => {
  it('creates a Teams online meeting and reads join link, meeting id, passcode and phone bridge', async () => {
    const { api, graph } = await fakeGraph((r) =>
      r.method === 'POST' && r.path === '/v1.0/me/onlineMeetings' ? { status: 201, json: onlineMeeting } : undefined,
    );
    const meeting = await graph.createMeeting({
      title: 'Quarterly review',
      startsAt: new Date('2026-11-27T14:00:00Z'),
      endsAt: new Date('2026-11-27T15:00:00Z'),
      requestId: 'r1',
    });
    expect(meeting).toEqual({
      platform: 'teams',
      externalId: onlineMeeting.id,
      joinUrl: JOIN,
      meetingId: '3753928424573',
      passcode: 'xd6Qh9',
      conferenceId: '418924075',
      dialInInfoUrl: 'https://dialin.teams.microsoft.com/8551f4c1?id=418924075',
      dialIns: [
        { number: '+12065550100', label: null, tollFree: false },
        { number: '+442035550100', label: null, tollFree: false },
        { number: '+18005550100', label: null, tollFree: true },
      ],
      startsAt: '2026-11-27T14:00:00.000Z',
      endsAt: '2026-11-27T15:00:00.000Z',
      // The video conferencing device section of its join information (HTML in a data URL).
      sipBridge: { address: `sip:${TEAMS_VTC.tenantKey}`, code: TEAMS_VTC.videoId },
    });
    const create = api.requests.find((r) => r.path === '/v1.0/me/onlineMeetings');
    expect(create?.headers.authorization).toBe('Bearer graph-at-1');
    expect(JSON.parse(create?.body ?? '')).toEqual({
      subject: 'Quarterly review',
      startDateTime: '2026-11-27T14:00:00.000Z',
      endDateTime: '2026-11-27T15:00:00.000Z',
    });
  });

  it('refreshes an expired token (401 InvalidAuthenticationToken) and retries once', async () => {
    const { api, graph, vault } = await fakeGraph(
      (r) => (r.path === `/v1.0/me/onlineMeetings/${onlineMeeting.id}` ? { json: onlineMeeting } : undefined),
      new Set(['graph-at-1']),
    );
    await expect(graph.getMeeting(onlineMeeting.id)).resolves.toMatchObject({ conferenceId: '418924075' });
    expect(api.requests.map((r) => `${r.method} ${r.path} ${r.headers.authorization ?? ''}`)).toEqual([
      'POST /tenant/oauth2/v2.0/token ',
      `GET /v1.0/me/onlineMeetings/${onlineMeeting.id} Bearer graph-at-1`,
      'POST /tenant/oauth2/v2.0/token ',
      `GET /v1.0/me/onlineMeetings/${onlineMeeting.id} Bearer graph-at-2`,
    ]);
    // Microsoft rotates refresh tokens; the newest one is what the vault keeps.
    expect(await vault.get(key)).toMatchObject({ refreshToken: 'rt-2' });
  });

  it('answers not_found for a meeting Graph does not know', async () => {
    const { graph } = await fakeGraph(() => undefined);
    await expect(graph.getMeeting('nope')).rejects.toMatchObject({ provider: 'microsoft', code: 'not_found' });
  });

  it('rejects a malformed onlineMeeting as bad_response', async () => {
    const { graph } = await fakeGraph(() => ({ status: 201, json: { id: 'x', joinWebUrl: 42 } }));
    await expect(
      graph.createMeeting({ title: 't', startsAt: new Date(), endsAt: new Date(), requestId: 'r' }),
    ).rejects.toMatchObject({ code: 'bad_response' });
  });

  it('lists the calendar view in UTC across pages, reading join links from onlineMeeting and HTML bodies', async () => {
    const { api, graph, runtime } = await fakeGraph((r) => {
      if (r.path !== '/v1.0/me/calendarView') return undefined;
      if (r.query.get('$skip') === null && r.query.get('startDateTime') !== null) {
        // Graph throttles with 429 and Retry-After in seconds.
        if (api.requests.filter((x) => x.path === '/v1.0/me/calendarView').length === 1) {
          return { status: 429, headers: { 'retry-after': '3' }, json: { error: { code: 'TooManyRequests' } } };
        }
        return {
          json: {
            value: [
              {
                id: 'AAMk-1',
                subject: 'Weekly sync',
                isAllDay: false,
                isCancelled: false,
                start: { dateTime: '2026-11-26T10:00:00.0000000', timeZone: 'UTC' },
                end: { dateTime: '2026-11-26T10:30:00.0000000', timeZone: 'UTC' },
                location: { displayName: 'Microsoft Teams Meeting' },
                body: {
                  contentType: 'html',
                  content: `<html><body><div>Join: <a href="${JOIN}">Click here to join the meeting</a></div><div>+1 206-555-0100,,418924075# United States, Seattle</div><p>Phone conference ID: 418 924 075#</p></body></html>`,
                },
                onlineMeeting: { joinUrl: JOIN },
                webLink: 'https://outlook.office365.com/owa/?itemid=AAMk-1',
              },
              {
                id: 'AAMk-cancelled',
                subject: 'Cancelled',
                isCancelled: true,
                start: { dateTime: '2026-11-26T11:00:00.0000000', timeZone: 'UTC' },
                end: { dateTime: '2026-11-26T12:00:00.0000000', timeZone: 'UTC' },
              },
            ],
            '@odata.nextLink': `${api.url}/v1.0/me/calendarView?startDateTime=x&$skip=2`,
          },
        };
      }
      return {
        json: {
          value: [
            {
              id: 'AAMk-2',
              subject: 'Offsite',
              isAllDay: true,
              start: { dateTime: '2026-11-27T00:00:00.0000000', timeZone: 'UTC' },
              end: { dateTime: '2026-11-28T00:00:00.0000000', timeZone: 'UTC' },
              location: { displayName: '' },
              body: { contentType: 'text', content: '' },
              onlineMeeting: null,
            },
          ],
        },
      };
    });
    const events = await graph.listEvents({
      start: new Date('2026-11-26T00:00:00Z'),
      end: new Date('2026-12-03T00:00:00Z'),
    });
    expect(runtime.slept).toEqual([3_000]);
    expect(events).toEqual([
      {
        provider: 'microsoft',
        externalId: 'AAMk-1',
        title: 'Weekly sync',
        startsAt: '2026-11-26T10:00:00.000Z',
        endsAt: '2026-11-26T10:30:00.000Z',
        allDay: false,
        location: 'Microsoft Teams Meeting',
        bodyText: `Join: Click here to join the meeting ${JOIN}\n+1 206-555-0100,,418924075# United States, Seattle\nPhone conference ID: 418 924 075#`,
        joinUrl: JOIN,
        webLink: 'https://outlook.office365.com/owa/?itemid=AAMk-1',
      },
      {
        provider: 'microsoft',
        externalId: 'AAMk-2',
        title: 'Offsite',
        startsAt: '2026-11-27T00:00:00.000Z',
        endsAt: '2026-11-28T00:00:00.000Z',
        allDay: true,
        location: null,
        bodyText: null,
        joinUrl: null,
        webLink: null,
      },
    ]);
    const first = api.requests.find((r) => r.path === '/v1.0/me/calendarView');
    expect(first?.query.get('startDateTime')).toBe('2026-11-26T00:00:00.000Z');
    expect(first?.query.get('endDateTime')).toBe('2026-12-03T00:00:00.000Z');
    expect(first?.headers.prefer).toBe('outlook.timezone="UTC"');
  });

  it('refuses to follow a paging link to another host with our token', async () => {
    const { graph } = await fakeGraph(() => ({
      json: { value: [], '@odata.nextLink': 'https://attacker.example/v1.0/me/calendarView?$skip=1' },
    }));
    await expect(graph.listEvents({ start: new Date(), end: new Date() })).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('rejects events not in UTC instead of misplacing them', async () => {
    const { graph } = await fakeGraph(() => ({
      json: {
        value: [
          {
            id: 'x',
            start: { dateTime: '2026-11-26T10:00:00', timeZone: 'Pacific Standard Time' },
            end: { dateTime: '2026-11-26T11:00:00', timeZone: 'Pacific Standard Time' },
          },
        ],
      },
    }));
    await expect(graph.listEvents({ start: new Date(), end: new Date() })).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it("finds a series' instance where Tandem last put it, else at its start by the rule, across pages, by originalStart", async () => {
    const original = '2027-02-15T08:00:00Z';
    const { api, graph } = await fakeGraph((r) => {
      if (r.method === 'PATCH' && r.path === '/v1.0/me/events/AAMk-inst-0215')
        return { json: { id: 'AAMk-inst-0215' } };
      if (r.method !== 'GET' || r.path !== '/v1.0/me/events/AAMk-series/instances') return undefined;
      // Around 15 March (where Tandem's last move put it): nothing, that move never reached Graph.
      if (r.query.get('startDateTime') === '2027-03-14T12:00:00.000Z') return { json: { value: [] } };
      // Around 15 February: two pages, the occurrence on the second, each item named by its originalStart.
      if (r.query.get('$skiptoken') === null)
        return {
          json: {
            value: [
              { id: 'AAMk-inst-0214', originalStart: '2027-02-14T08:00:00Z' },
              { id: 'AAMk-inst-0216', originalStart: '2027-02-16T08:00:00Z' },
            ],
            '@odata.nextLink': `${api.url}/v1.0/me/events/AAMk-series/instances?$skiptoken=2`,
          },
        };
      return { json: { value: [{ id: 'AAMk-inst-0215', originalStart: original }] } };
    });
    await graph.updateOccurrence('event:AAMk-series', {
      originalStart: new Date(original),
      currentStart: new Date('2027-03-15T12:00:00Z'),
      startsAt: new Date('2027-03-15T12:00:00Z'),
      endsAt: new Date('2027-03-15T12:30:00Z'),
      title: 'Daily',
      description: 'Tandem meeting',
    });
    const listed = api.requests.filter((r) => r.path === '/v1.0/me/events/AAMk-series/instances');
    expect(listed.map((r) => [r.query.get('startDateTime'), r.query.get('endDateTime')])).toEqual([
      ['2027-03-14T12:00:00.000Z', '2027-03-16T12:00:00.000Z'],
      ['2027-02-14T08:00:00.000Z', '2027-02-16T08:00:00.000Z'],
      [null, null],
    ]);
    expect(listed[0]?.query.get('$select')).toBe('id,originalStart');
    expect(JSON.parse(api.requests.find((r) => r.method === 'PATCH')?.body ?? '{}')).toEqual({
      subject: 'Daily',
      start: { dateTime: '2027-03-15T12:00:00.000', timeZone: 'UTC' },
      end: { dateTime: '2027-03-15T12:30:00.000', timeZone: 'UTC' },
    });
    // Nowhere: not_found (a cancel counts it as gone).
    await expect(
      graph.updateOccurrence('event:AAMk-series', {
        originalStart: new Date('2027-02-20T08:00:00Z'),
        currentStart: new Date('2027-02-20T08:00:00Z'),
        startsAt: new Date('2027-02-20T09:00:00Z'),
        endsAt: new Date('2027-02-20T09:30:00Z'),
        title: 'Daily',
        description: 'Tandem meeting',
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('creates a change-notification subscription on the user calendar', async () => {
    const { api, tokens } = await fakeGraph((r) =>
      r.method === 'POST' && r.path === '/v1.0/subscriptions'
        ? {
            status: 201,
            json: {
              id: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
              resource: 'me/events',
              changeType: 'created,updated,deleted',
              clientState: 'cs-secret',
              notificationUrl: 'https://tandem.test/webhooks/graph',
              expirationDateTime: '2026-11-28T09:00:00Z',
            },
          }
        : undefined,
    );
    const subscription = await createGraphSubscription(
      tokens,
      {
        notificationUrl: 'https://tandem.test/webhooks/graph',
        clientState: 'cs-secret',
        expiresAt: new Date('2026-11-28T09:00:00Z'),
      },
      { baseUrl: api.url, runtime: recordingRuntime() },
    );
    expect(subscription.id).toBe('7f105c7d-2dc5-4530-97cd-4e7ae6534c07');
    expect(JSON.parse(api.requests.find((r) => r.path === '/v1.0/subscriptions')?.body ?? '')).toEqual({
      changeType: 'created,updated,deleted',
      notificationUrl: 'https://tandem.test/webhooks/graph',
      resource: 'me/events',
      expirationDateTime: '2026-11-28T09:00:00.000Z',
      clientState: 'cs-secret',
    });
  });

  it('renews a subscription with PATCH and the new expiry', async () => {
    const { api, tokens } = await fakeGraph((r) =>
      r.method === 'PATCH' && r.path === '/v1.0/subscriptions/sub-1'
        ? {
            json: {
              id: 'sub-1',
              resource: 'me/events',
              changeType: 'created,updated,deleted',
              expirationDateTime: '2026-12-01T09:00:00Z',
            },
          }
        : undefined,
    );
    const renewed = await renewGraphSubscription(tokens, 'sub-1', new Date('2026-12-01T09:00:00Z'), {
      baseUrl: api.url,
      runtime: recordingRuntime(),
    });
    expect(renewed.expirationDateTime).toBe('2026-12-01T09:00:00Z');
    expect(JSON.parse(api.requests.find((r) => r.method === 'PATCH')?.body ?? '')).toEqual({
      expirationDateTime: '2026-12-01T09:00:00.000Z',
    });
  });
});

describe('Graph change notifications', () => {
  it('echoes the validation token as text/plain', () => {
    expect(graphValidationResponse(new URLSearchParams('validationToken=Validation%3A%20Testing%20client'))).toEqual({
      status: 200,
      contentType: 'text/plain',
      body: 'Validation: Testing client',
    });
    expect(graphValidationResponse(new URLSearchParams())).toBeNull();
  });

  it('keeps only notifications carrying our clientState', () => {
    const notification = (clientState: string | undefined, id: string) => ({
      subscriptionId: 'sub-1',
      subscriptionExpirationDateTime: '2026-11-28T09:00:00Z',
      ...(clientState === undefined ? {} : { clientState }),
      changeType: 'updated',
      resource: `Users/ada/Events/${id}`,
      resourceData: { '@odata.type': '#Microsoft.Graph.Event', '@odata.id': `Users/ada/Events/${id}`, id },
      tenantId: 'tenant',
    });
    const body = {
      value: [notification('cs-secret', 'e1'), notification('forged', 'e2'), notification(undefined, 'e3')],
    };
    expect(parseGraphNotifications(body, 'cs-secret')).toEqual([
      { subscriptionId: 'sub-1', changeType: 'updated', resource: 'Users/ada/Events/e1', resourceId: 'e1' },
    ]);
    expect(() => parseGraphNotifications({ nope: true }, 'cs-secret')).toThrow(/not a change notification/);
  });
});

describe('handleGraphWebhook', () => {
  it('answers the handshake, accepts changes with 202, and rejects a body that is not a notification', () => {
    expect(
      handleGraphWebhook({ query: new URLSearchParams('validationToken=abc'), body: undefined, clientState: 'cs' }),
    ).toEqual({
      kind: 'validation',
      reply: { status: 200, contentType: 'text/plain', body: 'abc' },
    });
    const body = {
      value: [{ subscriptionId: 's', clientState: 'cs', changeType: 'deleted', resource: 'Users/a/Events/e9' }],
    };
    expect(handleGraphWebhook({ query: new URLSearchParams(), body, clientState: 'cs' })).toEqual({
      kind: 'changes',
      status: 202,
      changes: [{ subscriptionId: 's', changeType: 'deleted', resource: 'Users/a/Events/e9', resourceId: null }],
    });
    expect(handleGraphWebhook({ query: new URLSearchParams(), body: 'junk', clientState: 'cs' })).toMatchObject({
      kind: 'rejected',
      status: 400,
    });
  });
});

describe('graphRule: a patternedRecurrence as the RFC 5545 rule it means', () => {
  const range = { type: 'noEnd' as const, endDate: '0001-01-01', numberOfOccurrences: 0 };
  const pattern = {
    interval: 1,
    daysOfWeek: [],
    dayOfMonth: 0,
    month: 0,
    index: 'first' as const,
    firstDayOfWeek: 'sunday',
  };
  it('reads each pattern type only by the properties it uses, and each range', () => {
    const cases: [Parameters<typeof graphRule>[0], string][] = [
      [{ pattern: { ...pattern, type: 'daily', interval: 3 }, range }, 'FREQ=DAILY;INTERVAL=3'],
      [
        {
          pattern: { ...pattern, type: 'weekly', daysOfWeek: ['monday', 'thursday'], firstDayOfWeek: 'monday' },
          range,
        },
        'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH',
      ],
      // Weeks that start on Sunday differ from rrule's Monday weeks once the interval is above 1.
      [
        { pattern: { ...pattern, type: 'weekly', interval: 2, daysOfWeek: ['sunday'] }, range },
        'FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;WKST=SU',
      ],
      [
        { pattern: { ...pattern, type: 'absoluteMonthly', dayOfMonth: 31 }, range },
        'FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=31',
      ],
      [
        { pattern: { ...pattern, type: 'relativeMonthly', daysOfWeek: ['friday'], index: 'last' }, range },
        'FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR',
      ],
      [
        { pattern: { ...pattern, type: 'absoluteYearly', month: 2, dayOfMonth: 29 }, range },
        'FREQ=YEARLY;INTERVAL=1;BYMONTH=2;BYMONTHDAY=29',
      ],
      [
        {
          pattern: { ...pattern, type: 'relativeYearly', month: 11, daysOfWeek: ['thursday'], index: 'fourth' },
          range,
        },
        'FREQ=YEARLY;INTERVAL=1;BYMONTH=11;BYDAY=4TH',
      ],
      [
        { pattern: { ...pattern, type: 'daily' }, range: { type: 'numbered', numberOfOccurrences: 10 } },
        'FREQ=DAILY;INTERVAL=1;COUNT=10',
      ],
      // The end date's last second on the zone's wall clock (Sydney keeps summer time in April until the 5th).
      [
        { pattern: { ...pattern, type: 'daily' }, range: { type: 'endDate', endDate: '2027-03-31' } },
        'FREQ=DAILY;INTERVAL=1;UNTIL=20270331T125959Z',
      ],
    ];
    for (const [recurrence, rule] of cases) expect(graphRule(recurrence, 'Australia/Sydney')).toBe(rule);
    expect(graphRule({ pattern: { ...pattern, type: 'weekly', daysOfWeek: ['someday'] }, range }, 'UTC')).toBeNull();
    expect(
      graphRule({ pattern: { ...pattern, type: 'daily' }, range: { type: 'endDate', endDate: null } }, 'UTC'),
    ).toBeNull();
  });
});
