/**
 * Recurrence rules of meeting series (issue 22): RFC 5545 RRULEs built, read and expanded with
 * the `rrule` library, in the wall clock of the meeting's IANA zone through `luxon`.
 *
 * The rule is expanded over "floating" times: each wall-clock time in the zone is carried as the
 * UTC instant with the same digits, so the library never meets a daylight-saving change; every
 * occurrence's wall-clock time is then placed in the zone (a time the clocks skip moves forward
 * by the gap, as RFC 5545 says). A weekly 09:00 Berlin meeting is thus at 09:00 Berlin in winter
 * (08:00 UTC) and in summer (07:00 UTC). UNTIL is stored in UTC, as RFC 5545 requires with TZID.
 */
import {
  RecurrenceSchema,
  WEEKDAYS,
  type Meeting,
  type Occurrence,
  type Recurrence,
  type Weekday,
} from '@tandem/shared';
import { DateTime } from 'luxon';
import rrule from 'rrule';
import type { Options } from 'rrule';

const { RRule } = rrule;

/** How long a meeting without an end lasts in calendars and occurrence lists. */
export const DEFAULT_LENGTH_MS = 60 * 60_000;
const DAY_MS = 86_400_000;
/** Beyond this many occurrences a window is cut short (a daily series over 400 days fits). */
const MAX_OCCURRENCES = 1_000;

/** The wall clock in `zone` at `instant`, carried as the UTC instant with the same digits. */
export function floating(instant: number, zone: string): Date {
  const t = DateTime.fromMillis(instant, { zone });
  return new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second));
}

/** The instant at which `zone`'s wall clock shows `wall`'s digits. */
export function placed(wall: Date, zone: string): number {
  return DateTime.fromObject(
    {
      year: wall.getUTCFullYear(),
      month: wall.getUTCMonth() + 1,
      day: wall.getUTCDate(),
      hour: wall.getUTCHours(),
      minute: wall.getUTCMinutes(),
      second: wall.getUTCSeconds(),
    },
    { zone },
  ).toMillis();
}

/** rrule numbers weekdays from Monday (0), as WEEKDAYS lists them. */
const weekdayOf = (wall: Date): Weekday => WEEKDAYS[(wall.getUTCDay() + 6) % 7] ?? 'MO';
const ruleDay = (day: Weekday) => new rrule.Weekday(WEEKDAYS.indexOf(day));

const FREQUENCIES = {
  daily: RRule.DAILY,
  weekly: RRule.WEEKLY,
  monthly: RRule.MONTHLY,
  yearly: RRule.YEARLY,
} as const satisfies Record<Recurrence['frequency'], number>;

/** The last instant of local date `date` in `zone`, whole seconds. */
export function endOfDay(date: string, zone: string): number {
  return DateTime.fromISO(date, { zone }).endOf('day').startOf('second').toMillis();
}

/** The RRULE value (`FREQ=WEEKLY;BYDAY=MO,TH;COUNT=10`) for a series whose first occurrence starts at `firstStart`. */
export function ruleOf(recurrence: Recurrence, firstStart: number, zone: string): string {
  const wall = floating(firstStart, zone);
  const day = weekdayOf(wall);
  const onWeekday = recurrence.monthly?.on === 'weekday' ? recurrence.monthly.week : undefined;
  const options: Partial<Options> = {
    freq: FREQUENCIES[recurrence.frequency],
    interval: recurrence.interval,
    ...(recurrence.frequency === 'weekly'
      ? { byweekday: (recurrence.weekdays ?? [day]).map(ruleDay) }
      : recurrence.frequency === 'monthly' || recurrence.frequency === 'yearly'
        ? onWeekday === undefined
          ? { bymonthday: [wall.getUTCDate()] }
          : { byweekday: [ruleDay(day).nth(onWeekday)] }
        : {}),
    ...(recurrence.frequency === 'yearly' ? { bymonth: [wall.getUTCMonth() + 1] } : {}),
    ...(recurrence.end.type === 'count' ? { count: recurrence.end.count } : {}),
    ...(recurrence.end.type === 'until' ? { until: new Date(endOfDay(recurrence.end.until, zone)) } : {}),
  };
  return RRule.optionsToString(options).replace(/^RRULE:/, '');
}

