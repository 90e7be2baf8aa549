import { formatTime, WEEKDAYS, type Meeting, type Recurrence, type Weekday } from '@tandem/shared';
import { DateTime } from 'luxon';

/** What the schedule form holds: the user's wall-clock date and time, and a length. */
export type ScheduleDraft = {
  /** `yyyy-mm-dd`, as `<input type="date">` gives it. */
  readonly date: string;
  /** `HH:MM`, as `<input type="time">` gives it. */
  readonly time: string;
  readonly durationMinutes: number;
};

export const DURATIONS_MINUTES: readonly number[] = [15, 30, 45, 60, 90, 120];

/** A start this far in the past still counts as "now" (the form was open a while). */
const PAST_SLACK_MS = 5 * 60_000;

/** The computer's own IANA zone: where a new meeting is scheduled unless another is picked. */
export const localZone = (): string => DateTime.local().zoneName ?? 'UTC';

const inZone = (d: Date, zone: string) => DateTime.fromJSDate(d, { zone });
const dateInput = (d: Date, zone: string) => inZone(d, zone).toFormat('yyyy-LL-dd');
const timeInput = (d: Date, zone: string) => inZone(d, zone).toFormat('HH:mm');

/**
 * The form's starting point: the meeting's own times on the wall clock of `zone` (the meeting's
 * zone when editing), or the next half hour for 30 minutes.
 */
export function draftFor(
  meeting: Meeting | undefined,
  now: Date,
  zone = meeting?.timeZone ?? localZone(),
): ScheduleDraft {
  if (meeting?.startsAt != null) {
    const start = new Date(meeting.startsAt);
    const end = meeting.endsAt === null ? null : new Date(meeting.endsAt);
    const minutes = end === null ? 30 : Math.max(1, Math.round((end.getTime() - start.getTime()) / 60_000));
    return { date: dateInput(start, zone), time: timeInput(start, zone), durationMinutes: minutes };
  }
  const next = new Date(now);
  next.setSeconds(0, 0);
  next.setMinutes(next.getMinutes() < 30 ? 30 : 60);
  return { date: dateInput(next, zone), time: timeInput(next, zone), durationMinutes: 30 };
}

/**
 * The draft as the server's instants (the date and time are read on the wall clock of `zone`,
 * the computer's own by default), or what is wrong with it, in words for the form.
 */
export function scheduleTimes(
  draft: ScheduleDraft,
  now: Date,
  zone = localZone(),
): { readonly startsAt: string; readonly endsAt: string } | { readonly error: string } {
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(draft.date);
  const timeOk = /^\d{2}:\d{2}$/.test(draft.time);
  const start = DateTime.fromISO(`${draft.date}T${draft.time}`, { zone }).toJSDate();
  if (!dateOk || !timeOk || Number.isNaN(start.getTime())) return { error: 'Pick a date and a start time.' };
  if (start.getTime() < now.getTime() - PAST_SLACK_MS) return { error: 'That time has already passed.' };
  if (!Number.isInteger(draft.durationMinutes) || draft.durationMinutes <= 0)
    return { error: 'Pick how long the meeting lasts.' };
  const end = new Date(start.getTime() + draft.durationMinutes * 60_000);
  return { startsAt: start.toISOString(), endsAt: end.toISOString() };
}

const longWhen = new Intl.DateTimeFormat(undefined, {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
});

/** The invitation people paste into mail or chat: what, when (with the time zone), and how to join. */
export function invitationText(meeting: Meeting, from: string, productName: string): string {
  const lines = [`${from} invites you to a ${productName} meeting.`, '', meeting.title];
  if (meeting.startsAt !== null) {
    const start = longWhen.format(new Date(meeting.startsAt));
    lines.push(meeting.endsAt === null ? start : `${start} – ${formatTime(new Date(meeting.endsAt))}`);
  }
  // The https link works for everyone (app or browser, inside or outside the organisation).
  const link = meeting.webJoinUrl === '' ? meeting.joinUrl : meeting.webJoinUrl;
  lines.push('', `Join: ${link}`, `Or open ${productName} and enter the code ${meeting.joinCode}`);
  return lines.join('\n');
}

/** What the recurrence editor holds; `repeats: 'never'` is a single meeting. */
export type RecurrenceDraft = {
  readonly repeats: 'never' | 'daily' | 'weekly' | 'monthly' | 'yearly';
  readonly interval: number;
  readonly weekdays: readonly Weekday[];
  /** Monthly and yearly: on the start's date, or its weekday in its week of the month. */
  readonly on: 'date' | 'weekday';
  readonly end: 'never' | 'count' | 'until';
  readonly count: number;
  /** `yyyy-mm-dd` in the meeting's zone. */
  readonly until: string;
};

