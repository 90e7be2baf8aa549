import { DEFAULT_MEETING_SETTINGS, type Meeting } from '@tandem/shared';
import { createTranslator } from '../i18n/translator.ts';
import { describe, expect, it } from 'vitest';
import {
  draftFor,
  invitationText,
  recurrenceDraftFor,
  recurrenceOf,
  recurrenceText,
  scheduleTimes,
  weekOfMonth,
} from './meetingSchedule.ts';

const NOW = new Date(2026, 10, 26, 14, 10);

const meeting = (over: Partial<Meeting> = {}): Meeting => ({
  id: 'm-1',
  organisationId: 'o-1',
  title: 'Design review',
  ownerId: 'u-ada',
  personal: false,
  startsAt: null,
  endsAt: null,
  status: 'scheduled',
  locked: false,
  settings: DEFAULT_MEETING_SETTINGS,
  joinCode: 'abcd1234',
  joinUrl: 'tandem://join/abcd1234',
  webJoinUrl: 'https://tandem.example/j/abcd1234',
  conversationId: 'c-1',
  invitees: [],
  recording: null,
  timeZone: 'UTC',
  recurrence: null,
  rrule: null,
  type: 'meeting',
  webinar: null,
  createdAt: NOW.toISOString(),
  updatedAt: NOW.toISOString(),
  ...over,
});

describe('draftFor', () => {
  it('starts a new meeting at the next half hour, for 30 minutes', () => {
    expect(draftFor(undefined, NOW)).toEqual({ date: '2026-11-26', time: '14:30', durationMinutes: 30 });
    expect(draftFor(undefined, new Date(2026, 10, 26, 23, 45))).toEqual({
      date: '2026-11-27',
      time: '00:00',
      durationMinutes: 30,
    });
  });

  it('edits a scheduled meeting from its own times', () => {
    const start = new Date(2026, 11, 3, 9, 0);
    const end = new Date(2026, 11, 3, 10, 30);
    expect(draftFor(meeting({ startsAt: start.toISOString(), endsAt: end.toISOString() }), NOW)).toEqual({
      date: '2026-12-03',
      time: '09:00',
      durationMinutes: 90,
    });
  });
});

describe('scheduleTimes', () => {
  it('reads the wall-clock time in this computer’s zone and adds the length', () => {
    const times = scheduleTimes({ date: '2026-11-27', time: '10:00', durationMinutes: 45 }, NOW);
    expect(times).toEqual({
      startsAt: new Date(2026, 10, 27, 10, 0).toISOString(),
      endsAt: new Date(2026, 10, 27, 10, 45).toISOString(),
    });
  });

  it('says what is wrong: a missing date or time, a time gone by, no length', () => {
    expect(scheduleTimes({ date: '', time: '10:00', durationMinutes: 30 }, NOW)).toEqual({
      error: 'Pick a date and a start time.',
    });
    expect(scheduleTimes({ date: '2026-11-26', time: '9:00', durationMinutes: 30 }, NOW)).toHaveProperty('error');
    expect(scheduleTimes({ date: '2026-11-26', time: '13:00', durationMinutes: 30 }, NOW)).toEqual({
      error: 'That time has already passed.',
    });
    // Five minutes of slack: the form may have been open a while.
    expect(scheduleTimes({ date: '2026-11-26', time: '14:06', durationMinutes: 30 }, NOW)).toHaveProperty('startsAt');
    expect(scheduleTimes({ date: '2026-11-27', time: '10:00', durationMinutes: 0 }, NOW)).toEqual({
      error: 'Pick how long the meeting lasts.',
    });
  });
});

describe('invitationText', () => {
  it('says who invites, what, when and how to join', () => {
    const text = invitationText(
      meeting({
        startsAt: new Date(2026, 10, 27, 10, 0).toISOString(),
        endsAt: new Date(2026, 10, 27, 10, 45).toISOString(),
      }),
      'Ada Demo',
      'Tandem',
    );
    const lines = text.split('\n');
    expect(lines[0]).toBe('Ada Demo invites you to a Tandem meeting.');
    expect(lines[2]).toBe('Design review');
    expect(lines[3]).toMatch(/27/);
    expect(lines[3]).toContain(
      new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(new Date(2026, 10, 27, 10, 45)),
    );
    expect(lines).toContain('Join: https://tandem.example/j/abcd1234');
    expect(lines.at(-1)).toBe('Or open Tandem and enter the code abcd1234');
  });

  it('leaves the time out for a meeting at any time', () => {
    expect(invitationText(meeting(), 'Ada Demo', 'Tandem').split('\n')).toEqual([
      'Ada Demo invites you to a Tandem meeting.',
      '',
      'Design review',
      '',
      'Join: https://tandem.example/j/abcd1234',
      'Or open Tandem and enter the code abcd1234',
    ]);
  });
});