/** The series a stored rule describes (the inverse of `ruleOf`). */
export function recurrenceOf(rule: string, zone: string): Recurrence {
  const o = RRule.parseString(rule);
  const frequency = (Object.keys(FREQUENCIES) as Recurrence['frequency'][]).find((f) => FREQUENCIES[f] === o.freq);
  if (frequency === undefined) throw new RangeError(`unsupported rule ${rule}`);
  const days = (Array.isArray(o.byweekday) ? o.byweekday : o.byweekday == null ? [] : [o.byweekday]).map((d) =>
    typeof d === 'number' ? new rrule.Weekday(d) : typeof d === 'string' ? rrule.Weekday.fromStr(d) : d,
  );
  const nth = days[0]?.n;
  return {
    frequency,
    interval: o.interval ?? 1,
    ...(frequency === 'weekly' && days.length > 0 ? { weekdays: days.map((d) => WEEKDAYS[d.weekday] ?? 'MO') } : {}),
    ...(frequency === 'monthly' || frequency === 'yearly'
      ? {
          monthly:
            nth === undefined || nth === 0
              ? { on: 'date' as const }
              : { on: 'weekday' as const, week: nth === -1 ? -1 : Math.min(4, Math.max(1, nth)) },
        }
      : {}),
    end:
      o.count != null
        ? { type: 'count', count: o.count }
        : o.until != null
          ? { type: 'until', until: DateTime.fromMillis(o.until.getTime(), { zone }).toISODate() ?? '' }
          : { type: 'never' },
  };
}

/** How far ahead a foreign rule and ours must agree occurrence by occurrence (two years). */
const AGREEMENT_MS = 731 * DAY_MS;

/**
 * The series our model makes of a rule written elsewhere (a Google event's RRULE), for a first
 * occurrence at `firstStart` in `zone`, and its rule as we store it; null when ours would not
 * make exactly the same occurrences (a rule part we do not model, a start off the rule, a rule
 * that does not parse). UNTIL becomes the local date of the last occurrence on or before it.
 */
export function adoptedRule(
  rule: string,
  firstStart: number,
  zone: string,
): { readonly recurrence: Recurrence; readonly rrule: string } | null {
  try {
    const read = recurrenceOf(rule, zone);
    const last = read.end.type === 'until' ? expander(rule, firstStart, zone).before(new Date(8.64e15), true) : null;
    const end =
      last === null
        ? read.end
        : { type: 'until', until: DateTime.fromMillis(placed(last, zone), { zone }).toISODate() };
    const checked = RecurrenceSchema.safeParse({ ...read, end });
    if (!checked.success) return null;
    const ours = ruleOf(checked.data, firstStart, zone);
    const [theirs, mine] = [rule, ours].map((r) =>
      ruleStarts(r, firstStart, zone, firstStart, firstStart + AGREEMENT_MS),
    );
    const agree =
      startsOnRule(ours, firstStart, zone) &&
      theirs !== undefined &&
      mine !== undefined &&
      theirs.length === mine.length &&
      theirs.every((at, i) => at === mine[i]);
    return agree ? { recurrence: checked.data, rrule: ours } : null;
  } catch {
    // The library refuses what it cannot read (an unknown rule part): not a rule we keep.
    return null;
  }
}

/**
 * The times an EXDATE line (RFC 5545 3.8.5.1) takes out of a series, in the forms Google's
 * `recurrence` writes them, each a comma-separated list: `EXDATE;TZID=Europe/Berlin:20261207T090000`
 * (that zone's wall clock), `EXDATE:20261207T080000Z` (UTC) and `EXDATE;VALUE=DATE:20261207` (that
 * whole local day in `zone`, the series' own). Each as the span [from, to) an occurrence's start
 * falls in; null for any other form (a floating time, another parameter, a value that does not read).
 */
