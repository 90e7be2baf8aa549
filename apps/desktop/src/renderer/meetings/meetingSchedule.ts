import { formatTime, WEEKDAYS, type Meeting, type Recurrence, type ShippedLocale, type Weekday } from '@tandem/shared';
import { DateTime, Info } from 'luxon';
import { localeNow, translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

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
  t: Translate = translateNow,
): { readonly startsAt: string; readonly endsAt: string } | { readonly error: string } {
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(draft.date);
  const timeOk = /^\d{2}:\d{2}$/.test(draft.time);
  const start = DateTime.fromISO(`${draft.date}T${draft.time}`, { zone }).toJSDate();
  if (!dateOk || !timeOk || Number.isNaN(start.getTime())) return { error: t('meetings.schedule.noTime') };
  if (start.getTime() < now.getTime() - PAST_SLACK_MS) return { error: t('meetings.schedule.past') };
  if (!Number.isInteger(draft.durationMinutes) || draft.durationMinutes <= 0)
    return { error: t('meetings.schedule.noLength') };
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

/** Intl's words for `locale`; English dates read the British way ("25 December"), as before. */
const intlLocale = (locale: ShippedLocale): string => (locale === 'en' ? 'en-GB' : locale);

/** "Every week on Monday and Thursday, 10 times", "Every month on the last Friday": what a series does, in words. */
export function recurrenceText(
  r: NonNullable<Meeting['recurrence']>,
  startsAt: string,
  zone: string,
  t: Translate = translateNow,
  locale: ShippedLocale = localeNow(),
): string {
  const intl = intlLocale(locale);
  const start = DateTime.fromISO(startsAt, { zone }).setLocale(intl);
  const weekdayNames = Info.weekdays('long', { locale: intl });
  const dayName = (day: Weekday): string => weekdayNames[WEEKDAYS.indexOf(day)] ?? day;
  const day = WEEKDAYS[start.weekday - 1] ?? 'MO';
  const every = t('meetings.series.every', { count: r.interval, unit: r.frequency });
  const on =
    r.frequency === 'weekly'
      ? t('meetings.series.onDays', {
          days: new Intl.ListFormat(intl, { type: 'conjunction' }).format((r.weekdays ?? [day]).map(dayName)),
        })
      : r.frequency === 'monthly' || r.frequency === 'yearly'
        ? r.monthly?.on === 'weekday'
          ? t('meetings.series.onNth', {
              week: String(r.monthly.week),
              day: dayName(day),
              month: r.frequency === 'yearly' ? start.toLocaleString({ month: 'long' }) : 'none',
            })
          : r.frequency === 'yearly'
            ? t('meetings.series.onDate', { date: start.toLocaleString({ day: 'numeric', month: 'long' }) })
            : t('meetings.series.onDay', { day: start.day })
        : '';
  const end =
    r.end.type === 'count'
      ? t('meetings.series.times', { count: r.end.count })
      : r.end.type === 'until'
        ? t('meetings.series.until', {
            date: DateTime.fromISO(r.end.until)
              .setLocale(intl)
              .toLocaleString({ day: 'numeric', month: 'short', year: 'numeric' }),
          })
        : '';
  return t('meetings.series.sentence', { every, on, end });
}