/** The weekday of a `yyyy-mm-dd` date. */
export const weekdayOfDate = (date: string): Weekday => WEEKDAYS[(DateTime.fromISO(date).weekday || 1) - 1] ?? 'MO';

/** Which of its month's weeks a date falls in: 1–4, or -1 when it is the month's last such weekday. */
export function weekOfMonth(date: string): 1 | 2 | 3 | 4 | -1 {
  const d = DateTime.fromISO(date);
  if (d.day + 7 > (d.daysInMonth ?? 31)) return -1;
  return Math.ceil(d.day / 7) as 1 | 2 | 3 | 4;
}

/** The editor's state for a meeting (its series, or "does not repeat") starting on `date`. */
export function recurrenceDraftFor(meeting: Meeting | undefined, date: string): RecurrenceDraft {
  const r = meeting?.recurrence ?? null;
  return {
    repeats: r === null ? 'never' : r.frequency,
    interval: r?.interval ?? 1,
    // The start's own day is always one (recurrenceOf adds it), so a moved start brings its day along.
    weekdays: r?.weekdays ?? [],
    on: r?.monthly?.on ?? 'date',
    end: r?.end.type ?? 'never',
    count: r?.end.type === 'count' ? r.end.count : 10,
    until: r?.end.type === 'until' ? r.end.until : (DateTime.fromISO(date).plus({ months: 3 }).toISODate() ?? date),
  };
}

/** The draft as the API's recurrence for a series starting on `date`, or null for a single meeting. */
export function recurrenceOf(draft: RecurrenceDraft, date: string): Recurrence | null {
  if (draft.repeats === 'never') return null;
  const end =
    draft.end === 'count'
      ? { type: 'count' as const, count: draft.count }
      : draft.end === 'until'
        ? { type: 'until' as const, until: draft.until }
        : { type: 'never' as const };
  return {
    frequency: draft.repeats,
    interval: draft.interval,
    ...(draft.repeats === 'weekly' ? { weekdays: [...new Set([weekdayOfDate(date), ...draft.weekdays])] } : {}),
    ...(draft.repeats === 'monthly' || draft.repeats === 'yearly'
      ? { monthly: draft.on === 'date' ? { on: 'date' as const } : { on: 'weekday' as const, week: weekOfMonth(date) } }
      : {}),
    end,
  };
}

const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  MO: 'Monday',
  TU: 'Tuesday',
  WE: 'Wednesday',
  TH: 'Thursday',
  FR: 'Friday',
  SA: 'Saturday',
  SU: 'Sunday',
};
const dayName = (day: Weekday): string => DAY_NAMES[day];
const ordinal = (week: number): string =>
  week === -1 ? 'last' : (['first', 'second', 'third', 'fourth'][week - 1] ?? '');

/** "Every week on Monday and Thursday, 10 times", "Every month on the last Friday": what a series does, in words. */
export function recurrenceText(r: NonNullable<Meeting['recurrence']>, startsAt: string, zone: string): string {
  const start = DateTime.fromISO(startsAt, { zone });
  const unit = { daily: 'day', weekly: 'week', monthly: 'month', yearly: 'year' }[r.frequency];
  const every = r.interval === 1 ? `Every ${unit}` : `Every ${r.interval} ${unit}s`;
  const day = WEEKDAYS[start.weekday - 1] ?? 'MO';
  const list = (days: readonly string[]) =>
    days.length <= 1 ? (days[0] ?? '') : `${days.slice(0, -1).join(', ')} and ${days[days.length - 1] ?? ''}`;
  const on =
    r.frequency === 'weekly'
      ? ` on ${list((r.weekdays ?? [day]).map(dayName))}`
      : r.frequency === 'monthly' || r.frequency === 'yearly'
        ? r.monthly?.on === 'weekday'
          ? ` on the ${ordinal(r.monthly.week)} ${dayName(day)}${r.frequency === 'yearly' ? ` of ${start.toFormat('LLLL')}` : ''}`
          : ` on ${r.frequency === 'yearly' ? start.toFormat('d LLLL') : `day ${start.day}`}`
        : '';
  const end =
    r.end.type === 'count'
      ? `, ${r.end.count} times`
      : r.end.type === 'until'
        ? `, until ${DateTime.fromISO(r.end.until).toFormat('d LLL yyyy')}`
        : '';
  return `${every}${on}${end}`;
}