describe('time zones and recurrence in the form', () => {
  it("reads the date and time on the chosen zone's wall clock, across its DST change", () => {
    const draft = { date: '2027-03-29', time: '09:00', durationMinutes: 30 };
    expect(scheduleTimes(draft, NOW, 'Europe/Berlin')).toEqual({
      startsAt: '2027-03-29T07:00:00.000Z',
      endsAt: '2027-03-29T07:30:00.000Z',
    });
    expect(scheduleTimes({ ...draft, date: '2027-03-26' }, NOW, 'Europe/Berlin')).toMatchObject({
      startsAt: '2027-03-26T08:00:00.000Z',
    });
    expect(draftFor(meeting({ startsAt: '2027-03-29T07:00:00.000Z' }), NOW, 'America/New_York')).toMatchObject({
      date: '2027-03-29',
      time: '03:00',
    });
  });

  it('turns the editor into the API recurrence: the start day always among the weekdays, the nth weekday from the date', () => {
    const weekly = {
      ...recurrenceDraftFor(undefined, '2026-12-07'),
      repeats: 'weekly' as const,
      weekdays: ['TH' as const],
    };
    expect(recurrenceOf(weekly, '2026-12-07')).toEqual({
      frequency: 'weekly',
      interval: 1,
      weekdays: ['MO', 'TH'],
      end: { type: 'never' },
    });
    const monthly = { ...weekly, repeats: 'monthly' as const, on: 'weekday' as const, end: 'count' as const, count: 5 };
    expect(recurrenceOf(monthly, '2026-12-25')).toEqual({
      frequency: 'monthly',
      interval: 1,
      monthly: { on: 'weekday', week: -1 },
      end: { type: 'count', count: 5 },
    });
    expect(recurrenceOf({ ...weekly, repeats: 'never' }, '2026-12-07')).toBeNull();
    expect([weekOfMonth('2026-12-08'), weekOfMonth('2026-12-22'), weekOfMonth('2026-12-25')]).toEqual([2, 4, -1]);
  });

  it('says what a series does in words', () => {
    const start = '2026-12-25T14:00:00.000Z';
    expect(
      recurrenceText(
        { frequency: 'monthly', interval: 1, monthly: { on: 'weekday', week: -1 }, end: { type: 'never' } },
        start,
        'UTC',
      ),
    ).toBe('Every month on the last Friday');
    expect(
      recurrenceText(
        { frequency: 'weekly', interval: 2, weekdays: ['MO', 'FR'], end: { type: 'count', count: 6 } },
        start,
        'UTC',
      ),
    ).toBe('Every 2 weeks on Monday and Friday, 6 times');
  });

  it('says it in German and Japanese too (weekdays, months and lists from Intl)', () => {
    const start = '2026-12-25T14:00:00.000Z';
    const weekly = {
      frequency: 'weekly' as const,
      interval: 2,
      weekdays: ['MO' as const, 'FR' as const],
      end: { type: 'count' as const, count: 6 },
    };
    const de = createTranslator('de');
    const ja = createTranslator('ja');
    expect(recurrenceText(weekly, start, 'UTC', de, 'de')).toBe('Alle 2 Wochen am Montag und Freitag, 6 Mal');
    expect(recurrenceText(weekly, start, 'UTC', ja, 'ja')).toBe('2 週間ごと 月曜日、金曜日、6 回');
    const lastFriday = {
      frequency: 'yearly' as const,
      interval: 1,
      monthly: { on: 'weekday' as const, week: -1 },
      end: { type: 'until' as const, until: '2030-12-31' },
    };
    expect(recurrenceText(lastFriday, start, 'UTC', de, 'de')).toBe(
      'Jedes Jahr am letzten Freitag im Dezember, bis 31. Dez. 2030',
    );
    expect(recurrenceText(lastFriday, start, 'UTC', createTranslator('en'), 'en')).toBe(
      'Every year on the last Friday of December, until 31 Dec 2030',
    );
  });
});

it('a new series follows the start date when no other weekday was chosen', () => {
  const draft = { ...recurrenceDraftFor(undefined, '2026-12-03'), repeats: 'weekly' as const };
  expect(recurrenceOf(draft, '2026-12-07')).toMatchObject({ weekdays: ['MO'] });
});
