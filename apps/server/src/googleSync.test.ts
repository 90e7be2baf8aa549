import { randomBytes } from 'node:crypto';
import type { AuthSession, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFakeProviders, type FakeProviders } from './providers/testing/fakeProviders.ts';
import { addPerson, connectWs, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');
const APP_REDIRECT = 'http://127.0.0.1:53682/providers/callback';
const SYNC = { timeout: 10_000, interval: 100 };

const googleSettings = (fakeUrl: string) => ({
  tokenKeys: `k1:${randomBytes(32).toString('base64')}`,
  providers: {
    google: {
      clientId: 'g-app',
      clientSecret: 'g-secret',
      authorizeUrl: `${fakeUrl}/google/auth`,
      tokenUrl: `${fakeUrl}/google/token`,
      revokeUrl: `${fakeUrl}/google/revoke`,
      apiBaseUrl: fakeUrl,
    },
  },
});

/** Connects `who`'s Google account (theirs, or as owner the organisation's) through the fake's consent. */
async function connectGoogle(server: TestServer, who: AuthSession, scope: 'user' | 'organisation'): Promise<void> {
  const { url } = await server.api.ok('providerConsent', {
    token: who.tokens.accessToken,
    body: { provider: 'google', scope, redirectUri: APP_REDIRECT },
  });
  const back = new URL((await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '');
  await server.api.ok('completeConsent', {
    token: who.tokens.accessToken,
    body: { code: back.searchParams.get('code') ?? '', state: back.searchParams.get('state') ?? '' },
  });
}

/**
 * A connected Google calendar kept in sync (issue 22): connecting opens a push channel
 * (events.watch) and takes a full list's sync token; each push (its X-Goog-Channel-Token checked)
 * lists what changed since, keeps the new token and tells the person's apps; a forgotten token
 * (410) falls back to a full list; a channel about to expire is replaced. Google is a local fake
 * speaking the Calendar API's documented wire format, which also sends the pushes.
 */
describe('Google Calendar push channels and sync tokens (Google a local fake speaking its wire format)', () => {
  let fake: FakeProviders;
  let server: TestServer;
  let ada: AuthSession;
  let ws: WsClient;
  const lists = () =>
    fake.requests.filter((r) => r.method === 'GET' && r.path === '/calendar/v3/calendars/primary/events');
  const changedCount = () => ws.received.filter((m) => m.type === 'calendar.changed').length;

  beforeAll(async () => {
    fake = await startFakeProviders();
    server = await startTestServer(livekit, { linked: googleSettings(fake.url) });
    ada = await signUp(server.api, 'gsync-ada');
  });
  afterAll(async () => {
    ws?.close();
    await server?.close();
    await fake?.close();
  });

  it('opens a push channel on connecting and starts from a full list', async () => {
    fake.changeGoogleEvent({ id: 'before-1' });
    // Google grants this channel an hour only (less than asked): the renewal sweep will find it due.
    fake.grantGoogleChannelsFor(3600_000);
    await connectGoogle(server, ada, 'user');
    const watch = fake.requests.find((r) => r.path === '/calendar/v3/calendars/primary/events/watch');
    const asked = JSON.parse(watch?.body ?? '{}') as Record<string, unknown>;
    expect(asked).toMatchObject({ type: 'web_hook', address: `${server.url}/webhooks/google` });
    expect(String(asked.token).length).toBeGreaterThanOrEqual(32);
    expect(fake.googleChannels.size).toBe(1);
    // The first list is a full one from now on: it gives the position the channel's pushes go on from.
    expect(lists()).toHaveLength(1);
    expect(lists()[0]?.query.get('syncToken')).toBeNull();
    expect(lists()[0]?.query.get('timeMin')).not.toBeNull();
    // Series unexpanded (their master events with their rules), on this list and every one after it.
    expect(lists()[0]?.query.get('singleEvents')).toBe('false');
    ws = await connectWs(server.url, ada.tokens.accessToken);
  });

  it('a push lists the changes since the stored sync token and tells the apps; a forged token is ignored', async () => {
    fake.changeGoogleEvent({ id: 'moved-1' });
    expect(await fake.notifyGoogleChannels()).toEqual([200]);
    await expect.poll(changedCount, SYNC).toBe(1);
    expect(ws.received.find((m) => m.type === 'calendar.changed')).toEqual({
      type: 'calendar.changed',
      provider: 'google',
    });
    const incremental = lists().at(-1);
    expect(incremental?.query.get('syncToken')).toMatch(/^sync-0-1$/);
    expect(incremental?.query.get('timeMin')).toBeNull();
    expect(incremental?.query.get('singleEvents')).toBe('false');

    // The next push goes on from the token the last list gave, and nothing changed means nothing told.
    await fake.notifyGoogleChannels();
    await expect.poll(() => lists().at(-1)?.query.get('syncToken'), SYNC).toBe('sync-0-2');
    expect(changedCount()).toBe(1);

    // Someone who knows the channel's id but not its token: acknowledged, nothing listed, nothing told.
    const [channelId, channel] = [...fake.googleChannels][0] ?? [];
    const before = lists().length;
    fake.changeGoogleEvent({ id: 'forged' });
    const forged = await fetch(`${server.url}/webhooks/google`, {
      method: 'POST',
      headers: {
        'x-goog-channel-id': channelId ?? '',
        'x-goog-channel-token': 'x'.repeat(43),
        'x-goog-resource-id': channel?.resourceId ?? '',
        'x-goog-resource-state': 'exists',
      },
    });
    expect(forged.status).toBe(200);
    expect(lists().length).toBe(before);
    expect(changedCount()).toBe(1);
  });

  it('a sync token Google forgot (410 Gone) falls back to a full list', async () => {
    fake.forgetGoogleSyncTokens();
    fake.changeGoogleEvent({ id: 'cancelled-1', status: 'cancelled' });
    await fake.notifyGoogleChannels();
    await expect.poll(changedCount, SYNC).toBe(2);
    const [gone, full] = lists().slice(-2);
    // The last list (the push with nothing new) gave sync-0-2; Google has forgotten it.
    expect(gone?.query.get('syncToken')).toBe('sync-0-2');
    expect(full?.query.get('syncToken')).toBeNull();
  });

  it('replaces a channel about to expire (the sweep at start), stopping the old one; pushes reach the new one', async () => {
    const [oldId, oldChannel] = [...fake.googleChannels][0] ?? [];
    fake.grantGoogleChannelsFor(null);
    ws.close();
    server = await server.restart();
    const watches = () => fake.requests.filter((r) => r.path === '/calendar/v3/calendars/primary/events/watch');
    await expect.poll(() => fake.requests.some((r) => r.path === '/calendar/v3/channels/stop'), SYNC).toBe(true);
    // The new channel's watch may be recorded a moment after the old one's stop.
    await expect.poll(() => watches().length, SYNC).toBe(2);
    expect(JSON.parse(watches()[1]?.body ?? '{}')).toMatchObject({ address: `${server.url}/webhooks/google` });
    const stop = fake.requests.find((r) => r.path === '/calendar/v3/channels/stop');
    expect(JSON.parse(stop?.body ?? '{}')).toEqual({ id: oldId, resourceId: oldChannel?.resourceId });
    expect([...fake.googleChannels.keys()]).not.toContain(oldId);
    expect(fake.googleChannels.size).toBe(1);

    ws = await connectWs(server.url, ada.tokens.accessToken);
    fake.changeGoogleEvent({ id: 'after-renewal' });
    expect(await fake.notifyGoogleChannels()).toEqual([200]);
    await expect.poll(changedCount, SYNC).toBe(1);
  });
});

/**
 * What a Google change means for the meetings linked to its events (issue 22): Ada's Meet-linked
 * meetings were made as events on her own Google calendar, so a change there (in Google's own
 * app) rewrites them: moved and retitled, cancelled, one instance of a series on its own. The
 * echo of what we wrote ourselves changes nothing, reading the same changes again changes
 * nothing, nothing goes back to Google, and another organisation's meeting linked to an event
 * on the same (fake) calendar is never touched. Google is the local fake speaking its wire format.
 */
describe('Google Calendar changes rewrite the linked meetings (Google a local fake speaking its wire format)', () => {
  let fake: FakeProviders;
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let bob: AuthSession;
  let adaWs: WsClient;
  let graceWs: WsClient;
  let planning: Meeting;
  let eventId: string;
  const told = (ws: WsClient, type: string) => ws.received.filter((m) => m.type === type).length;
  const meeting = async (id: string, who: AuthSession = ada) =>
    server.api.ok('getMeeting', { token: who.tokens.accessToken, params: { meetingId: id } });
  const writesToGoogle = () =>
    fake.requests.filter((r) => r.path.startsWith('/calendar/v3/calendars/primary/events/') && r.method !== 'GET')
      .length;
  /** A push to Ada's channel, and her apps told to read again: whatever it rewrote is stored by then. */
  async function push(): Promise<void> {
    const before = told(adaWs, 'calendar.changed');
    expect(await fake.notifyGoogleChannels()).toEqual([200]);
    await expect.poll(() => told(adaWs, 'calendar.changed'), SYNC).toBe(before + 1);
  }
  /** A meeting's occurrences in [from, to) as Ada's calendar shows them: start, title, cancelled. */
  const shownIn = async (meetingId: string, from: string, to: string) =>
    (
      await server.api.ok('listOccurrences', {
        token: ada.tokens.accessToken,
        params: { meetingId },
        query: { from, to },
      })
    ).occurrences.map((o) => [o.startsAt, o.title, o.cancelled] as const);
  /** Ada's weekly Berlin series on Mondays from `startsAt`, four times, `minutes` long, Grace invited. */
  const fourMondays = (title: string, startsAt: string, minutes: number) =>
    server.api.ok('createMeeting', {
      token: ada.tokens.accessToken,
      body: {
        title,
        startsAt,
        endsAt: new Date(Date.parse(startsAt) + minutes * 60_000).toISOString(),
        timeZone: 'Europe/Berlin',
        invitees: [grace.user.id],
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 4 } },
      },
    });
  async function linkToMeet(m: Meeting, who: AuthSession): Promise<string> {
    const record = await server.api.ok('createLinkedMeeting', {
      token: who.tokens.accessToken,
      params: { meetingId: m.id },
      body: { provider: 'google' },
    });
    expect(record.linked.provider).toBe('meet');
    return record.externalId ?? '';
  }

  beforeAll(async () => {
    fake = await startFakeProviders();
    server = await startTestServer(livekit, { linked: googleSettings(fake.url) });
    ada = await signUp(server.api, 'gfollow-ada');
    grace = await addPerson(server.api, ada, 'gfollow-grace', 'member');
    bob = await signUp(server.api, 'gfollow-bob');
    await connectGoogle(server, ada, 'user');
    // Bob's organisation connects its own account: its events are on the same fake calendar, and it has no channel.
    await connectGoogle(server, bob, 'organisation');
    expect(fake.googleChannels.size).toBe(1);
    adaWs = await connectWs(server.url, ada.tokens.accessToken);
    graceWs = await connectWs(server.url, grace.tokens.accessToken);
  });
  afterAll(async () => {
    adaWs?.close();
    graceWs?.close();
    await server?.close();
    await fake?.close();
  });

  it('the event we made, and our own later edit, echo back and change nothing', async () => {
    planning = await server.api.ok('createMeeting', {
      token: ada.tokens.accessToken,
      body: {
        title: 'Planning',
        startsAt: '2026-12-14T09:00:00.000Z',
        endsAt: '2026-12-14T10:00:00.000Z',
        timeZone: 'Europe/Berlin',
        invitees: [grace.user.id],
      },
    });
    eventId = await linkToMeet(planning, ada);
    await push();
    expect(await meeting(planning.id)).toEqual(planning);

    // Our edit reaches Google (a PATCH), whose push brings it back: the meeting stays as we saved it.
    const saved = await server.api.ok('updateMeeting', {
      token: ada.tokens.accessToken,
      params: { meetingId: planning.id },
      body: { title: 'Planning Q1' },
    });
    expect(fake.googleEvents.get(eventId)).toMatchObject({ summary: 'Planning Q1' });
    const heard = told(graceWs, 'meeting.changed');
    await push();
    expect(await meeting(planning.id)).toEqual(saved);
    expect(told(graceWs, 'meeting.changed')).toBe(heard);
    planning = saved;
  });

  it('two quick edits: a list still showing our first write (the second on its way) does not put the meeting back', async () => {
    const heard = told(graceWs, 'meeting.changed');
    const edit = (title: string) =>
      server.api.call('updateMeeting', {
        token: ada.tokens.accessToken,
        params: { meetingId: planning.id },
        body: { title },
      });
    expect((await edit('Planning Q1 draft')).status).toBe(200);
    // The second edit is saved, but its write has not reached Google yet (here: Google failed it).
    fake.failGoogleWrites(1);
    const second = await edit('Planning Q1 final');
    expect(second.status).toBe(503);
    expect(JSON.stringify(second.body)).toContain('Saved in Tandem');
    expect(fake.googleEvents.get(eventId)).toMatchObject({ summary: 'Planning Q1 draft' });
    // Google's list now shows the first edit, stamped as that write was: nothing new, nothing put back.
    await push();
    expect(await meeting(planning.id)).toMatchObject({ title: 'Planning Q1 final' });
    await expect.poll(() => told(graceWs, 'meeting.changed'), SYNC).toBe(heard + 2);
    // Saved again, the write reaches Google, and its echo changes nothing either.
    expect((await edit('Planning Q1 final')).status).toBe(200);
    expect(fake.googleEvents.get(eventId)).toMatchObject({ summary: 'Planning Q1 final' });
    planning = await meeting(planning.id);
    await push();
    expect(await meeting(planning.id)).toEqual(planning);
    expect(told(graceWs, 'meeting.changed')).toBe(heard + 3);
  });

  it('moved and retitled in Google: the meeting follows, its invitees hear it from Ada, nothing goes back', async () => {
    const writes = writesToGoogle();
    fake.changeGoogleEvent({
      id: eventId,
      summary: 'Planning Q1 (moved)',
      start: { dateTime: '2026-12-15T14:00:00+01:00', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2026-12-15T15:30:00+01:00', timeZone: 'Europe/Berlin' },
    });
    await push();
    const moved = await meeting(planning.id, grace);
    expect(moved).toMatchObject({
      title: 'Planning Q1 (moved)',
      startsAt: '2026-12-15T13:00:00.000Z',
      endsAt: '2026-12-15T14:30:00.000Z',
      status: 'scheduled',
    });
    expect(Date.parse(moved.updatedAt)).toBeGreaterThan(Date.parse(planning.updatedAt));
    await expect
      .poll(() => graceWs.received.filter((m) => m.type === 'meeting.changed').at(-1), SYNC)
      .toMatchObject({ meeting: { id: planning.id, title: 'Planning Q1 (moved)' }, changedBy: { id: ada.user.id } });
    expect(writesToGoogle()).toBe(writes);

    // The same changes read again (Google forgot the token: a full list) rewrite nothing.
    const heard = told(graceWs, 'meeting.changed');
    fake.forgetGoogleSyncTokens();
    await push();
    expect(await meeting(planning.id)).toEqual(moved);
    expect(told(graceWs, 'meeting.changed')).toBe(heard);
    planning = moved;
  });

  it('cancelled in Google (the event its id and status only): the meeting is cancelled, and stays so', async () => {
    const writes = writesToGoogle();
    fake.changeGoogleEvent({ id: eventId, status: 'cancelled' });
    await push();
    expect(await meeting(planning.id)).toMatchObject({ status: 'cancelled', title: 'Planning Q1 (moved)' });
    await expect
      .poll(() => graceWs.received.filter((m) => m.type === 'meeting.changed').at(-1), SYNC)
      .toMatchObject({ meeting: { id: planning.id, status: 'cancelled' } });
    // Nothing is sent back: no DELETE for an event Google has cancelled itself.
    expect(writesToGoogle()).toBe(writes);
    const calendar = await server.api.ok('calendar', {
      token: ada.tokens.accessToken,
      query: { from: '2026-12-14T00:00:00.000Z', to: '2026-12-21T00:00:00.000Z' },
    });
    expect(calendar.entries.filter((e) => e.kind === 'tandem' && e.meetingId === planning.id)).toEqual([]);
  });

  it('one instance of a series moved and retitled, another cancelled: those occurrences alone change', async () => {
    const series = await server.api.ok('createMeeting', {
      token: ada.tokens.accessToken,
      body: {
        title: 'Stand-up',
        startsAt: '2027-01-04T09:00:00.000Z',
        endsAt: '2027-01-04T09:15:00.000Z',
        timeZone: 'UTC',
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 4 } },
      },
    });
    const seriesId = await linkToMeet(series, ada);
    fake.changeGoogleEvent({
      id: `${seriesId}_20270111T090000Z`,
      recurringEventId: seriesId,
      originalStartTime: { dateTime: '2027-01-11T09:00:00Z' },
      summary: 'Stand-up with the board',
      start: { dateTime: '2027-01-11T10:00:00Z' },
      end: { dateTime: '2027-01-11T10:30:00Z' },
      organizer: { email: 'ada@example.com', self: true },
    });
    fake.changeGoogleEvent({
      id: `${seriesId}_20270118T090000Z`,
      recurringEventId: seriesId,
      originalStartTime: { dateTime: '2027-01-18T09:00:00Z' },
      status: 'cancelled',
    });
    // Not one of the series' occurrences (a Tuesday): left alone.
    fake.changeGoogleEvent({
      id: `${seriesId}_20270112T090000Z`,
      recurringEventId: seriesId,
      originalStartTime: { dateTime: '2027-01-12T09:00:00Z' },
      summary: 'Stray',
    });
    await push();
    const occurrences = () =>
      server.api.ok('listOccurrences', {
        token: ada.tokens.accessToken,
        params: { meetingId: series.id },
        query: { from: '2027-01-01T00:00:00.000Z', to: '2027-02-01T00:00:00.000Z' },
      });
    const after = await occurrences();
    expect(after.occurrences.map((o) => [o.occurrenceId, o.startsAt, o.endsAt, o.title, o.cancelled])).toEqual([
      ['2027-01-04T09:00:00.000Z', '2027-01-04T09:00:00.000Z', '2027-01-04T09:15:00.000Z', 'Stand-up', false],
      [
        '2027-01-11T09:00:00.000Z',
        '2027-01-11T10:00:00.000Z',
        '2027-01-11T10:30:00.000Z',
        'Stand-up with the board',
        false,
      ],
      ['2027-01-18T09:00:00.000Z', '2027-01-18T09:00:00.000Z', '2027-01-18T09:15:00.000Z', 'Stand-up', true],
      ['2027-01-25T09:00:00.000Z', '2027-01-25T09:00:00.000Z', '2027-01-25T09:15:00.000Z', 'Stand-up', false],
    ]);
    const stored = await meeting(series.id);
    expect(stored).toMatchObject({ title: 'Stand-up', startsAt: '2027-01-04T09:00:00.000Z', status: 'scheduled' });

    // Read again in full: the same occurrences, the meeting untouched.
    fake.forgetGoogleSyncTokens();
    await push();
    expect(await occurrences()).toEqual(after);
    expect(await meeting(series.id)).toEqual(stored);
  });

  describe('a series changed as a whole in Google', () => {
    let weekly: Meeting;
    let masterId: string;
    const occurrences = () => shownIn(weekly.id, '2027-01-25T00:00:00.000Z', '2027-03-15T00:00:00.000Z');
    /** The master event changed in Google's own app: the fields given replace those it had. */
    const changeMaster = (fields: Omit<Parameters<FakeProviders['changeGoogleEvent']>[0], 'id'>) =>
      fake.changeGoogleEvent({ id: masterId, ...fields });
    /** Grace is told of the series' change by Ada, and nothing goes back to Google. */
    async function followed(heard: number, writes: number): Promise<void> {
      await expect.poll(() => told(graceWs, 'meeting.changed'), SYNC).toBe(heard + 1);
      expect(graceWs.received.filter((m) => m.type === 'meeting.changed').at(-1)).toMatchObject({
        meeting: { id: weekly.id },
        changedBy: { id: ada.user.id },
      });
      expect(writesToGoogle()).toBe(writes);
    }
    /** Read again in full (Google forgot the token): nothing changes. */
    async function readAgain(): Promise<void> {
      const [stored, shown, heard] = [await meeting(weekly.id), await occurrences(), told(graceWs, 'meeting.changed')];
      fake.forgetGoogleSyncTokens();
      await push();
      expect(await meeting(weekly.id)).toEqual(stored);
      expect(await occurrences()).toEqual(shown);
      expect(told(graceWs, 'meeting.changed')).toBe(heard);
    }

    it('our own series and our own edit of its rule echo back and change nothing; two occurrences changed in Google', async () => {
      weekly = await server.api.ok('createMeeting', {
        token: ada.tokens.accessToken,
        body: {
          title: 'Weekly sync',
          startsAt: '2027-02-01T08:00:00.000Z',
          endsAt: '2027-02-01T08:30:00.000Z',
          timeZone: 'Europe/Berlin',
          invitees: [grace.user.id],
          recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 6 } },
        },
      });
      masterId = await linkToMeet(weekly, ada);
      expect(fake.googleEvents.get(masterId)).toMatchObject({
        recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=6'],
        start: { timeZone: 'Europe/Berlin' },
      });
      await push();
      expect(await meeting(weekly.id)).toEqual(weekly);
      const heard = told(graceWs, 'meeting.changed');
      weekly = await server.api.ok('updateMeeting', {
        token: ada.tokens.accessToken,
        params: { meetingId: weekly.id },
        body: { recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 5 } } },
      });
      expect(fake.googleEvents.get(masterId)).toMatchObject({
        recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=5'],
      });
      await expect.poll(() => told(graceWs, 'meeting.changed'), SYNC).toBe(heard + 1);
      await push();
      expect(await meeting(weekly.id)).toEqual(weekly);
      expect(told(graceWs, 'meeting.changed')).toBe(heard + 1);

      // Exceptions made in Google: the second occurrence moved and retitled, the third cancelled.
      fake.changeGoogleEvent({
        id: `${masterId}_20270208T080000Z`,
        recurringEventId: masterId,
        originalStartTime: { dateTime: '2027-02-08T08:00:00Z' },
        summary: 'Weekly sync with the board',
        start: { dateTime: '2027-02-08T10:00:00Z', timeZone: 'Europe/Berlin' },
        end: { dateTime: '2027-02-08T10:30:00Z', timeZone: 'Europe/Berlin' },
        organizer: { email: 'ada@example.com', self: true },
      });
      fake.changeGoogleEvent({
        id: `${masterId}_20270215T080000Z`,
        recurringEventId: masterId,
        originalStartTime: { dateTime: '2027-02-15T08:00:00Z' },
        status: 'cancelled',
      });
      await push();
      expect(await occurrences()).toEqual([
        ['2027-02-01T08:00:00.000Z', 'Weekly sync', false],
        ['2027-02-08T10:00:00.000Z', 'Weekly sync with the board', false],
        ['2027-02-15T08:00:00.000Z', 'Weekly sync', true],
        ['2027-02-22T08:00:00.000Z', 'Weekly sync', false],
        ['2027-03-01T08:00:00.000Z', 'Weekly sync', false],
      ]);
      weekly = await meeting(weekly.id);
    });

    it('retitled in Google: the series takes the title, its changed occurrences keep theirs', async () => {
      const [heard, writes] = [told(graceWs, 'meeting.changed'), writesToGoogle()];
      changeMaster({ summary: 'Weekly planning' });
      await push();
      expect(await meeting(weekly.id)).toMatchObject({
        title: 'Weekly planning',
        startsAt: '2027-02-01T08:00:00.000Z',
        rrule: weekly.rrule,
      });
      expect(await occurrences()).toEqual([
        ['2027-02-01T08:00:00.000Z', 'Weekly planning', false],
        ['2027-02-08T10:00:00.000Z', 'Weekly sync with the board', false],
        ['2027-02-15T08:00:00.000Z', 'Weekly planning', true],
        ['2027-02-22T08:00:00.000Z', 'Weekly planning', false],
        ['2027-03-01T08:00:00.000Z', 'Weekly planning', false],
      ]);
      await followed(heard, writes);
      await readAgain();
      weekly = await meeting(weekly.id);
    });

    it('shortened in Google by UNTIL: the series ends there, the exceptions before it kept', async () => {
      const [heard, writes] = [told(graceWs, 'meeting.changed'), writesToGoogle()];
      // Google Calendar ends a series at the end of the chosen day in the event's zone, in UTC.
      changeMaster({ recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20270215T225959Z'] });
      await push();
      expect(await meeting(weekly.id)).toMatchObject({
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'until', until: '2027-02-15' } },
        startsAt: '2027-02-01T08:00:00.000Z',
        timeZone: 'Europe/Berlin',
      });
      expect(await occurrences()).toEqual([
        ['2027-02-01T08:00:00.000Z', 'Weekly planning', false],
        ['2027-02-08T10:00:00.000Z', 'Weekly sync with the board', false],
        ['2027-02-15T08:00:00.000Z', 'Weekly planning', true],
      ]);
      await followed(heard, writes);
      await readAgain();
      weekly = await meeting(weekly.id);
    });

    it('a rule Tandem cannot keep is left alone, none of the change applied, and the push still acknowledged', async () => {
      const heard = told(graceWs, 'meeting.changed');
      const shown = await occurrences();
      for (const recurrence of [
        ['RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,15'],
        ['RRULE:FREQ=MONTHLY;BYDAY=1MO,3MO'],
        ['RRULE:FREQ=WEEKLY;BYDAY=MO', 'RDATE;VALUE=DATE:20270317'],
        ['RRULE:FREQ=HOURLY;COUNT=3'],
        ['RRULE:NOT A RULE'],
      ]) {
        changeMaster({ summary: 'Not like this', recurrence });
        await push();
        expect(await meeting(weekly.id)).toEqual(weekly);
        expect(await occurrences()).toEqual(shown);
      }
      expect(told(graceWs, 'meeting.changed')).toBe(heard);
    });

    it('moved in Google to another day, zone and rule: the series follows; exceptions off the new rule go', async () => {
      const [heard, writes] = [told(graceWs, 'meeting.changed'), writesToGoogle()];
      changeMaster({
        summary: 'Weekly planning',
        start: { dateTime: '2027-02-02T10:00:00+00:00', timeZone: 'Europe/London' },
        end: { dateTime: '2027-02-02T11:00:00+00:00', timeZone: 'Europe/London' },
        recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=4'],
      });
      await push();
      expect(await meeting(weekly.id)).toMatchObject({
        title: 'Weekly planning',
        startsAt: '2027-02-02T10:00:00.000Z',
        endsAt: '2027-02-02T11:00:00.000Z',
        timeZone: 'Europe/London',
        recurrence: { frequency: 'weekly', weekdays: ['TU'], end: { type: 'count', count: 4 } },
      });
      // The Monday exceptions are no occurrences of the Tuesday rule (Google's still name their Mondays).
      expect(await occurrences()).toEqual([
        ['2027-02-02T10:00:00.000Z', 'Weekly planning', false],
        ['2027-02-09T10:00:00.000Z', 'Weekly planning', false],
        ['2027-02-16T10:00:00.000Z', 'Weekly planning', false],
        ['2027-02-23T10:00:00.000Z', 'Weekly planning', false],
      ]);
      await followed(heard, writes);
      await readAgain();
    });
  });

  describe('EXDATE lines of a series in Google', () => {
    let weekly: Meeting;
    let masterId: string;
    const shown = async () =>
      (
        await server.api.ok('listOccurrences', {
          token: ada.tokens.accessToken,
          params: { meetingId: weekly.id },
          query: { from: '2027-03-01T00:00:00.000Z', to: '2027-04-12T00:00:00.000Z' },
        })
      ).occurrences.map((o) => [o.startsAt, o.cancelled] as const);
    /** Mondays 09:00 Berlin (08:00 UTC in winter, 07:00 UTC from 29 March), six of them; these taken out. */
    const mondays = (cancelled: readonly string[]) =>
      [
        '2027-03-01T08:00:00.000Z',
        '2027-03-08T08:00:00.000Z',
        '2027-03-15T08:00:00.000Z',
        '2027-03-22T08:00:00.000Z',
        '2027-03-29T07:00:00.000Z',
        '2027-04-05T07:00:00.000Z',
      ].map((at) => [at, cancelled.includes(at.slice(0, 10))] as const);
    const RULE = 'RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=6';

    it("an EXDATE in any of Google's forms cancels that occurrence; Grace is told, nothing goes back", async () => {
      weekly = await server.api.ok('createMeeting', {
        token: ada.tokens.accessToken,
        body: {
          title: 'Ops review',
          startsAt: '2027-03-01T08:00:00.000Z',
          endsAt: '2027-03-01T08:30:00.000Z',
          timeZone: 'Europe/Berlin',
          invitees: [grace.user.id],
          recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 6 } },
        },
      });
      masterId = await linkToMeet(weekly, ada);
      await push();
      // The occurrence of 22 March cancelled in Google on its own (a cancelled instance), not by EXDATE.
      fake.changeGoogleEvent({
        id: `${masterId}_20270322T080000Z`,
        recurringEventId: masterId,
        originalStartTime: { dateTime: '2027-03-22T08:00:00Z' },
        status: 'cancelled',
      });
      await push();
      expect(await shown()).toEqual(mondays(['2027-03-22']));
      const [heard, writes] = [told(graceWs, 'meeting.changed'), writesToGoogle()];
      fake.changeGoogleEvent({
        id: masterId,
        recurrence: [
          RULE,
          'EXDATE;TZID=Europe/Berlin:20270308T090000,20270322T090000',
          'EXDATE:20270315T080000Z',
          // A whole day in the series' zone; 29 March is after the change to summer time.
          'EXDATE;VALUE=DATE:20270329',
          // No occurrence of the rule: nothing to take out.
          'EXDATE;TZID=Europe/Berlin:20270310T090000',
        ],
      });
      await push();
      expect(await shown()).toEqual(mondays(['2027-03-08', '2027-03-15', '2027-03-22', '2027-03-29']));
      await expect.poll(() => told(graceWs, 'meeting.changed'), SYNC).toBe(heard + 1);
      expect(writesToGoogle()).toBe(writes);
      // Read again in full: nothing changes.
      const stored = await meeting(weekly.id);
      fake.forgetGoogleSyncTokens();
      await push();
      expect(await meeting(weekly.id)).toEqual(stored);
      expect(told(graceWs, 'meeting.changed')).toBe(heard + 1);
      weekly = stored;
    });

    it("our own write of the series keeps Google's EXDATEs", async () => {
      weekly = await server.api.ok('updateMeeting', {
        token: ada.tokens.accessToken,
        params: { meetingId: weekly.id },
        body: { title: 'Ops review (weekly)' },
      });
      expect(fake.googleEvents.get(masterId)).toMatchObject({
        summary: 'Ops review (weekly)',
        recurrence: [RULE, 'EXDATE;TZID=Europe/Berlin:20270308T090000,20270315T090000,20270329T090000'],
      });
      await push();
      expect(await meeting(weekly.id)).toEqual(weekly);
      expect(await shown()).toEqual(mondays(['2027-03-08', '2027-03-15', '2027-03-22', '2027-03-29']));
    });

    it('an EXDATE removed in Google brings back what it alone took out; a line Tandem does not read is left alone', async () => {
      const heard = told(graceWs, 'meeting.changed');
      fake.changeGoogleEvent({ id: masterId, recurrence: [RULE, 'EXDATE;TZID=Europe/Berlin:20270315T090000'] });
      await push();
      // 22 March stays cancelled: Google cancelled it as an instance, not by the EXDATE now gone.
      expect(await shown()).toEqual(mondays(['2027-03-15', '2027-03-22']));
      await expect.poll(() => told(graceWs, 'meeting.changed'), SYNC).toBe(heard + 1);
      weekly = await meeting(weekly.id);

      // A floating time, an unknown parameter, a date that is not one: none of the change applied.
      for (const line of [
        'EXDATE:20270405T090000',
        'EXDATE;X-FOO=1:20270405T070000Z',
        'EXDATE;VALUE=DATE:20271305',
        'EXDATE;TZID=Europe/Berlin:20270405T090000Z',
      ]) {
        fake.changeGoogleEvent({ id: masterId, summary: 'Not like this', recurrence: [RULE, line] });
        await push();
        expect(await meeting(weekly.id)).toEqual(weekly);
        expect(await shown()).toEqual(mondays(['2027-03-15', '2027-03-22']));
      }
      expect(told(graceWs, 'meeting.changed')).toBe(heard + 1);
    });
  });

  it('a series made a single event in Google: one meeting at its time, in its zone; its changed occurrences go', async () => {
    const series = await server.api.ok('createMeeting', {
      token: ada.tokens.accessToken,
      body: {
        title: 'Design crit',
        startsAt: '2027-05-03T08:00:00.000Z',
        endsAt: '2027-05-03T09:00:00.000Z',
        timeZone: 'Europe/Berlin',
        invitees: [grace.user.id],
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'never' } },
      },
    });
    const seriesId = await linkToMeet(series, ada);
    fake.changeGoogleEvent({
      id: `${seriesId}_20270510T080000Z`,
      recurringEventId: seriesId,
      originalStartTime: { dateTime: '2027-05-10T08:00:00Z' },
      summary: 'Design crit (long)',
      start: { dateTime: '2027-05-10T08:00:00Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2027-05-10T10:00:00Z', timeZone: 'Europe/Berlin' },
      organizer: { email: 'ada@example.com', self: true },
    });
    await push();
    const [heard, writes] = [told(graceWs, 'meeting.changed'), writesToGoogle()];
    fake.changeGoogleEvent({
      id: seriesId,
      summary: 'Design crit, once',
      start: { dateTime: '2027-05-04T10:00:00-04:00', timeZone: 'America/New_York' },
      end: { dateTime: '2027-05-04T11:30:00-04:00', timeZone: 'America/New_York' },
      recurrence: null,
    });
    await push();
    const single = await meeting(series.id, grace);
    expect(single).toMatchObject({
      title: 'Design crit, once',
      startsAt: '2027-05-04T14:00:00.000Z',
      endsAt: '2027-05-04T15:30:00.000Z',
      timeZone: 'America/New_York',
      rrule: null,
      recurrence: null,
      status: 'scheduled',
    });
    const occurrences = await server.api.ok('listOccurrences', {
      token: ada.tokens.accessToken,
      params: { meetingId: series.id },
      query: { from: '2027-05-01T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z' },
    });
    expect(occurrences.occurrences.map((o) => [o.startsAt, o.title, o.changed])).toEqual([
      ['2027-05-04T14:00:00.000Z', 'Design crit, once', false],
    ]);
    await expect
      .poll(() => graceWs.received.filter((m) => m.type === 'meeting.changed').at(-1), SYNC)
      .toMatchObject({ meeting: { id: series.id, rrule: null }, changedBy: { id: ada.user.id } });
    expect(told(graceWs, 'meeting.changed')).toBe(heard + 1);
    expect(writesToGoogle()).toBe(writes);
    // Read again in full (the old instance still listed, now of no series of ours): nothing changes.
    fake.forgetGoogleSyncTokens();
    await push();
    expect(await meeting(series.id, grace)).toEqual(single);
    expect(told(graceWs, 'meeting.changed')).toBe(heard + 1);
  });

  it("a series made a single meeting in Tandem: the PATCH gives Google an empty recurrence (an array given replaces the event's), the event no longer repeats, and its echo changes nothing", async () => {
    const series = await fourMondays('Office hours', '2027-06-07T08:00:00.000Z', 60);
    const seriesId = await linkToMeet(series, ada);
    expect(fake.googleEvents.get(seriesId)).toMatchObject({
      recurrence: ['RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=4'],
    });
    await push();
    const single = await server.api.ok('updateMeeting', {
      token: ada.tokens.accessToken,
      params: { meetingId: series.id },
      body: { recurrence: null },
    });
    expect(single).toMatchObject({ rrule: null, recurrence: null, startsAt: '2027-06-07T08:00:00.000Z' });
    const patch = fake.requests.findLast(
      (r) => r.method === 'PATCH' && r.path === `/calendar/v3/calendars/primary/events/${seriesId}`,
    );
    expect(JSON.parse(patch?.body ?? '{}')).toEqual({
      summary: 'Office hours',
      description: `Tandem meeting: ${series.webJoinUrl}`,
      start: { dateTime: '2027-06-07T08:00:00.000Z', timeZone: 'Europe/Berlin' },
      end: { dateTime: '2027-06-07T09:00:00.000Z', timeZone: 'Europe/Berlin' },
      recurrence: [],
      attendees: [{ email: grace.user.email }],
    });
    // Google keeps a single event, listed without the field.
    expect(fake.googleEvents.get(seriesId)).not.toHaveProperty('recurrence');
    await expect
      .poll(() => graceWs.received.filter((m) => m.type === 'meeting.changed').at(-1), SYNC)
      .toMatchObject({ meeting: { id: series.id, rrule: null } });
    const heard = told(graceWs, 'meeting.changed');
    await push();
    expect(await meeting(series.id)).toEqual(single);
    expect(told(graceWs, 'meeting.changed')).toBe(heard);
  });

  it('"this occurrence" moved, retitled and cancelled in Tandem reach the instance Google names by its original start (events.instances, across the March change); cancelling the series deletes the event; their echoes change nothing', async () => {
    // Mondays 09:00 Berlin from 15 March 2027, four times: 08:00 UTC, then 07:00 UTC from 29 March.
    const standup = await fourMondays('Standup', '2027-03-15T08:00:00.000Z', 15);
    const seriesId = await linkToMeet(standup, ada);
    await push();
    const path = (id: string) => `/calendar/v3/calendars/primary/events/${id}`;
    const sent = (method: string, at: string) => fake.requests.filter((r) => r.method === method && r.path === at);
    const edit = (occurrenceId: string, body: Record<string, unknown>) =>
      server.api.ok('editOccurrence', {
        token: ada.tokens.accessToken,
        params: { meetingId: standup.id, occurrenceId },
        body: { scope: 'this', ...body },
      });

    // After the change to summer time: the instance is asked for at 07:00 UTC, and moved to 11:00 Berlin.
    await edit('2027-03-29T07:00:00.000Z', { startsAt: '2027-03-29T09:00:00.000Z' });
    const asked = sent('GET', `${path(seriesId)}/instances`);
    expect(asked.map((r) => [r.query.get('originalStart'), r.query.get('showDeleted')])).toEqual([
      ['2027-03-29T07:00:00.000Z', 'true'],
    ]);
    const third = `${seriesId}_20270329T070000Z`;
    expect(sent('PATCH', path(third)).map((r) => JSON.parse(r.body ?? '{}'))).toEqual([
      {
        summary: 'Standup',
        start: { dateTime: '2027-03-29T09:00:00.000Z' },
        end: { dateTime: '2027-03-29T09:15:00.000Z' },
      },
    ]);
    expect(fake.googleEvents.get(third)).toMatchObject({
      recurringEventId: seriesId,
      originalStartTime: { dateTime: '2027-03-29T07:00:00.000Z' },
      start: { dateTime: '2027-03-29T09:00:00.000Z' },
    });
    // Moved again: still named by where the rule put it, not by where it is now.
    await edit('2027-03-29T07:00:00.000Z', { startsAt: '2027-03-29T10:00:00.000Z' });
    expect(sent('GET', `${path(seriesId)}/instances`).map((r) => r.query.get('originalStart'))).toEqual([
      '2027-03-29T07:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
    ]);
    expect(fake.googleEvents.get(third)).toMatchObject({ start: { dateTime: '2027-03-29T10:00:00.000Z' } });
    await edit('2027-03-22T08:00:00.000Z', { title: 'Standup: demo day' });
    expect(fake.googleEvents.get(`${seriesId}_20270322T080000Z`)).toMatchObject({
      summary: 'Standup: demo day',
      start: { dateTime: '2027-03-22T08:00:00.000Z' },
    });
    await edit('2027-04-05T07:00:00.000Z', { cancelled: true });
    expect(sent('DELETE', path(`${seriesId}_20270405T070000Z`))).toHaveLength(1);
    expect(fake.googleEvents.get(`${seriesId}_20270405T070000Z`)).toMatchObject({ status: 'cancelled' });
    expect(fake.googleEvents.get(seriesId)).toMatchObject({ status: 'confirmed', summary: 'Standup' });

    // Google lists the three instances as changed: the echo of our own writes changes nothing.
    const occurrences = () => shownIn(standup.id, '2027-03-01T00:00:00.000Z', '2027-04-30T00:00:00.000Z');
    const shown = await occurrences();
    expect(shown).toEqual([
      ['2027-03-15T08:00:00.000Z', 'Standup', false],
      ['2027-03-22T08:00:00.000Z', 'Standup: demo day', false],
      ['2027-03-29T10:00:00.000Z', 'Standup', false],
      ['2027-04-05T07:00:00.000Z', 'Standup', true],
    ]);
    const [stored, heard] = [await meeting(standup.id), told(graceWs, 'meeting.changed')];
    await push();
    expect(await occurrences()).toEqual(shown);
    expect(await meeting(standup.id)).toEqual(stored);
    expect(told(graceWs, 'meeting.changed')).toBe(heard);

    // The whole series cancelled in Tandem: Google's event is deleted, and its echo changes nothing.
    await server.api.ok('cancelMeeting', {
      token: ada.tokens.accessToken,
      params: { meetingId: standup.id },
      body: {},
    });
    expect(sent('DELETE', path(seriesId))).toHaveLength(1);
    expect(fake.googleEvents.get(seriesId)).toMatchObject({ status: 'cancelled' });
    await expect.poll(() => told(graceWs, 'meeting.changed'), SYNC).toBe(heard + 1);
    const cancelled = await meeting(standup.id);
    expect(cancelled.status).toBe('cancelled');
    await push();
    expect(await meeting(standup.id)).toEqual(cancelled);
    expect(told(graceWs, 'meeting.changed')).toBe(heard + 1);
  });

  describe('"this and following" in Google', () => {
    let retro: Meeting;
    let masterId: string;
    const adaMeetings = async () =>
      (await server.api.ok('listMeetings', { token: ada.tokens.accessToken, query: {} })).meetings.filter((m) =>
        m.title.startsWith('Retro'),
      );
    const carriedOn = () => `${masterId}_R20270419T100000`;

    it('shortens the series and brings the new series in as a meeting of its own, linked to it, once', async () => {
      retro = await server.api.ok('createMeeting', {
        token: ada.tokens.accessToken,
        body: {
          title: 'Retro',
          startsAt: '2027-04-05T10:00:00.000Z',
          endsAt: '2027-04-05T11:00:00.000Z',
          timeZone: 'UTC',
          invitees: [grace.user.id],
          settings: { lobby: true },
          recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 6 } },
        },
      });
      masterId = await linkToMeet(retro, ada);
      await push();
      const [invited, writes, posts] = [
        told(graceWs, 'meeting.invited'),
        writesToGoogle(),
        fake.requests.filter((r) => r.method === 'POST' && r.path === '/calendar/v3/calendars/primary/events').length,
      ];
      // Google's "this and following" from 19 April: the series ends the day before, a new one
      // (its own RRULE, one hour later, retitled) carries on, its first occurrence's EXDATE with it.
      fake.changeGoogleEvent({ id: masterId, recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20270418T235959Z'] });
      fake.changeGoogleEvent({
        id: carriedOn(),
        summary: 'Retro (new format)',
        start: { dateTime: '2027-04-19T11:00:00Z', timeZone: 'UTC' },
        end: { dateTime: '2027-04-19T12:00:00Z', timeZone: 'UTC' },
        recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=4', 'EXDATE:20270503T110000Z'],
        organizer: { email: 'ada@example.com', self: true },
      });
      await push();
      expect(await meeting(retro.id)).toMatchObject({
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'until', until: '2027-04-12' } },
      });
      const made = (await adaMeetings()).filter((m) => m.id !== retro.id);
      expect(made).toHaveLength(1);
      const rest = made[0] as Meeting;
      expect(rest).toMatchObject({
        title: 'Retro (new format)',
        ownerId: ada.user.id,
        invitees: [grace.user.id],
        settings: retro.settings,
        startsAt: '2027-04-19T11:00:00.000Z',
        endsAt: '2027-04-19T12:00:00.000Z',
        timeZone: 'UTC',
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count: 4 } },
      });
      const occurrences = await server.api.ok('listOccurrences', {
        token: ada.tokens.accessToken,
        params: { meetingId: rest.id },
        query: { from: '2027-04-01T00:00:00.000Z', to: '2027-06-01T00:00:00.000Z' },
      });
      expect(occurrences.occurrences.map((o) => [o.startsAt, o.cancelled])).toEqual([
        ['2027-04-19T11:00:00.000Z', false],
        ['2027-04-26T11:00:00.000Z', false],
        ['2027-05-03T11:00:00.000Z', true],
        ['2027-05-10T11:00:00.000Z', false],
      ]);
      expect(
        await server.api.ok('getLinkedMeeting', { token: ada.tokens.accessToken, params: { meetingId: rest.id } }),
      ).toMatchObject({ linked: { source: 'created', externalId: carriedOn(), linked: { provider: 'meet' } } });
      // Grace is invited to it by Ada; nothing is made or written at Google.
      await expect
        .poll(() => graceWs.received.filter((m) => m.type === 'meeting.invited').at(-1), SYNC)
        .toMatchObject({ meeting: { id: rest.id }, invitedBy: { id: ada.user.id } });
      expect(told(graceWs, 'meeting.invited')).toBe(invited + 1);
      expect(writesToGoogle()).toBe(writes);
      expect(
        fake.requests.filter((r) => r.method === 'POST' && r.path === '/calendar/v3/calendars/primary/events').length,
      ).toBe(posts);

      // Read again in full, and pushed again: nothing made twice, nothing changed.
      fake.forgetGoogleSyncTokens();
      await push();
      fake.changeGoogleEvent({ id: carriedOn() });
      await push();
      expect((await adaMeetings()).map((m) => m.id).sort()).toEqual([retro.id, rest.id].sort());
      expect(await meeting(rest.id)).toEqual(rest);
      expect(told(graceWs, 'meeting.invited')).toBe(invited + 1);

      // Linked: a change of it in Tandem reaches the new Google event.
      await server.api.ok('updateMeeting', {
        token: ada.tokens.accessToken,
        params: { meetingId: rest.id },
        body: { title: 'Retro, new format' },
      });
      expect(fake.googleEvents.get(carriedOn())).toMatchObject({ summary: 'Retro, new format' });
    });

    it("a series carried on from an event Tandem did not make, or from another organisation's, is not brought in", async () => {
      const theirs = await server.api.ok('createMeeting', {
        token: bob.tokens.accessToken,
        body: {
          title: 'Retro of the board',
          startsAt: '2027-04-07T10:00:00.000Z',
          endsAt: '2027-04-07T11:00:00.000Z',
          timeZone: 'UTC',
          recurrence: { frequency: 'weekly', weekdays: ['WE'], end: { type: 'count', count: 6 } },
        },
      });
      const theirEvent = await linkToMeet(theirs, bob);
      const bobs = async () =>
        (await server.api.ok('listMeetings', { token: bob.tokens.accessToken, query: {} })).meetings.length;
      const before = [(await adaMeetings()).length, await bobs()];
      for (const id of [`${theirEvent}_R20270421T100000`, 'madeInGoogle_R20270421T100000Z']) {
        fake.changeGoogleEvent({
          id,
          summary: 'Retro elsewhere',
          start: { dateTime: '2027-04-21T10:00:00Z', timeZone: 'UTC' },
          end: { dateTime: '2027-04-21T11:00:00Z', timeZone: 'UTC' },
          recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=3'],
        });
      }
      await push();
      expect([(await adaMeetings()).length, await bobs()]).toEqual(before);
    });
  });

  it("another organisation's series linked to an event on the same calendar is never touched", async () => {
    const theirs = await server.api.ok('createMeeting', {
      token: bob.tokens.accessToken,
      body: {
        title: 'Board weekly',
        startsAt: '2027-02-03T09:00:00.000Z',
        endsAt: '2027-02-03T10:00:00.000Z',
        timeZone: 'UTC',
        recurrence: { frequency: 'weekly', weekdays: ['WE'], end: { type: 'count', count: 4 } },
      },
    });
    const theirEvent = await linkToMeet(theirs, bob);
    fake.changeGoogleEvent({
      id: theirEvent,
      summary: 'Renamed from elsewhere',
      start: { dateTime: '2027-02-04T09:00:00Z', timeZone: 'UTC' },
      end: { dateTime: '2027-02-04T10:00:00Z', timeZone: 'UTC' },
      recurrence: ['RRULE:FREQ=WEEKLY;BYDAY=TH;COUNT=2'],
    });
    await push();
    expect(await meeting(theirs.id, bob)).toEqual(theirs);
    fake.changeGoogleEvent({ id: theirEvent, recurrence: null });
    await push();
    expect(await meeting(theirs.id, bob)).toEqual(theirs);
  });

  it("another organisation's meeting linked to an event on the same calendar is never touched", async () => {
    const theirs = await server.api.ok('createMeeting', {
      token: bob.tokens.accessToken,
      body: { title: 'Board', startsAt: '2026-12-16T09:00:00.000Z', endsAt: '2026-12-16T10:00:00.000Z' },
    });
    const theirEvent = await linkToMeet(theirs, bob);
    fake.changeGoogleEvent({
      id: theirEvent,
      summary: 'Renamed from elsewhere',
      start: { dateTime: '2026-12-17T09:00:00Z' },
      end: { dateTime: '2026-12-17T10:00:00Z' },
    });
    await push();
    expect(await meeting(theirs.id, bob)).toEqual(theirs);
    fake.changeGoogleEvent({ id: theirEvent, status: 'cancelled' });
    await push();
    expect(await meeting(theirs.id, bob)).toEqual(theirs);
  });
});
