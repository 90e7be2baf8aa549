const TIME = { hour: '2-digit', minute: '2-digit' } as const;
const DAY = { weekday: 'short', day: 'numeric', month: 'short' } as const;
const timeFormat = new Intl.DateTimeFormat(undefined, TIME);
const dayFormat = new Intl.DateTimeFormat(undefined, DAY);

const DAY_MS = 24 * 60 * 60_000;

/** The Intl options of a time ("14:05") and a day ("Tue 3 Mar") wherever dates are said. */
export const DATE_FORMATS = { time: TIME, day: DAY } as const;

/** How one language says dates: its formatters (Intl, in the runtime's time zone) and its words. */
export type DateWords = {
  readonly time: (at: Date) => string;
  readonly day: (at: Date) => string;
  /** "14:00–14:30" */
  readonly range: (start: string, end: string) => string;
  /** "Today, 14:00" */
  readonly today: (times: string) => string;
  readonly tomorrow: (times: string) => string;
  /** "Thu 3 Dec, 10:00" */
  readonly onDay: (day: string, times: string) => string;
  readonly anyTime: string;
};

export type Dates = {
  /** "14:05" today, "Tue 3 Mar, 14:05" on other days, relative to `now`. */
  when(at: Date, now: Date): string;
  /** "Today, 14:00–14:30", "Tomorrow, 09:00", "Thu 3 Dec, 10:00–11:00" (the end only on the same day). */
  span(start: Date, end: Date | null, now: Date): string;
  /** When a meeting takes place: its span, or "Any time" for one without a start. */
  meetingWhen(meeting: { readonly startsAt: string | null; readonly endsAt: string | null }, now: Date): string;
};

/** The one rule for saying when, in any language (the renderer's catalogue, main's, or English here). */
export function datesWith(words: DateWords): Dates {
  const span: Dates['span'] = (start, end, now) => {
    const times =
      end === null || end.toDateString() !== start.toDateString()
        ? words.time(start)
        : words.range(words.time(start), words.time(end));
    if (start.toDateString() === now.toDateString()) return words.today(times);
    if (start.toDateString() === new Date(now.getTime() + DAY_MS).toDateString()) return words.tomorrow(times);
    return words.onDay(words.day(start), times);
  };
  return {
    when: (at, now) =>
      at.toDateString() === now.toDateString() ? words.time(at) : words.onDay(words.day(at), words.time(at)),
    span,
    meetingWhen: (meeting, now) =>
      meeting.startsAt === null
        ? words.anyTime
        : span(new Date(meeting.startsAt), meeting.endsAt === null ? null : new Date(meeting.endsAt), now),
  };
}

/** English words in the runtime's locale: for what has no catalogue of its own. */
const english = datesWith({
  time: (at) => timeFormat.format(at),
  day: (at) => dayFormat.format(at),
  range: (start, end) => `${start}–${end}`,
  today: (times) => `Today, ${times}`,
  tomorrow: (times) => `Tomorrow, ${times}`,
  onDay: (day, times) => `${day}, ${times}`,
  anyTime: 'Any time',
});

/** "14:05" today, "Tue 3 Mar, 14:05" on other days, relative to `now`. */
export const formatWhen = english.when;

/** "14:05", in the runtime's locale. */
export function formatTime(at: Date): string {
  return timeFormat.format(at);
}

/**
 * A meeting's time in the runtime's time zone and locale: "Today, 14:00–14:30",
 * "Tomorrow, 09:00–10:00", "Thu 3 Dec, 10:00–11:00" (the end only when it is the same day).
 */
export const formatSpan = english.span;

/** When a meeting takes place: its span, or "Any time". */
export const meetingWhen = english.meetingWhen;