export function exdateSpans(line: string, zone: string): { readonly from: number; readonly to: number }[] | null {
  const match = /^EXDATE((?:;[A-Za-z-]+=[^;:]*)*):(.+)$/i.exec(line.trim());
  if (match === null) return null;
  const params = new Map(
    (match[1] ?? '')
      .split(';')
      .slice(1)
      .map((p) => [p.slice(0, p.indexOf('=')).toUpperCase(), p.slice(p.indexOf('=') + 1)] as const),
  );
  if ([...params.keys()].some((k) => k !== 'TZID' && k !== 'VALUE')) return null;
  const value = (params.get('VALUE') ?? 'DATE-TIME').toUpperCase();
  const tzid = params.get('TZID');
  const spans: { from: number; to: number }[] = [];
  for (const text of (match[2] ?? '').split(',')) {
    if (value === 'DATE' && tzid === undefined && /^\d{8}$/.test(text)) {
      const day = DateTime.fromFormat(text, 'yyyyMMdd', { zone });
      if (!day.isValid) return null;
      spans.push({ from: day.toMillis(), to: day.plus({ days: 1 }).toMillis() });
      continue;
    }
    const time = /^(\d{8}T\d{6})(Z?)$/.exec(text);
    // A time with neither Z nor TZID floats: which instant it means is not said.
    if (value !== 'DATE-TIME' || time === null || (time[2] === 'Z') === (tzid !== undefined)) return null;
    const at = DateTime.fromFormat(time[1] ?? '', "yyyyMMdd'T'HHmmss", { zone: tzid ?? 'UTC' });
    if (!at.isValid) return null;
    spans.push({ from: at.toMillis(), to: at.toMillis() + 1000 });
  }
  return spans;
}

/** The EXDATE line that takes these occurrences (instants) out of a series in `zone`, as Google reads it. */
export function exdateLine(instants: readonly number[], zone: string): string {
  const times = instants.map((at) => DateTime.fromMillis(at, { zone }).toFormat("yyyyMMdd'T'HHmmss"));
  return `EXDATE;TZID=${zone}:${times.join(',')}`;
}

/** The library's rule over floating times, from the first occurrence's wall clock. */
function expander(rule: string, firstStart: number, zone: string) {
  const o = RRule.parseString(rule);
  return new RRule({
    ...o,
    dtstart: floating(firstStart, zone),
    ...(o.until == null ? {} : { until: floating(o.until.getTime(), zone) }),
  });
}

/** The starts by the rule (instants) in [from, to), at most MAX_OCCURRENCES. */
export function ruleStarts(rule: string, firstStart: number, zone: string, from: number, to: number): number[] {
  // A day either side in floating time covers every zone's offset; exact bounds are applied after placing.
  const found: number[] = [];
  expander(rule, firstStart, zone).between(
    new Date(floating(from, zone).getTime() - DAY_MS),
    new Date(floating(to, zone).getTime() + DAY_MS),
    true,
    (wall) => {
      const at = placed(wall, zone);
      if (at >= from && at < to) found.push(at);
      return found.length < MAX_OCCURRENCES;
    },
  );
  return found;
}

/** True when the rule has an occurrence starting at `instant`. */
export function isRuleStart(rule: string, firstStart: number, zone: string, instant: number): boolean {
  return ruleStarts(rule, firstStart, zone, instant, instant + 1000).includes(instant);
}

/** Whether the rule's first occurrence is the series' first start (RFC 5545 wants DTSTART to be one). */
export function startsOnRule(rule: string, firstStart: number, zone: string): boolean {
  const first = expander(rule, firstStart, zone).after(new Date(0), true);
  return first !== null && placed(first, zone) === Math.floor(firstStart / 1000) * 1000;
}

/** The rule cut to end before the local day of `splitAt`: the earlier part of a split series. */
export function ruleBefore(rule: string, splitAt: number, zone: string): string {
  const options = RRule.parseString(rule);
  const lastDay = DateTime.fromMillis(splitAt, { zone }).startOf('day').minus({ seconds: 1 });
  return RRule.optionsToString({ ...options, count: null, until: new Date(lastDay.toMillis()) }).replace(/^RRULE:/, '');
}

/** How many occurrences the rule has before `splitAt` (COUNT counts them, cancelled or not). */
export function countBefore(rule: string, firstStart: number, zone: string, splitAt: number): number {
  return ruleStarts(rule, firstStart, zone, firstStart, splitAt).length;
}

/** The wall-clock shift from `from` to `to` in `zone`, in milliseconds. */
export function wallShift(from: number, to: number, zone: string): number {
  return floating(to, zone).getTime() - floating(from, zone).getTime();
}

