import { DEFAULT_MEETING_SETTINGS, RecurrenceSchema, type Meeting, type Recurrence } from '@tandem/shared';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  adoptedRule,
  exdateLine,
  exdateSpans,
  countBefore,
  occurrencesOf,
  recurrenceOf,
  ruleBefore,
  ruleOf,
  ruleStarts,
  shiftedOnWall,
  startsOnRule,
} from './recurrence.ts';

const DAY = 86_400_000;
const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const local = (instant: number, zone: string): string =>
  DateTime.fromMillis(instant, { zone }).toFormat("ccc yyyy-LL-dd'T'HH:mm");
const weekly = (weekdays?: Recurrence['weekdays'], end: Recurrence['end'] = { type: 'never' }): Recurrence =>
  RecurrenceSchema.parse({ frequency: 'weekly', ...(weekdays === undefined ? {} : { weekdays }), end });

function series(startsAt: number, zone: string, recurrence: Recurrence, minutes = 30): Meeting & { startsAt: string } {
  const iso = new Date(startsAt).toISOString();
  return {
    id: '00000000-0000-4000-8000-000000000001',
    organisationId: '00000000-0000-4000-8000-000000000002',
    title: 'Stand-up',
    ownerId: '00000000-0000-4000-8000-000000000003',
    personal: false,
    startsAt: iso,
    endsAt: new Date(startsAt + minutes * 60_000).toISOString(),
    status: 'scheduled',
    locked: false,
    settings: DEFAULT_MEETING_SETTINGS,
    joinCode: 'abc',
    joinUrl: '',
    webJoinUrl: '',
    conversationId: '00000000-0000-4000-8000-000000000004',
    invitees: [],
    type: 'meeting',
    webinar: null,
    recording: null,
    timeZone: zone,
    recurrence,
    rrule: ruleOf(recurrence, startsAt, zone),
    createdAt: iso,
    updatedAt: iso,
  };
}

