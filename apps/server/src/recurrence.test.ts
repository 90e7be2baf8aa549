import { type AuthSession, type Meeting } from '@tandem/shared';
import ICAL from 'ical.js';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');
const BERLIN = 'Europe/Berlin';
const at = (local: string, zone = BERLIN): string => DateTime.fromISO(local, { zone }).toUTC().toISO() ?? '';
const wall = (iso: string, zone = BERLIN): string => DateTime.fromISO(iso, { zone }).toFormat("ccc yyyy-LL-dd'T'HH:mm");

describe('recurring meetings over real HTTP', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let token: string;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'rec-ada');
    grace = await addPerson(server.api, ada, 'rec-grace', 'member');
    token = ada.tokens.accessToken;
  });
  afterAll(() => server?.close());

  /** A weekly Monday 09:00 Berlin stand-up from 19 October 2026, across the October change. */
  const createWeekly = (count = 6): Promise<Meeting> =>
    server.api.ok('createMeeting', {
      token,
      body: {
        title: 'Stand-up',
        startsAt: at('2026-10-19T09:00'),
        endsAt: at('2026-10-19T09:30'),
        timeZone: BERLIN,
        recurrence: { frequency: 'weekly', weekdays: ['MO'], end: { type: 'count', count } },
        invitees: [grace.user.id],
      },
    });

  const occurrences = async (meetingId: string, who = token) =>
    (
      await server.api.ok('listOccurrences', {
        token: who,
        params: { meetingId },
        query: { from: at('2026-10-01T00:00'), to: at('2027-01-01T00:00') },
      })
    ).occurrences;

  it('creates a weekly series in Berlin whose occurrences keep 09:00 across the October change', async () => {
    const meeting = await createWeekly();
    expect(meeting).toMatchObject({
      timeZone: BERLIN,
      rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=6',
      recurrence: { frequency: 'weekly', interval: 1, weekdays: ['MO'], end: { type: 'count', count: 6 } },
    });
    const list = await occurrences(meeting.id, grace.tokens.accessToken);
    expect(list.map((o) => wall(o.startsAt))).toEqual([
      'Mon 2026-10-19T09:00',
      'Mon 2026-10-26T09:00',
      'Mon 2026-11-02T09:00',
      'Mon 2026-11-09T09:00',
      'Mon 2026-11-16T09:00',
      'Mon 2026-11-23T09:00',
    ]);
    expect(list.map((o) => o.startsAt.slice(11, 16))).toEqual(['07:00', '08:00', '08:00', '08:00', '08:00', '08:00']);
    expect(list.every((o) => wall(o.endsAt).endsWith('09:30'))).toBe(true);
  });

  it('refuses an unknown zone and a start that is not one of the series, in the API error shape', async () => {
    const badZone = await server.api.call('createMeeting', {
      token,
      body: { title: 'x', startsAt: at('2026-10-19T09:00'), timeZone: 'Mars/Olympus' },
    });
    expect(badZone).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const offDay = await server.api.call('createMeeting', {
      token,
      body: {
        title: 'x',
        startsAt: at('2026-10-20T09:00'),
        timeZone: BERLIN,
        recurrence: { frequency: 'weekly', weekdays: ['MO'] },
      },
    });
    expect(offDay).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const noStart = await server.api.call('createMeeting', {
      token,
      body: { title: 'x', recurrence: { frequency: 'daily' } },
    });
    expect(noStart).toMatchObject({ status: 400 });
  });

  it('moves, retitles and cancels single occurrences; only hosts may', async () => {
    const meeting = await createWeekly();
    const [first, second, third, fourth] = await occurrences(meeting.id);
    if (first === undefined || second === undefined || third === undefined || fourth === undefined)
      throw new Error('too few occurrences');
    const refused = await server.api.call('editOccurrence', {
      token: grace.tokens.accessToken,
      params: { meetingId: meeting.id, occurrenceId: second.occurrenceId },
      body: { scope: 'this', title: 'mine now' },
    });
    expect(refused).toMatchObject({ status: 403 });
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: second.occurrenceId },
      body: { scope: 'this', startsAt: at('2026-10-28T14:00') },
    });
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: third.occurrenceId },
      body: { scope: 'this', title: 'Retro' },
    });
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: fourth.occurrenceId },
      body: { scope: 'this', cancelled: true },
    });
    const after = await occurrences(meeting.id, grace.tokens.accessToken);
    expect(after.map((o) => [wall(o.startsAt), wall(o.endsAt).slice(-5), o.title, o.changed, o.cancelled])).toEqual([
      ['Mon 2026-10-19T09:00', '09:30', 'Stand-up', false, false],
      ['Wed 2026-10-28T14:00', '14:30', 'Stand-up', true, false],
      ['Mon 2026-11-02T09:00', '09:30', 'Retro', true, false],
      ['Mon 2026-11-09T09:00', '09:30', 'Stand-up', true, true],
      ['Mon 2026-11-16T09:00', '09:30', 'Stand-up', false, false],
      ['Mon 2026-11-23T09:00', '09:30', 'Stand-up', false, false],
    ]);
    const notOne = await server.api.call('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: at('2026-10-20T09:00') },
      body: { scope: 'this', title: 'x' },
    });
    expect(notOne).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });

    // The calendar shows the moved one where it now is and leaves the cancelled one out.
    const calendar = await server.api.ok('calendar', {
      token: grace.tokens.accessToken,
      query: { from: at('2026-10-26T00:00'), to: at('2026-11-12T00:00') },
    });
    const ours = calendar.entries.filter((e) => e.kind === 'tandem' && e.meetingId === meeting.id);
    expect(ours.map((e) => [wall(e.startsAt), e.title])).toEqual([
      ['Wed 2026-10-28T14:00', 'Stand-up'],
      ['Mon 2026-11-02T09:00', 'Retro'],
    ]);
    expect(ours[0]).toMatchObject({ occurrenceId: second.occurrenceId, timeZone: BERLIN });
  });

  it('splits "this and following" into a new series that keeps the rest of the count and later changes', async () => {
    const meeting = await createWeekly(6);
    const list = await occurrences(meeting.id);
    const [third, , fifth] = list.slice(2);
    if (third === undefined || fifth === undefined) throw new Error('too few occurrences');
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: fifth.occurrenceId },
      body: { scope: 'this', title: 'Demo' },
    });
    const { meeting: earlier, split } = await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: third.occurrenceId },
      body: { scope: 'following', title: 'Stand-up (new format)' },
    });
    if (split === null) throw new Error('no split');
    expect(earlier.recurrence?.end).toEqual({ type: 'until', until: '2026-11-01' });
    expect(split).toMatchObject({
      title: 'Stand-up (new format)',
      timeZone: BERLIN,
      invitees: [grace.user.id],
      recurrence: { end: { type: 'count', count: 4 } },
    });
    expect((await occurrences(meeting.id)).map((o) => wall(o.startsAt))).toEqual([
      'Mon 2026-10-19T09:00',
      'Mon 2026-10-26T09:00',
    ]);
    expect((await occurrences(split.id, grace.tokens.accessToken)).map((o) => [wall(o.startsAt), o.title])).toEqual([
      ['Mon 2026-11-02T09:00', 'Stand-up (new format)'],
      ['Mon 2026-11-09T09:00', 'Stand-up (new format)'],
      ['Mon 2026-11-16T09:00', 'Demo'],
      ['Mon 2026-11-23T09:00', 'Stand-up (new format)'],
    ]);
  });

  it('moves the whole series on the wall clock, weekday included, from one occurrence', async () => {
    const meeting = await createWeekly(3);
    const [, second] = await occurrences(meeting.id);
    if (second === undefined) throw new Error('too few occurrences');
    // From Monday 26 October 09:00 (winter time) to Tuesday 27 October 10:00: a day and an hour later on the wall.
    const { meeting: moved } = await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: second.occurrenceId },
      body: { scope: 'series', startsAt: at('2026-10-27T10:00') },
    });
    expect(moved.recurrence?.weekdays).toEqual(['TU']);
    expect((await occurrences(meeting.id)).map((o) => wall(o.startsAt))).toEqual([
      'Tue 2026-10-20T10:00',
      'Tue 2026-10-27T10:00',
      'Tue 2026-11-03T10:00',
    ]);
  });

  it('writes the series to ICS with TZID, VTIMEZONE, RRULE, EXDATE and RECURRENCE-ID, and ical.js reads back the same occurrences', async () => {
    const meeting = await createWeekly(6);
    const [, second, third, fourth] = await occurrences(meeting.id);
    if (second === undefined || third === undefined || fourth === undefined) throw new Error('too few occurrences');
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: second.occurrenceId },
      body: { scope: 'this', startsAt: at('2026-10-27T11:00'), endsAt: at('2026-10-27T12:00') },
    });
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: third.occurrenceId },
      body: { scope: 'this', title: 'Retro' },
    });
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: fourth.occurrenceId },
      body: { scope: 'this', cancelled: true },
    });
    const response = await fetch(`${server.url}/meetings/${meeting.id}/event.ics`, {
      headers: { authorization: `Bearer ${grace.tokens.accessToken}` },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/calendar/);
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="Stand-up.ics"');
    const ics = await response.text();
    const unfolded = ics.replace(/\r\n /g, '');
    expect(unfolded).toContain('DTSTART;TZID=Europe/Berlin:20261019T090000');
    expect(unfolded).toContain('BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin');
    expect(unfolded).toContain('RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=6');
    expect(unfolded).toContain('EXDATE;TZID=Europe/Berlin:20261109T090000');
    expect(unfolded).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20261026T090000');

    // Parsed back by ical.js (Thunderbird's parser): the series with its exceptions equals ours.
    const calendar = new ICAL.Component(ICAL.parse(ics));
    for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
    const vevents = calendar.getAllSubcomponents('vevent');
    const master = new ICAL.Event(vevents.find((v) => !v.hasProperty('recurrence-id')));
    for (const v of vevents.filter((e) => e.hasProperty('recurrence-id'))) master.relateException(v);
    const expanded: [string, string, string][] = [];
    const iterator = master.iterator();
    for (let next = iterator.next(); next !== undefined && expanded.length < 20; next = iterator.next()) {
      const details = master.getOccurrenceDetails(next);
      expanded.push([
        new Date(details.startDate.toUnixTime() * 1000).toISOString(),
        new Date(details.endDate.toUnixTime() * 1000).toISOString(),
        details.item.summary,
      ]);
    }
    const ours = (await occurrences(meeting.id))
      .filter((o) => !o.cancelled)
      .map((o) => [o.startsAt, o.endsAt, o.title]);
    expect(expanded).toEqual(ours);
    expect(expanded).toHaveLength(5);

    const stranger = await signUp(server.api, 'rec-stranger');
    const hidden = await fetch(`${server.url}/meetings/${meeting.id}/event.ics`, {
      headers: { authorization: `Bearer ${stranger.tokens.accessToken}` },
    });
    expect(hidden.status).toBe(404);
  });

  it('the subscription feed carries the series in its zone too', async () => {
    const meeting = await createWeekly(2);
    const link = await server.api.ok('createCalendarFeed', { token: grace.tokens.accessToken });
    const ics = (await (await fetch(`${server.url}${link.path}`)).text()).replace(/\r\n /g, '');
    expect(ics).toContain(`UID:${meeting.id}@tandem`);
    expect(ics).toContain('RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;COUNT=2');
    expect(ics.split('\r\n').filter((l) => l === 'TZID:Europe/Berlin')).toHaveLength(1);
  });

  it('turns a series into a single meeting again and drops its changes', async () => {
    const meeting = await createWeekly(3);
    const [, second] = await occurrences(meeting.id);
    if (second === undefined) throw new Error('too few occurrences');
    await server.api.ok('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: second.occurrenceId },
      body: { scope: 'this', cancelled: true },
    });
    const single = await server.api.ok('updateMeeting', {
      token,
      params: { meetingId: meeting.id },
      body: { recurrence: null },
    });
    expect(single).toMatchObject({ recurrence: null, rrule: null });
    expect(await occurrences(meeting.id)).toHaveLength(1);
    const notSeries = await server.api.call('editOccurrence', {
      token,
      params: { meetingId: meeting.id, occurrenceId: meeting.startsAt ?? '' },
      body: { scope: 'this', title: 'x' },
    });
    expect(notSeries).toMatchObject({ status: 409 });
  });
});
