import { randomBytes } from 'node:crypto';
import type { AuthSession, Meeting, RecurrenceInput } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeProviders, TEAMS_VTC, type FakeProviders } from './providers/testing/fakeProviders.ts';
import type { RecordedRequest } from './providers/testing/fakeApi.ts';
import { addPerson, connectWs, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');
const APP_REDIRECT = 'http://127.0.0.1:53682/providers/callback';

/** Connects Microsoft 365 by consent, a person's own or the organisation's: the fake approves at once and redirects back. */
async function consentMicrosoft(server: TestServer, token: string, scope: 'user' | 'organisation'): Promise<void> {
  const { url } = await server.api.ok('providerConsent', {
    token,
    body: { provider: 'microsoft', scope, redirectUri: APP_REDIRECT },
  });
  const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
  await server.api.ok('completeConsent', {
    token,
    body: { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' },
  });
}

/**
 * Series made at the providers (issue 22): a Zoom recurring meeting with a fixed time (type 8 and
 * its `recurrence` object), a Teams series (an event with a recurrence pattern and range on the
 * organiser's calendar, its Teams meeting made with it), and the room connector's SIP address of a
 * single meeting made at either, over real HTTP against one local fake of
 * the providers' clouds speaking their documented wire formats; what a provider cannot keep is
 * refused in plain words before anything is made there.
 */
describe('recurring linked meetings at Zoom and Microsoft Graph (providers a local fake speaking their wire formats)', () => {
  let fake: FakeProviders;
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  const token = () => ada.tokens.accessToken;
  const sent = (method: string, path: RegExp): RecordedRequest[] =>
    fake.requests.filter((r) => r.method === method && path.test(r.path));
  const bodyOf = (r: RecordedRequest | undefined): unknown => JSON.parse(r?.body ?? 'null');

  async function series(title: string, startsAt: string, timeZone: string, recurrence: RecurrenceInput) {
    return server.api.ok('createMeeting', {
      token: token(),
      body: {
        title,
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + 30 * 60_000).toISOString(),
        timeZone,
        recurrence,
        invitees: [grace.user.id],
      },
    });
  }
  const link = (meeting: Meeting, provider: 'zoom' | 'microsoft') =>
    server.api.call('createLinkedMeeting', { token: token(), params: { meetingId: meeting.id }, body: { provider } });

  beforeAll(async () => {
    fake = await startFakeProviders();
    server = await startTestServer(livekit, {
      linked: {
        tokenKeys: `k1:${randomBytes(32).toString('base64')}`,
        providers: {
          microsoft: { clientId: 'ms-app', clientSecret: 'ms-secret', loginBaseUrl: fake.url, graphBaseUrl: fake.url },
          zoom: { tokenUrl: `${fake.url}/oauth/token`, apiBaseUrl: fake.url },
        },
      },
    });
    ada = await signUp(server.api, 'series-ada');
    grace = await addPerson(server.api, ada, 'series-grace', 'member');
    await server.api.ok('connectZoom', {
      token: token(),
      body: { accountId: 'acc', clientId: 'zoom-id', clientSecret: 'zoom-secret' },
    });
    // The organisation's Microsoft account, by consent.
    await consentMicrosoft(server, token(), 'organisation');
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('makes a weekly Berlin series a Zoom recurring meeting (type 8) with its weekdays and end', async () => {
    // Monday 7 December 2026, 09:00 in Berlin (08:00 UTC), Mondays and Thursdays, 6 times.
    const meeting = await series('Stand-up', '2026-12-07T08:00:00.000Z', 'Europe/Berlin', {
      frequency: 'weekly',
      weekdays: ['MO', 'TH'],
      end: { type: 'count', count: 6 },
    });
    const reply = await link(meeting, 'zoom');
    expect(reply.status).toBe(201);
    const created = sent('POST', /^\/v2\/users\/me\/meetings$/);
    expect(created).toHaveLength(1);
    expect(bodyOf(created[0])).toMatchObject({
      topic: 'Stand-up',
      type: 8,
      start_time: '2026-12-07T08:00:00Z',
      duration: 30,
      timezone: 'Europe/Berlin',
      // Zoom counts weekdays from Sunday = 1: Monday 2, Thursday 5.
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '2,5', end_times: 6 },
    });

    // A monthly series ending on a date: the nth weekday, and end_date_time at that day's end in the zone.
    const monthly = await series('Review', '2026-12-10T14:00:00.000Z', 'America/New_York', {
      frequency: 'monthly',
      monthly: { on: 'weekday', week: 2 },
      end: { type: 'until', until: '2027-06-30' },
    });
    expect((await link(monthly, 'zoom')).status).toBe(201);
    expect(bodyOf(sent('POST', /^\/v2\/users\/me\/meetings$/)[1])).toMatchObject({
      type: 8,
      timezone: 'America/New_York',
      // Thursday 10 December 2026 is the second Thursday (Zoom's day 5); 30 June ends at 23:59:59 New York.
      recurrence: {
        type: 3,
        repeat_interval: 1,
        monthly_week: 2,
        monthly_week_day: 5,
        end_date_time: '2027-07-01T03:59:59Z',
      },
    });
  });

  it('refuses in plain words, before anything is made at Zoom, a series Zoom cannot keep', async () => {
    const before = fake.requests.length;
    const cases: [RecurrenceInput, RegExp][] = [
      [{ frequency: 'yearly', end: { type: 'count', count: 3 } }, /Zoom does not repeat meetings yearly/],
      [{ frequency: 'weekly', end: { type: 'never' } }, /Zoom series need an end/],
      [{ frequency: 'daily', end: { type: 'count', count: 61 } }, /at most 60 occurrences/],
      [{ frequency: 'weekly', interval: 13, end: { type: 'count', count: 3 } }, /at most every 12 weeks/],
    ];
    for (const [recurrence, why] of cases) {
      const meeting = await series('Not at Zoom', '2026-12-07T08:00:00.000Z', 'Europe/Berlin', recurrence);
      const reply = await link(meeting, 'zoom');
      expect(reply).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
      expect((reply.body as { error: { message: string } }).error.message).toMatch(why);
    }
    expect(fake.requests.length).toBe(before);
  });

  it('makes a "last Friday" New York series a Teams series: an event with its pattern and range, and a Teams meeting', async () => {
    // Friday 25 December 2026 at 09:00 New York (14:00 UTC), the last Friday of each month, 6 times.
    const meeting = await series('Retro', '2026-12-25T14:00:00.000Z', 'America/New_York', {
      frequency: 'monthly',
      monthly: { on: 'weekday', week: -1 },
      end: { type: 'count', count: 6 },
    });
    const reply = await link(meeting, 'microsoft');
    expect(reply.status).toBe(201);
    expect(sent('POST', /^\/v1\.0\/me\/onlineMeetings$/)).toHaveLength(0);
    const created = sent('POST', /^\/v1\.0\/me\/events$/);
    expect(created).toHaveLength(1);
    expect(bodyOf(created[0])).toEqual({
      subject: 'Retro',
      body: { contentType: 'text', content: expect.stringMatching(/^Tandem meeting: /) },
      // In the Windows zone Graph takes for America/New_York.
      start: { dateTime: '2026-12-25T09:00:00', timeZone: 'Eastern Standard Time' },
      end: { dateTime: '2026-12-25T09:30:00', timeZone: 'Eastern Standard Time' },
      recurrence: {
        pattern: { type: 'relativeMonthly', interval: 1, daysOfWeek: ['friday'], index: 'last' },
        range: {
          type: 'numbered',
          numberOfOccurrences: 6,
          startDate: '2026-12-25',
          recurrenceTimeZone: 'Eastern Standard Time',
        },
      },
      isOnlineMeeting: true,
      onlineMeetingProvider: 'teamsForBusiness',
      attendees: [{ emailAddress: { address: grace.user.email }, type: 'required' }],
    });
    const record = reply.body as { externalId: string; linked: { provider: string; webUrl: string } };
    expect(record.linked.provider).toBe('teams');
    expect(record.linked.webUrl).toMatch(/^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//);
    const eventId = record.externalId.replace(/^event:/, '');

    // A new title in Tandem reaches the series event; cancelling it cancels the series for everyone.
    await server.api.ok('updateMeeting', {
      token: token(),
      params: { meetingId: meeting.id },
      body: { title: 'Retro!' },
    });
    const patched = sent('PATCH', new RegExp(`^/v1\\.0/me/events/${eventId}$`));
    expect(patched).toHaveLength(1);
    expect(bodyOf(patched[0])).toMatchObject({ subject: 'Retro!', recurrence: { pattern: { index: 'last' } } });
    await server.api.ok('cancelMeeting', { token: token(), params: { meetingId: meeting.id }, body: {} });
    const cancelled = sent('POST', new RegExp(`^/v1\\.0/me/events/${eventId}/cancel$`));
    expect(cancelled).toHaveLength(1);
    expect(fake.graph.get(eventId)).toMatchObject({ isCancelled: true });
  });

  it('a weekly Teams series in Sydney ending on a date keeps its weekdays and end date', async () => {
    const meeting = await series('Sydney sync', '2026-12-06T22:00:00.000Z', 'Australia/Sydney', {
      frequency: 'weekly',
      interval: 2,
      end: { type: 'until', until: '2027-04-30' },
    });
    expect((await link(meeting, 'microsoft')).status).toBe(201);
    expect(bodyOf(sent('POST', /^\/v1\.0\/me\/events$/).at(-1))).toMatchObject({
      // 22:00 UTC on 6 December is 09:00 on Monday 7 December in Sydney (summer time, UTC+11).
      start: { dateTime: '2026-12-07T09:00:00', timeZone: 'AUS Eastern Standard Time' },
      recurrence: {
        pattern: { type: 'weekly', interval: 2, daysOfWeek: ['monday'], firstDayOfWeek: 'monday' },
        range: { type: 'endDate', endDate: '2027-04-30', startDate: '2026-12-07' },
      },
    });
  });

  const edit = (meeting: Meeting, occurrenceId: string, body: Record<string, unknown>) =>
    server.api.ok('editOccurrence', {
      token: token(),
      params: { meetingId: meeting.id, occurrenceId },
      body: body as { scope: 'this' },
    });

  it("pushes occurrence edits to Zoom: this occurrence by occurrence_id (PATCH, DELETE; its own title in its agenda), the whole series' title by PATCH", async () => {
    // Mondays 09:00 Berlin from 7 December 2026, 4 times.
    const meeting = await series('Zoom weekly', '2026-12-07T08:00:00.000Z', 'Europe/Berlin', {
      frequency: 'weekly',
      end: { type: 'count', count: 4 },
    });
    const made = (await link(meeting, 'zoom')).body as { externalId: string };
    const second = '2026-12-14T08:00:00.000Z';
    await edit(meeting, second, { scope: 'this', startsAt: '2026-12-14T10:00:00.000Z' });
    const moved = sent('PATCH', new RegExp(`^/v2/meetings/${made.externalId}$`));
    expect(moved).toHaveLength(1);
    expect(moved[0]?.query.get('occurrence_id')).toBe(String(Date.parse(second)));
    // The occurrence has no title of its own: its agenda is the series' description.
    const described = `Tandem meeting: ${meeting.webJoinUrl}`;
    expect(bodyOf(moved[0])).toEqual({ start_time: '2026-12-14T10:00:00Z', duration: 30, agenda: described });

    // A title of its own: Zoom keeps no topic per occurrence, so it heads the occurrence's agenda,
    // where it stays; Tandem keeps it as the occurrence's title.
    await edit(meeting, second, { scope: 'this', title: 'Zoom weekly: demo day' });
    const retitled = sent('PATCH', new RegExp(`^/v2/meetings/${made.externalId}$`));
    expect(retitled).toHaveLength(2);
    expect(retitled[1]?.query.get('occurrence_id')).toBe(String(Date.parse(second)));
    expect(bodyOf(retitled[1])).toEqual({
      start_time: '2026-12-14T10:00:00Z',
      duration: 30,
      agenda: `Zoom weekly: demo day\n\n${described}`,
    });
    expect(fake.zoomOccurrences.get(String(Date.parse(second)))).toMatchObject({
      agenda: `Zoom weekly: demo day\n\n${described}`,
    });
    const { occurrences } = await server.api.ok('listOccurrences', {
      token: token(),
      params: { meetingId: meeting.id },
      query: { from: second, to: '2026-12-15T00:00:00.000Z' },
    });
    expect(occurrences.map((o) => [o.startsAt, o.title])).toEqual([
      ['2026-12-14T10:00:00.000Z', 'Zoom weekly: demo day'],
    ]);

    const third = '2026-12-21T08:00:00.000Z';
    await edit(meeting, third, { scope: 'this', cancelled: true });
    const deleted = sent('DELETE', new RegExp(`^/v2/meetings/${made.externalId}$`));
    expect(deleted.map((r) => r.query.get('occurrence_id'))).toEqual([String(Date.parse(third))]);
    expect(fake.zoomOccurrences.get(String(Date.parse(third)))).toEqual({ deleted: true });

    await edit(meeting, second, { scope: 'series', title: 'Zoom weekly (new name)' });
    const series_ = sent('PATCH', new RegExp(`^/v2/meetings/${made.externalId}$`)).filter(
      (r) => r.query.get('occurrence_id') === null,
    );
    expect(series_).toHaveLength(1);
    expect(bodyOf(series_[0])).toMatchObject({ topic: 'Zoom weekly (new name)', type: 8, recurrence: { type: 2 } });
  });

  it('pushes occurrence edits to a Teams series: the instance found by its originalStart is PATCHed (twice) and cancelled; "this and following" ends the series and makes the rest its own', async () => {
    const meeting = await series('Teams weekly', '2026-12-07T08:00:00.000Z', 'Europe/Berlin', {
      frequency: 'weekly',
      end: { type: 'count', count: 6 },
    });
    const made = (await link(meeting, 'microsoft')).body as { externalId: string };
    const eventId = made.externalId.replace(/^event:/, '');
    const second = '2026-12-14T08:00:00.000Z';
    await edit(meeting, second, { scope: 'this', startsAt: '2026-12-14T10:00:00.000Z' });
    // Graph lists instances where they are now: a day either side of where Tandem last put it.
    const listed = sent('GET', new RegExp(`^/v1\\.0/me/events/${eventId}/instances$`));
    expect(listed).toHaveLength(1);
    expect([listed[0]?.query.get('startDateTime'), listed[0]?.query.get('endDateTime')]).toEqual([
      '2026-12-13T08:00:00.000Z',
      '2026-12-15T08:00:00.000Z',
    ]);
    const instance = `${eventId}_20261214080000`;
    const patched = () => sent('PATCH', new RegExp(`^/v1\\.0/me/events/${instance}$`));
    expect(patched()).toHaveLength(1);
    expect(bodyOf(patched()[0])).toEqual({
      subject: 'Teams weekly',
      start: { dateTime: '2026-12-14T10:00:00.000', timeZone: 'UTC' },
      end: { dateTime: '2026-12-14T10:30:00.000', timeZone: 'UTC' },
    });
    // Moved again and retitled: Graph has it at 10:00 now, so it is looked for around there.
    await edit(meeting, second, { scope: 'this', startsAt: '2026-12-14T11:00:00.000Z', title: 'Teams weekly, later' });
    expect(sent('GET', new RegExp(`^/v1\\.0/me/events/${eventId}/instances$`))[1]?.query.get('startDateTime')).toBe(
      '2026-12-13T10:00:00.000Z',
    );
    expect(patched()).toHaveLength(2);
    expect(fake.graph.get(instance)).toMatchObject({
      subject: 'Teams weekly, later',
      originalStart: '2026-12-14T08:00:00Z',
    });

    await edit(meeting, '2026-12-21T08:00:00.000Z', { scope: 'this', cancelled: true });
    expect(sent('POST', new RegExp(`^/v1\\.0/me/events/${eventId}_20261221080000/cancel$`))).toHaveLength(1);

    // From the fourth on, an hour later: the series ends before it, and the rest is a series of its own.
    const graceWs = await connectWs(server.url, grace.tokens.accessToken);
    const before = sent('POST', /^\/v1\.0\/me\/events$/).length;
    const result = await edit(meeting, '2026-12-28T08:00:00.000Z', {
      scope: 'following',
      startsAt: '2026-12-28T09:00:00.000Z',
    });
    const ended = sent('PATCH', new RegExp(`^/v1\\.0/me/events/${eventId}$`)).at(-1);
    expect(bodyOf(ended)).toMatchObject({
      recurrence: { range: { type: 'endDate', endDate: '2026-12-27', startDate: '2026-12-07' } },
    });
    const rest = sent('POST', /^\/v1\.0\/me\/events$/);
    expect(rest).toHaveLength(before + 1);
    expect(bodyOf(rest.at(-1))).toMatchObject({
      start: { dateTime: '2026-12-28T10:00:00', timeZone: 'W. Europe Standard Time' },
      recurrence: { range: { type: 'numbered', numberOfOccurrences: 3, startDate: '2026-12-28' } },
    });
    const continued = result.split;
    expect(continued).not.toBeNull();
    const linked = await server.api.ok('getLinkedMeeting', {
      token: token(),
      params: { meetingId: continued?.id ?? '' },
    });
    expect(linked.linked?.linked.provider).toBe('teams');
    // Grace is invited to the rest, then told of its own Teams meeting once it is made.
    const about = (type: string) =>
      graceWs.received.filter((m) => m.type === type && 'meeting' in m && m.meeting.id === continued?.id);
    await expect.poll(() => about('meeting.changed').length, { timeout: 5_000 }).toBe(1);
    expect(about('meeting.invited')).toHaveLength(1);
    expect(about('meeting.changed')[0]).toMatchObject({ changedBy: { id: ada.user.id } });
    graceWs.close();
  });

  it('makes a Teams series in the Windows zone Graph takes for ours (Asia/Kolkata, America/Argentina/Buenos_Aires); refuses a zone with none before anything is sent', async () => {
    // Monday 7 December 2026 at 10:00 in Kolkata (04:30 UTC), weekly, 4 times.
    const kolkata = await series('Bangalore sync', '2026-12-07T04:30:00.000Z', 'Asia/Kolkata', {
      frequency: 'weekly',
      end: { type: 'count', count: 4 },
    });
    const made = await link(kolkata, 'microsoft');
    expect(made.status).toBe(201);
    expect(bodyOf(sent('POST', /^\/v1\.0\/me\/events$/).at(-1))).toMatchObject({
      start: { dateTime: '2026-12-07T10:00:00', timeZone: 'India Standard Time' },
      end: { dateTime: '2026-12-07T10:30:00', timeZone: 'India Standard Time' },
      recurrence: { range: { startDate: '2026-12-07', recurrenceTimeZone: 'India Standard Time' } },
    });
    // Graph kept it (its fake refuses any zone but a Windows one): its occurrences are at 10:00 Kolkata.
    const eventId = (made.body as { externalId: string }).externalId.replace(/^event:/, '');
    expect(fake.graph.get(eventId)).toMatchObject({ type: 'seriesMaster' });

    // An update of the series sends the same zone.
    await server.api.ok('updateMeeting', {
      token: token(),
      params: { meetingId: kolkata.id },
      body: { title: 'Bangalore sync (weekly)' },
    });
    expect(bodyOf(sent('PATCH', new RegExp(`^/v1\\.0/me/events/${eventId}$`)).at(-1))).toMatchObject({
      subject: 'Bangalore sync (weekly)',
      start: { timeZone: 'India Standard Time' },
      recurrence: { range: { recurrenceTimeZone: 'India Standard Time' } },
    });

    const buenosAires = await series('Cono Sur', '2026-12-07T12:00:00.000Z', 'America/Argentina/Buenos_Aires', {
      frequency: 'daily',
      end: { type: 'count', count: 3 },
    });
    expect((await link(buenosAires, 'microsoft')).status).toBe(201);
    expect(bodyOf(sent('POST', /^\/v1\.0\/me\/events$/).at(-1))).toMatchObject({
      start: { dateTime: '2026-12-07T09:00:00', timeZone: 'Argentina Standard Time' },
      recurrence: { range: { recurrenceTimeZone: 'Argentina Standard Time' } },
    });

    // Antarctica/Troll has no Windows zone: refused in plain words, nothing reaches Graph.
    const troll = await series('Station call', '2026-12-07T12:00:00.000Z', 'Antarctica/Troll', {
      frequency: 'weekly',
      end: { type: 'count', count: 3 },
    });
    const before = fake.requests.length;
    const refused = await link(troll, 'microsoft');
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect((refused.body as { error: { message: string } }).error.message).toMatch(
      /Teams has no time zone like Antarctica\/Troll/,
    );
    expect(fake.requests.length).toBe(before);
  });

  it('finds a Teams occurrence anywhere in a long series (past a daylight-saving change, moved weeks away, then again): instances a day around where it is, matched by originalStart', async () => {
    // Daily at 09:00 Berlin from Monday 4 January 2027, 90 times: summer time from 28 March.
    const daily = await series('Daily Teams', '2027-01-04T08:00:00.000Z', 'Europe/Berlin', {
      frequency: 'daily',
      end: { type: 'count', count: 90 },
    });
    const eventId = ((await link(daily, 'microsoft')).body as { externalId: string }).externalId.replace(/^event:/, '');
    const instancesAsked = () =>
      sent('GET', new RegExp(`^/v1\\.0/me/events/${eventId}/instances$`)).map((r) => [
        r.query.get('startDateTime'),
        r.query.get('endDateTime'),
      ]);
    // The 15 February occurrence, moved four weeks on: a month of daily instances lies between.
    const february = '2027-02-15T08:00:00.000Z';
    const instance = `${eventId}_20270215080000`;
    await edit(daily, february, { scope: 'this', startsAt: '2027-03-15T12:00:00.000Z' });
    expect(fake.graph.get(instance)).toMatchObject({
      type: 'exception',
      originalStart: '2027-02-15T08:00:00Z',
      start: { dateTime: '2027-03-15T12:00:00.000', timeZone: 'UTC' },
    });
    // Retitled there: Graph lists it at 15 March now, where it is looked for.
    await edit(daily, february, { scope: 'this', title: 'Daily Teams: planning' });
    expect(instancesAsked()).toEqual([
      ['2027-02-14T08:00:00.000Z', '2027-02-16T08:00:00.000Z'],
      ['2027-03-14T12:00:00.000Z', '2027-03-16T12:00:00.000Z'],
    ]);
    expect(sent('PATCH', new RegExp(`^/v1\\.0/me/events/${instance}$`))).toHaveLength(2);
    expect(fake.graph.get(instance)).toMatchObject({ subject: 'Daily Teams: planning' });

    // After the change to summer time the series is at 07:00 UTC; one of those is cancelled.
    const april = '2027-03-30T07:00:00.000Z';
    await edit(daily, april, { scope: 'this', cancelled: true });
    expect(instancesAsked().at(-1)).toEqual(['2027-03-29T07:00:00.000Z', '2027-03-31T07:00:00.000Z']);
    expect(sent('POST', new RegExp(`^/v1\\.0/me/events/${eventId}_20270330070000/cancel$`))).toHaveLength(1);
  });

  it('a series made a single meeting in Tandem ends the series at Graph (recurrence null) and at Zoom (type 2, no recurrence)', async () => {
    const teams = await series('Teams, then once', '2027-01-11T08:00:00.000Z', 'Europe/Berlin', {
      frequency: 'weekly',
      end: { type: 'count', count: 5 },
    });
    const eventId = ((await link(teams, 'microsoft')).body as { externalId: string }).externalId.replace(/^event:/, '');
    // One occurrence moved first: Graph drops it with the series.
    await edit(teams, '2027-01-18T08:00:00.000Z', { scope: 'this', startsAt: '2027-01-18T10:00:00.000Z' });
    expect(fake.graph.get(`${eventId}_20270118080000`)).toMatchObject({ type: 'exception' });

    const single = await server.api.ok('updateMeeting', {
      token: token(),
      params: { meetingId: teams.id },
      body: { recurrence: null },
    });
    expect(single).toMatchObject({ rrule: null, recurrence: null, startsAt: '2027-01-11T08:00:00.000Z' });
    expect(bodyOf(sent('PATCH', new RegExp(`^/v1\\.0/me/events/${eventId}$`)).at(-1))).toEqual({
      subject: 'Teams, then once',
      start: { dateTime: '2027-01-11T08:00:00.000', timeZone: 'UTC' },
      end: { dateTime: '2027-01-11T08:30:00.000', timeZone: 'UTC' },
      recurrence: null,
    });
    expect(fake.graph.get(eventId)).toMatchObject({ type: 'singleInstance', recurrence: null });
    expect([...fake.graph.values()].filter((e) => e.seriesMasterId === eventId)).toEqual([]);

    const zoomSeries = await series('Zoom, then once', '2027-01-11T08:00:00.000Z', 'Europe/Berlin', {
      frequency: 'weekly',
      end: { type: 'count', count: 5 },
    });
    const zoomId = ((await link(zoomSeries, 'zoom')).body as { externalId: string }).externalId;
    expect(fake.zoom.get(zoomId)).toMatchObject({ type: 8, recurrence: { type: 2, end_times: 5 } });
    await server.api.ok('updateMeeting', {
      token: token(),
      params: { meetingId: zoomSeries.id },
      body: { recurrence: null },
    });
    expect(bodyOf(sent('PATCH', new RegExp(`^/v2/meetings/${zoomId}$`)).at(-1))).toEqual({
      topic: 'Zoom, then once',
      type: 2,
      start_time: '2027-01-11T08:00:00Z',
      duration: 30,
      timezone: 'Europe/Berlin',
    });
    expect(fake.zoom.get(zoomId)).toMatchObject({ type: 2, start_time: '2027-01-11T08:00:00Z' });
    expect(fake.zoom.get(zoomId)).not.toHaveProperty('recurrence');
  });

  it('gives a single meeting made at Zoom or Teams its room connector’s SIP address, read from the documented fields', async () => {
    const single = (title: string) =>
      server.api.ok('createMeeting', {
        token: token(),
        body: { title, startsAt: '2026-12-08T10:00:00.000Z', endsAt: '2026-12-08T10:30:00.000Z' },
      });
    // Zoom answers no SIP address: the bridge gets its room connector's dial string, with the room-system passcode.
    const atZoom = await link(await single('Partner sync'), 'zoom');
    expect(atZoom.status).toBe(201);
    const zoomId = [...fake.zoom.keys()].at(-1) ?? '';
    expect(atZoom.body).toMatchObject({
      linked: {
        provider: 'zoom',
        meetingId: zoomId,
        sipBridge: { address: `sip:${zoomId}.123456@zoomcrc.com`, code: null },
      },
    });
    // Graph's onlineMeeting: the video conferencing device section of its joinInformation, and its videoTeleconferenceId.
    const atTeams = await link(await single('Vendor review'), 'microsoft');
    expect(atTeams.status).toBe(201);
    expect(atTeams.body).toMatchObject({
      linked: { provider: 'teams', sipBridge: { address: `sip:${TEAMS_VTC.tenantKey}`, code: TEAMS_VTC.videoId } },
    });
    // Kept with the meeting: what the audio bridge will call.
    const meetingId = (atTeams.body as { meetingId: string }).meetingId;
    const read = await server.api.ok('getLinkedMeeting', { token: token(), params: { meetingId } });
    expect(read.linked?.linked.sipBridge).toEqual({ address: `sip:${TEAMS_VTC.tenantKey}`, code: TEAMS_VTC.videoId });
  });
});

/**
 * Teams events Tandem made, changed in Outlook (issue 22): Graph's change notification (with the
 * subscription's clientState) names the event, which is read as Graph documents it and followed
 * into the Tandem meeting in one write, those it concerns told; the echo of our own write, a
 * notification with another clientState and a series master's own change leave it as it is.
 * Graph is a local fake speaking its documented wire format; Ada's own Microsoft account makes
 * the events, as only a person's account has a calendar subscription.
 */
describe('Outlook changes followed into Tandem meetings (Graph a local fake speaking its wire format)', () => {
  let fake: FakeProviders;
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let graceWs: WsClient;
  let adaWs: WsClient;
  let subscription: { id: string; clientState: string };
  const token = () => ada.tokens.accessToken;
  const meeting = (id: string) => server.api.ok('getMeeting', { token: token(), params: { meetingId: id } });
  const changedFor = (id: string) =>
    graceWs.received.filter((m) => m.type === 'meeting.changed' && m.meeting.id === id).length;

  /** A change made in Outlook itself: Graph's own PATCH or cancel of the event, not through Tandem. */
  async function inOutlook(eventId: string, change: Record<string, unknown> | 'cancel'): Promise<void> {
    const reply = await fetch(`${fake.url}/v1.0/me/events/${eventId}${change === 'cancel' ? '/cancel' : ''}`, {
      method: change === 'cancel' ? 'POST' : 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(change === 'cancel' ? { comment: 'Cancelled in Outlook.' } : change),
    });
    expect(reply.ok).toBe(true);
  }
  /**
   * Graph's change notification of events (one unless given more), as it POSTs it. It is answered
   * 202 at once and followed after; a genuine one is followed once Ada's apps are told to read
   * her calendar again (the last step), which this waits for.
   */
  async function notify(eventId: string | string[], changeType = 'updated', clientState = subscription.clientState) {
    const told = () => adaWs.received.filter((m) => m.type === 'calendar.changed').length;
    const before = told();
    const reply = await fetch(`${server.url}/webhooks/graph`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        value: [eventId].flat().map((id) => ({
          subscriptionId: subscription.id,
          clientState,
          changeType,
          resource: `Users/${ada.user.id}/Events/${id}`,
          resourceData: { '@odata.type': '#Microsoft.Graph.Event', id },
          tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        })),
      }),
    });
    expect(reply.status).toBe(202);
    if (clientState === subscription.clientState) await expect.poll(told, { timeout: 5_000 }).toBe(before + 1);
  }
  async function teamsSeries(
    title: string,
    count: number,
    // Mondays 09:00 Berlin from 7 December 2026 unless said.
    schedule: { startsAt: string; timeZone: string; recurrence: RecurrenceInput } = {
      startsAt: '2026-12-07T08:00:00.000Z',
      timeZone: 'Europe/Berlin',
      recurrence: { frequency: 'weekly', end: { type: 'count', count } },
    },
  ): Promise<{ meeting: Meeting; eventId: string }> {
    const made = await server.api.ok('createMeeting', {
      token: token(),
      body: {
        title,
        startsAt: schedule.startsAt,
        endsAt: new Date(Date.parse(schedule.startsAt) + 30 * 60_000).toISOString(),
        timeZone: schedule.timeZone,
        recurrence: schedule.recurrence,
        invitees: [grace.user.id],
      },
    });
    const linked = await server.api.ok('createLinkedMeeting', {
      token: token(),
      params: { meetingId: made.id },
      body: { provider: 'microsoft' },
    });
    return { meeting: await meeting(made.id), eventId: (linked.externalId ?? '').replace(/^event:/, '') };
  }

  beforeAll(async () => {
    fake = await startFakeProviders();
    server = await startTestServer(livekit, {
      linked: {
        tokenKeys: `k1:${randomBytes(32).toString('base64')}`,
        providers: {
          microsoft: { clientId: 'ms-app', clientSecret: 'ms-secret', loginBaseUrl: fake.url, graphBaseUrl: fake.url },
        },
      },
    });
    ada = await signUp(server.api, 'outlook-ada');
    grace = await addPerson(server.api, ada, 'outlook-grace', 'member');
    await consentMicrosoft(server, token(), 'user');
    const made = [...fake.graph.values()].find((v) => v.resource === 'me/events');
    subscription = { id: String(made?.id), clientState: String(made?.clientState) };
    graceWs = await connectWs(server.url, grace.tokens.accessToken);
    adaWs = await connectWs(server.url, token());
  });
  afterAll(async () => {
    graceWs?.close();
    adaWs?.close();
    await server?.close();
    await fake?.close();
  });

  it('a single Teams event moved and retitled in Outlook moves and retitles the meeting, Grace told; the echo of our write and a forged notification change nothing; cancelled there, it is cancelled', async () => {
    // A series made single in Tandem: its Teams event is one event (singleInstance) on Ada's calendar.
    const { meeting: series } = await teamsSeries('Kick-off', 3);
    const { linked } = await server.api.ok('getLinkedMeeting', { token: token(), params: { meetingId: series.id } });
    const eventId = (linked?.externalId ?? '').replace(/^event:/, '');
    const single = await server.api.ok('updateMeeting', {
      token: token(),
      params: { meetingId: series.id },
      body: { recurrence: null, title: 'Kick-off (once)' },
    });
    expect(fake.graph.get(eventId)).toMatchObject({ type: 'singleInstance', subject: 'Kick-off (once)' });
    await graceWs.next('meeting.changed', (m) => m.meeting.id === single.id && m.meeting.rrule === null);
    // Graph's notification of our own PATCH: the event says what the meeting says.
    const heard = changedFor(single.id);
    await notify(eventId);
    expect(await meeting(single.id)).toEqual(single);

    // Moved an hour later on the next day and retitled in Outlook, in its Windows zone.
    await inOutlook(eventId, {
      subject: 'Kick-off (moved in Outlook)',
      start: { dateTime: '2026-12-08T10:00:00', timeZone: 'W. Europe Standard Time' },
      end: { dateTime: '2026-12-08T11:00:00', timeZone: 'W. Europe Standard Time' },
    });
    await notify(eventId, 'updated', 'forged');
    expect(await meeting(single.id)).toEqual(single);
    await notify(eventId);
    const moved = await meeting(single.id);
    expect(moved).toMatchObject({
      title: 'Kick-off (moved in Outlook)',
      startsAt: '2026-12-08T09:00:00.000Z',
      endsAt: '2026-12-08T10:00:00.000Z',
      rrule: null,
      status: 'scheduled',
    });
    await expect
      .poll(() => graceWs.received.filter((m) => m.type === 'meeting.changed').at(-1), { timeout: 5_000 })
      .toMatchObject({ meeting: { id: single.id, startsAt: moved.startsAt }, changedBy: { id: ada.user.id } });
    expect(changedFor(single.id)).toBe(heard + 1);
    // Read again (Graph notifies more than once), it changes nothing more; nothing was written back to Graph.
    await notify(eventId);
    expect(await meeting(single.id)).toEqual(moved);
    expect(fake.requests.filter((r) => r.method === 'PATCH' && r.path === `/v1.0/me/events/${eventId}`)).toHaveLength(
      2,
    );

    // Cancelled by its organiser in Outlook: Graph no longer has it under this id, and the meeting
    // is cancelled, though the same notification names an event Graph answers in a shape not read.
    await inOutlook(eventId, 'cancel');
    const at = { dateTime: '2026-12-08T10:00:00', timeZone: 'UTC' };
    fake.graph.set('AAMk-odd', { id: 'AAMk-odd', type: 'note', start: at, end: at });
    await notify(['AAMk-odd', eventId], 'deleted');
    expect(await meeting(single.id)).toMatchObject({ status: 'cancelled' });
    await expect.poll(() => changedFor(single.id), { timeout: 5_000 }).toBe(heard + 2);
  });

  it("an occurrence of a Teams series moved in Outlook becomes that occurrence's change (its echo and our own occurrence edit change nothing); the series cancelled there cancels it", async () => {
    const { meeting: series, eventId } = await teamsSeries('Weekly', 4);
    // Grace hears of the Teams meeting made for it first.
    await graceWs.next('meeting.changed', (m) => m.meeting.id === series.id);
    const second = `${eventId}_20261214080000`;
    await inOutlook(second, {
      subject: 'Weekly (later)',
      start: { dateTime: '2026-12-14T10:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-12-14T10:30:00.0000000', timeZone: 'UTC' },
    });
    expect(fake.graph.get(second)).toMatchObject({ type: 'exception', originalStart: '2026-12-14T08:00:00Z' });
    const heard = changedFor(series.id);
    await notify(second);
    const occurrences = async () =>
      (
        await server.api.ok('listOccurrences', {
          token: token(),
          params: { meetingId: series.id },
          query: { from: '2026-12-07T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
        })
      ).occurrences.map((o) => [o.startsAt, o.title, o.cancelled]);
    expect(await occurrences()).toEqual([
      ['2026-12-07T08:00:00.000Z', 'Weekly', false],
      ['2026-12-14T10:00:00.000Z', 'Weekly (later)', false],
      ['2026-12-21T08:00:00.000Z', 'Weekly', false],
      ['2026-12-28T08:00:00.000Z', 'Weekly', false],
    ]);
    await expect.poll(() => changedFor(series.id), { timeout: 5_000 }).toBe(heard + 1);
    const followed = await meeting(series.id);
    await notify(second);
    expect(await meeting(series.id)).toEqual(followed);
    // Our own edit of the third reaches Graph (a PATCH of its instance), whose notification brings it back.
    await server.api.ok('editOccurrence', {
      token: token(),
      params: { meetingId: series.id, occurrenceId: '2026-12-21T08:00:00.000Z' },
      body: { scope: 'this', startsAt: '2026-12-21T09:00:00.000Z' },
    });
    const edited = await meeting(series.id);
    await notify(`${eventId}_20261221080000`);
    // The series master's own notification: its pattern, read back into our rule, is the series' own.
    await notify(eventId);
    expect(await meeting(series.id)).toEqual(edited);
    expect((await occurrences())[2]).toEqual(['2026-12-21T09:00:00.000Z', 'Weekly', false]);

    await inOutlook(eventId, 'cancel');
    await notify(eventId, 'deleted');
    expect(await meeting(series.id)).toMatchObject({ status: 'cancelled' });
  });

  it('a Teams series read back from Graph is the series Tandem made, for every kind of rule and zone (our pattern and its inverse agree)', async () => {
    const kinds: { startsAt: string; timeZone: string; recurrence: RecurrenceInput }[] = [
      {
        startsAt: '2026-12-07T08:00:00.000Z',
        timeZone: 'Europe/Amsterdam',
        recurrence: { frequency: 'daily', interval: 2, end: { type: 'count', count: 5 } },
      },
      {
        startsAt: '2026-12-06T22:00:00.000Z',
        timeZone: 'Australia/Sydney',
        recurrence: {
          frequency: 'weekly',
          interval: 2,
          weekdays: ['MO', 'WE'],
          end: { type: 'until', until: '2027-04-30' },
        },
      },
      {
        startsAt: '2026-12-10T14:00:00.000Z',
        timeZone: 'America/New_York',
        recurrence: { frequency: 'monthly', monthly: { on: 'date' }, end: { type: 'never' } },
      },
      {
        startsAt: '2026-12-25T14:00:00.000Z',
        timeZone: 'America/New_York',
        recurrence: { frequency: 'monthly', monthly: { on: 'weekday', week: -1 }, end: { type: 'count', count: 6 } },
      },
      {
        startsAt: '2026-12-08T01:30:00.000Z',
        timeZone: 'Asia/Kolkata',
        recurrence: { frequency: 'yearly', monthly: { on: 'weekday', week: 2 }, end: { type: 'count', count: 3 } },
      },
    ];
    for (const schedule of kinds) {
      const { meeting: made, eventId } = await teamsSeries(`Round trip ${schedule.timeZone}`, 0, schedule);
      await notify(eventId);
      expect(await meeting(made.id)).toEqual(made);
      // Retitled in Outlook: followed only when its pattern is read as our rule (else the whole master is left alone).
      await inOutlook(eventId, { subject: `Round trip ${schedule.timeZone} (renamed)` });
      await notify(eventId);
      expect(await meeting(made.id)).toMatchObject({
        title: `Round trip ${schedule.timeZone} (renamed)`,
        timeZone: made.timeZone,
        rrule: made.rrule,
        startsAt: made.startsAt,
      });
    }
  });

  it('a Teams series re-patterned and retitled in Outlook becomes our rule; an occurrence cancelled there is cancelled, and comes back when Outlook has it back', async () => {
    const { meeting: series, eventId } = await teamsSeries('Sync', 4);
    await graceWs.next('meeting.changed', (m) => m.meeting.id === series.id);
    const heard = changedFor(series.id);
    // Mondays and Thursdays from now on, six times, in Outlook's words (its pattern and range).
    await inOutlook(eventId, {
      subject: 'Sync (twice a week)',
      recurrence: {
        pattern: {
          type: 'weekly',
          interval: 1,
          daysOfWeek: ['monday', 'thursday'],
          firstDayOfWeek: 'sunday',
          index: 'first',
          dayOfMonth: 0,
          month: 0,
        },
        range: {
          type: 'numbered',
          numberOfOccurrences: 6,
          startDate: '2026-12-07',
          endDate: '0001-01-01',
          recurrenceTimeZone: 'W. Europe Standard Time',
        },
      },
    });
    await notify(eventId);
    const repatterned = await meeting(series.id);
    expect(repatterned).toMatchObject({
      title: 'Sync (twice a week)',
      timeZone: 'Europe/Berlin',
      startsAt: '2026-12-07T08:00:00.000Z',
      recurrence: { frequency: 'weekly', weekdays: ['MO', 'TH'], end: { type: 'count', count: 6 } },
    });
    await expect.poll(() => changedFor(series.id), { timeout: 5_000 }).toBe(heard + 1);
    const starts = async () =>
      (
        await server.api.ok('listOccurrences', {
          token: token(),
          params: { meetingId: series.id },
          query: { from: '2026-12-07T00:00:00.000Z', to: '2027-01-01T00:00:00.000Z' },
        })
      ).occurrences.map((o) => `${o.startsAt}${o.cancelled ? ' cancelled' : ''}`);
    expect(await starts()).toEqual([
      '2026-12-07T08:00:00.000Z',
      '2026-12-10T08:00:00.000Z',
      '2026-12-14T08:00:00.000Z',
      '2026-12-17T08:00:00.000Z',
      '2026-12-21T08:00:00.000Z',
      '2026-12-24T08:00:00.000Z',
    ]);

    // Thursday 17 December cancelled in Outlook: Graph no longer has the occurrence, and its master lists it cancelled.
    const thursday = `${eventId}_20261217080000`;
    await inOutlook(thursday, 'cancel');
    await notify(thursday, 'deleted');
    await notify(eventId);
    expect((await starts())[3]).toBe('2026-12-17T08:00:00.000Z cancelled');
    await expect.poll(() => changedFor(series.id), { timeout: 5_000 }).toBe(heard + 2);
    const cancelled = await meeting(series.id);
    await notify(eventId);
    expect(await meeting(series.id)).toEqual(cancelled);
    // Outlook has it back (its cancellation undone): so does Tandem.
    fake.graph.delete(thursday);
    await notify(eventId);
    expect((await starts())[3]).toBe('2026-12-17T08:00:00.000Z');

    // Moved to London in Outlook (09:00 there, its pattern in "GMT Standard Time"): the meeting takes
    // CLDR's main zone for it, and its start.
    const london = { dateTime: '2026-12-07T09:00:00', timeZone: 'GMT Standard Time' };
    await inOutlook(eventId, {
      start: london,
      end: { ...london, dateTime: '2026-12-07T09:30:00' },
      recurrence: {
        pattern: { type: 'weekly', interval: 1, daysOfWeek: ['monday', 'thursday'], firstDayOfWeek: 'sunday' },
        range: {
          type: 'numbered',
          numberOfOccurrences: 6,
          startDate: '2026-12-07',
          recurrenceTimeZone: london.timeZone,
        },
      },
    });
    await notify(eventId);
    expect(await meeting(series.id)).toMatchObject({
      timeZone: 'Europe/London',
      startsAt: '2026-12-07T09:00:00.000Z',
      endsAt: '2026-12-07T09:30:00.000Z',
      recurrence: { frequency: 'weekly', weekdays: ['MO', 'TH'], end: { type: 'count', count: 6 } },
    });
  });
});