describe('weekly series across daylight-saving changes', () => {
  // Each zone's spring and autumn change: a weekly 09:00 meeting stays at 09:00 on its wall clock.
  const cases = [
    { zone: 'Europe/Berlin', from: '2026-03-16T09:00', offsets: ['+01:00', '+02:00'] },
    { zone: 'Europe/Berlin', from: '2026-10-19T09:00', offsets: ['+02:00', '+01:00'] },
    { zone: 'America/New_York', from: '2026-03-02T09:00', offsets: ['-05:00', '-04:00'] },
    { zone: 'America/New_York', from: '2026-10-26T09:00', offsets: ['-04:00', '-05:00'] },
    // Southern hemisphere: summer time ends in April and starts in October.
    { zone: 'Australia/Sydney', from: '2026-03-23T09:00', offsets: ['+11:00', '+10:00'] },
    { zone: 'Australia/Sydney', from: '2026-09-21T09:00', offsets: ['+10:00', '+11:00'] },
  ];
  for (const { zone, from, offsets } of cases) {
    it(`keeps 09:00 in ${zone} from ${from.slice(0, 10)} on, the UTC time moving with the offset`, () => {
      const first = at(from, zone);
      const rule = ruleOf(weekly(undefined, { type: 'count', count: 4 }), first, zone);
      const starts = ruleStarts(rule, first, zone, first, first + 60 * DAY);
      expect(starts).toHaveLength(4);
      for (const start of starts) expect(DateTime.fromMillis(start, { zone }).toFormat('ccc HH:mm')).toBe('Mon 09:00');
      const utcOffsets = starts.map((s) => DateTime.fromMillis(s, { zone }).toFormat('ZZ'));
      expect(new Set(utcOffsets)).toEqual(new Set(offsets));
      expect(utcOffsets[0]).toBe(offsets[0]);
      expect(utcOffsets[3]).toBe(offsets[1]);
      // One week on the wall is a whole week in instants except across the change.
      const gaps = starts.slice(1).map((s, i) => (s - (starts[i] ?? 0)) / 3_600_000);
      expect(gaps.filter((g) => g !== 168)).toHaveLength(1);
    });
  }

  it('moves an occurrence at a time the clocks skip forward by the gap (02:30 Berlin on 29 March 2026)', () => {
    const zone = 'Europe/Berlin';
    const first = at('2026-03-22T02:30', zone);
    const starts = ruleStarts(ruleOf(weekly(), first, zone), first, zone, first, first + 14 * DAY);
    expect(starts.map((s) => local(s, zone))).toEqual([
      'Sun 2026-03-22T02:30',
      'Sun 2026-03-29T03:30',
      'Sun 2026-04-05T02:30',
    ]);
  });

  it('property: any weekly series in any of the zones keeps its wall-clock time and weekdays', () => {
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Sydney', 'Asia/Kolkata', 'UTC'];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.date({ min: new Date('2025-01-01T00:00:00Z'), max: new Date('2030-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 6, max: 20 }),
        fc.integer({ min: 0, max: 3 }).map((q) => q * 15),
        fc.uniqueArray(fc.constantFrom('MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU' as const), {
          minLength: 1,
          maxLength: 7,
        }),
        (zone, day, hour, minute, extra) => {
          const start = DateTime.fromJSDate(day, { zone }).set({ hour, minute, second: 0, millisecond: 0 });
          const own = (['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const)[start.weekday - 1] ?? 'MO';
          const days = [...new Set([own, ...extra])];
          const rule = ruleOf(weekly(days), start.toMillis(), zone);
          expect(startsOnRule(rule, start.toMillis(), zone)).toBe(true);
          const starts = ruleStarts(rule, start.toMillis(), zone, start.toMillis(), start.toMillis() + 370 * DAY);
          // 53 weeks or so of each weekday.
          expect(starts.length).toBeGreaterThanOrEqual(52 * days.length);
          for (const s of starts) {
            const t = DateTime.fromMillis(s, { zone });
            expect(days).toContain((['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const)[t.weekday - 1]);
            expect([t.hour, t.minute]).toEqual([hour, minute]);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('rules', () => {
  it('monthly on the last Friday, through DST, in New York', () => {
    const zone = 'America/New_York';
    const first = at('2026-01-30T15:00', zone);
    const recurrence = RecurrenceSchema.parse({
      frequency: 'monthly',
      monthly: { on: 'weekday', week: -1 },
      end: { type: 'count', count: 6 },
    });
    const rule = ruleOf(recurrence, first, zone);
    expect(rule).toBe('FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR;COUNT=6');
    expect(ruleStarts(rule, first, zone, first, first + 400 * DAY).map((s) => local(s, zone))).toEqual([
      'Fri 2026-01-30T15:00',
      'Fri 2026-02-27T15:00',
      'Fri 2026-03-27T15:00',
      'Fri 2026-04-24T15:00',
      'Fri 2026-05-29T15:00',
      'Fri 2026-06-26T15:00',
    ]);
  });

  it('monthly on the second Tuesday, monthly by date, yearly and daily with an end date', () => {
    const zone = 'Europe/Berlin';
    const starts = (recurrence: unknown, from: string, n: number) => {
      const first = at(from, zone);
      const rule = ruleOf(RecurrenceSchema.parse(recurrence), first, zone);
      return ruleStarts(rule, first, zone, first, first + 800 * DAY)
        .slice(0, n)
        .map((s) => local(s, zone));
    };
    expect(starts({ frequency: 'monthly', monthly: { on: 'weekday', week: 2 } }, '2026-12-08T10:00', 3)).toEqual([
      'Tue 2026-12-08T10:00',
      'Tue 2027-01-12T10:00',
      'Tue 2027-02-09T10:00',
    ]);
    expect(starts({ frequency: 'monthly', interval: 2 }, '2026-01-15T10:00', 3)).toEqual([
      'Thu 2026-01-15T10:00',
      'Sun 2026-03-15T10:00',
      'Fri 2026-05-15T10:00',
    ]);
    expect(starts({ frequency: 'yearly' }, '2026-06-30T10:00', 2)).toEqual([
      'Tue 2026-06-30T10:00',
      'Wed 2027-06-30T10:00',
    ]);
    expect(starts({ frequency: 'daily', end: { type: 'until', until: '2026-03-31' } }, '2026-03-28T23:30', 10)).toEqual(
      ['Sat 2026-03-28T23:30', 'Sun 2026-03-29T23:30', 'Mon 2026-03-30T23:30', 'Tue 2026-03-31T23:30'],
    );
  });

  it('reads back what it wrote (RRULE text to recurrence), UNTIL as the local date', () => {
    const zone = 'Australia/Sydney';
    const first = at('2026-04-02T08:00', zone);
    const all: Recurrence[] = [
      weekly(['TH', 'FR'], { type: 'until', until: '2026-12-31' }),
      RecurrenceSchema.parse({ frequency: 'monthly', monthly: { on: 'weekday', week: 1 } }),
      RecurrenceSchema.parse({ frequency: 'monthly', monthly: { on: 'date' }, end: { type: 'count', count: 3 } }),
      RecurrenceSchema.parse({ frequency: 'yearly', interval: 2, monthly: { on: 'date' } }),
      RecurrenceSchema.parse({ frequency: 'daily', interval: 3 }),
    ];
    for (const r of all) expect(recurrenceOf(ruleOf(r, first, zone), zone)).toEqual(r);
    expect(ruleOf(all[0] ?? weekly(), first, zone)).toBe('FREQ=WEEKLY;INTERVAL=1;BYDAY=TH,FR;UNTIL=20261231T125959Z');
  });

  it('knows when the start is not one of the series (weekly on Mondays starting on a Tuesday)', () => {
    const first = at('2026-12-01T09:00', 'UTC');
    expect(startsOnRule(ruleOf(weekly(['MO']), first, 'UTC'), first, 'UTC')).toBe(false);
    expect(startsOnRule(ruleOf(weekly(['TU']), first, 'UTC'), first, 'UTC')).toBe(true);
  });
});

describe('occurrences with exceptions and splits', () => {
  const zone = 'Europe/Berlin';
  const first = at('2026-10-12T09:00', zone);
  const meeting = series(first, zone, weekly(undefined, { type: 'count', count: 6 }));
  const id = (week: number) =>
    new Date(ruleStarts(meeting.rrule ?? '', first, zone, first, first + 60 * DAY)[week] ?? 0).toISOString();

  it('applies a moved, a retitled and a cancelled occurrence; the moved one shows where it now is', () => {
    const moved = at('2026-10-21T14:00', zone);
    const list = occurrencesOf(
      meeting,
      [
        {
          occurrenceId: id(1),
          startsAt: new Date(moved).toISOString(),
          endsAt: new Date(moved + 3_600_000).toISOString(),
          title: null,
          cancelled: false,
        },
        { occurrenceId: id(2), startsAt: null, endsAt: null, title: 'Retro', cancelled: false },
        { occurrenceId: id(3), startsAt: null, endsAt: null, title: null, cancelled: true },
      ],
      first,
      first + 60 * DAY,
    );
    expect(list.map((o) => [local(Date.parse(o.startsAt), zone), o.title, o.cancelled])).toEqual([
      ['Mon 2026-10-12T09:00', 'Stand-up', false],
      ['Wed 2026-10-21T14:00', 'Stand-up', false],
      ['Mon 2026-10-26T09:00', 'Retro', false],
      ['Mon 2026-11-02T09:00', 'Stand-up', true],
      ['Mon 2026-11-09T09:00', 'Stand-up', false],
      ['Mon 2026-11-16T09:00', 'Stand-up', false],
    ]);
    expect(list[1]?.occurrenceId).toBe(id(1));
    expect(list[1]?.endsAt).toBe(new Date(moved + 3_600_000).toISOString());
    // A window that holds only the moved occurrence's new time still finds it.
    expect(
      occurrencesOf(
        meeting,
        [{ occurrenceId: id(1), startsAt: new Date(moved).toISOString(), endsAt: null, title: null, cancelled: false }],
        moved,
        moved + 1000,
      ),
    ).toHaveLength(1);
  });

  it('splits "this and following": the earlier part ends the day before, the rest keeps the count', () => {
    const rule = meeting.rrule ?? '';
    const splitAt = Date.parse(id(2));
    const before = ruleBefore(rule, splitAt, zone);
    expect(ruleStarts(before, first, zone, first, first + 60 * DAY).map((s) => local(s, zone))).toEqual([
      'Mon 2026-10-12T09:00',
      'Mon 2026-10-19T09:00',
    ]);
    expect(recurrenceOf(before, zone).end).toEqual({ type: 'until', until: '2026-10-25' });
    expect(countBefore(rule, first, zone, splitAt)).toBe(2);
  });

  it('moves a wall-clock time by a wall-clock shift across the October change', () => {
    // One hour later on the wall, though 25 hours pass on 25 October 2026 in Berlin.
    const sunday = at('2026-10-25T01:30', zone);
    expect(local(shiftedOnWall(sunday, 3_600_000 + DAY, zone), zone)).toBe('Mon 2026-10-26T02:30');
  });
});

describe("a rule written elsewhere (a Google event's RRULE) adopted only when ours makes the same occurrences", () => {
  const monday = at('2027-02-01T09:00', 'Europe/Berlin');

  it('takes what our model keeps, in the rule as we write it', () => {
    expect(adoptedRule('FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4', monday, 'Europe/Berlin')).toEqual({
      recurrence: weekly(['MO', 'WE'], { type: 'count', count: 4 }),
      rrule: 'FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;COUNT=4',
    });
    const lastFriday = at('2027-01-29T10:00', 'America/New_York');
    expect(adoptedRule('FREQ=MONTHLY;BYDAY=-1FR', lastFriday, 'America/New_York')?.recurrence).toEqual(
      RecurrenceSchema.parse({ frequency: 'monthly', monthly: { on: 'weekday', week: -1 } }),
    );
  });

  it('reads UNTIL as the local date of the last occurrence on or before it, whatever form it has', () => {
    // Google Calendar's end of the chosen day in the event's zone (23:59:59 Berlin), in UTC.
    expect(adoptedRule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20270215T225959Z', monday, 'Europe/Berlin')?.recurrence.end).toEqual(
      { type: 'until', until: '2027-02-15' },
    );
    // Midnight UTC of the 15th is 01:00 in Berlin, before that day's 09:00: the 8th is the last.
    const early = adoptedRule('FREQ=WEEKLY;BYDAY=MO;UNTIL=20270215T000000Z', monday, 'Europe/Berlin');
    expect(early?.recurrence.end).toEqual({ type: 'until', until: '2027-02-08' });
    expect(ruleStarts(early?.rrule ?? '', monday, 'Europe/Berlin', monday, monday + 60 * DAY)).toHaveLength(2);
  });

  it('refuses what would make other occurrences, or does not parse', () => {
    for (const rule of [
      'FREQ=WEEKLY;BYDAY=MO;BYHOUR=9,15',
      'FREQ=MONTHLY;BYDAY=1MO,3MO',
      'FREQ=MONTHLY;BYMONTHDAY=1,15',
      'FREQ=HOURLY;COUNT=3',
      'FREQ=WEEKLY;BYDAY=TU',
      'NOT A RULE',
    ])
      expect(adoptedRule(rule, monday, 'Europe/Berlin'), rule).toBeNull();
  });
});

describe("EXDATE lines in Google's forms", () => {
  const at = (iso: string) => Date.parse(iso);
  it("reads a zone's wall clock, UTC and whole days in the series' zone, each a comma-separated list", () => {
    expect(exdateSpans('EXDATE;TZID=Europe/Berlin:20261207T090000,20260706T090000', 'UTC')).toEqual([
      { from: at('2026-12-07T08:00:00Z'), to: at('2026-12-07T08:00:01Z') },
      { from: at('2026-07-06T07:00:00Z'), to: at('2026-07-06T07:00:01Z') },
    ]);
    expect(exdateSpans('exdate:20261207T080000Z', 'Europe/Berlin')).toEqual([
      { from: at('2026-12-07T08:00:00Z'), to: at('2026-12-07T08:00:01Z') },
    ]);
    expect(exdateSpans('EXDATE;VALUE=DATE:20261207,20261214', 'America/New_York')).toEqual([
      { from: at('2026-12-07T05:00:00Z'), to: at('2026-12-08T05:00:00Z') },
      { from: at('2026-12-14T05:00:00Z'), to: at('2026-12-15T05:00:00Z') },
    ]);
    expect(exdateSpans('EXDATE;VALUE=DATE-TIME;TZID=Asia/Tokyo:20261207T090000', 'UTC')).toEqual([
      { from: at('2026-12-07T00:00:00Z'), to: at('2026-12-07T00:00:01Z') },
    ]);
  });

  it('refuses any other form, the whole line', () => {
    for (const line of [
      'EXDATE:20261207T090000',
      'EXDATE;TZID=Europe/Berlin:20261207T090000Z',
      'EXDATE;TZID=Not/AZone:20261207T090000',
      'EXDATE;X-FOO=1:20261207T090000Z',
      'EXDATE;VALUE=PERIOD:20261207T090000Z/PT1H',
      'EXDATE;VALUE=DATE:20261307',
      'EXDATE:20261207T080000Z,tomorrow',
      'EXDATE',
      'RRULE:FREQ=DAILY',
    ])
      expect(exdateSpans(line, 'Europe/Berlin'), line).toBeNull();
  });

  it("is written back in the series' zone, read as it was written", () => {
    const line = exdateLine([at('2026-12-07T08:00:00Z'), at('2026-07-06T07:00:00Z')], 'Europe/Berlin');
    expect(line).toBe('EXDATE;TZID=Europe/Berlin:20261207T090000,20260706T090000');
    expect(exdateSpans(line, 'UTC')?.map((s) => s.from)).toEqual([
      at('2026-12-07T08:00:00Z'),
      at('2026-07-06T07:00:00Z'),
    ]);
  });
});