/** `instant` moved by `shift` on the wall clock of `zone` (09:00 + 1 h is 10:00 on any day). */
export function shiftedOnWall(instant: number, shift: number, zone: string): number {
  return placed(new Date(floating(instant, zone).getTime() + shift), zone);
}

/** A weekly series' weekdays moved by whole days (an occurrence moved from Monday to Tuesday). */
export function shiftedRecurrence(recurrence: Recurrence, shift: number): Recurrence {
  const days = Math.round(shift / DAY_MS);
  if (recurrence.weekdays === undefined || days % 7 === 0) return recurrence;
  const moved = recurrence.weekdays.map((d) => WEEKDAYS[(((WEEKDAYS.indexOf(d) + days) % 7) + 7) % 7] ?? d);
  return { ...recurrence, weekdays: moved };
}

/** The wall clock of `instant` in `zone`, as providers take a series' start (date, time, weekday, day). */
export function wallClock(
  instant: number,
  zone: string,
): {
  readonly date: string;
  readonly time: string;
  readonly weekday: Weekday;
  readonly day: number;
  readonly month: number;
} {
  const t = DateTime.fromMillis(instant, { zone });
  return {
    date: t.toISODate() ?? '',
    time: t.toFormat('HH:mm:ss'),
    weekday: WEEKDAYS[t.weekday - 1] ?? 'MO',
    day: t.day,
    month: t.month,
  };
}

/** One occurrence changed on its own, as stored. */
export type OccurrenceChange = {
  readonly occurrenceId: string;
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  readonly title: string | null;
  readonly cancelled: boolean;
  /** Cancelled only because its linked Google series lists it as an EXDATE (linked.ts `followExdates`). */
  readonly byExdate?: boolean;
};

/**
 * What a linked meeting made from ours follows (linked.ts `pushed`): the meeting as it now is, one
 * occurrence changed on its own (`currentStart`: where it was before this change), or a series
 * split into the part that ended and the meeting that carries on.
 */
export type ScheduleChange =
  | { readonly kind: 'meeting'; readonly meeting: Meeting }
  | {
      readonly kind: 'occurrence';
      readonly meeting: Meeting;
      readonly occurrenceId: string;
      readonly currentStart: string;
      readonly startsAt: string;
      readonly endsAt: string;
      readonly title: string;
      readonly cancelled: boolean;
    }
  | {
      readonly kind: 'split';
      readonly ended: Meeting;
      readonly continued: Meeting;
      /** Who split it, as those told of the continued part's new link see them. */
      readonly by: { readonly id: string; readonly name: string };
    };

type Scheduled = Meeting & { readonly startsAt: string };

/**
 * The meeting's occurrences that overlap [from, to), by start: a single meeting's one, or a
 * series' by its rule with each change applied (a moved one is where it was moved to).
 */
export function occurrencesOf(
  meeting: Scheduled,
  changes: readonly OccurrenceChange[],
  from: number,
  to: number,
): Occurrence[] {
  const firstStart = Date.parse(meeting.startsAt);
  const length = meeting.endsAt === null ? DEFAULT_LENGTH_MS : Date.parse(meeting.endsAt) - firstStart;
  const byId = new Map(changes.map((c) => [c.occurrenceId, c]));
  const occurrence = (start: number): Occurrence => {
    const id = new Date(start).toISOString();
    const change = byId.get(id);
    const startsAt = change?.startsAt ?? id;
    return {
      meetingId: meeting.id,
      occurrenceId: id,
      startsAt,
      endsAt: change?.endsAt ?? new Date(Date.parse(startsAt) + length).toISOString(),
      title: change?.title ?? meeting.title,
      changed: change !== undefined,
      cancelled: meeting.status === 'cancelled' || change?.cancelled === true,
    };
  };
  const overlaps = (o: Occurrence) => Date.parse(o.startsAt) < to && Date.parse(o.endsAt) > from;
  const starts =
    meeting.rrule === null ? [firstStart] : ruleStarts(meeting.rrule, firstStart, meeting.timeZone, from - length, to);
  // A moved occurrence shows where it now is, wherever its rule start lies.
  const moved = changes.filter((c) => c.startsAt !== null).map((c) => Date.parse(c.occurrenceId));
  const all = new Set([...starts, ...moved]);
  return [...all]
    .map(occurrence)
    .filter(overlaps)
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}
