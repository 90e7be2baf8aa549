const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric', month: 'short' });

const DAY_MS = 24 * 60 * 60_000;

/** "14:05" today, "Tue 3 Mar, 14:05" on other days, relative to `now`. */
export function formatWhen(at: Date, now: Date): string {
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay ? timeFormat.format(at) : `${dayFormat.format(at)}, ${timeFormat.format(at)}`;
}

/** "14:05", in the runtime's locale. */
export function formatTime(at: Date): string {
  return timeFormat.format(at);
}

/**
 * A meeting's time in the runtime's time zone and locale: "Today, 14:00–14:30",
 * "Tomorrow, 09:00–10:00", "Thu 3 Dec, 10:00–11:00" (the end only when it is the same day).
 */
export function formatSpan(start: Date, end: Date | null, now: Date): string {
  const tomorrow = new Date(now.getTime() + DAY_MS);
  const day =
    start.toDateString() === now.toDateString()
      ? 'Today'
      : start.toDateString() === tomorrow.toDateString()
        ? 'Tomorrow'
        : dayFormat.format(start);
  const times =
    end === null || end.toDateString() !== start.toDateString()
      ? timeFormat.format(start)
      : `${timeFormat.format(start)}–${timeFormat.format(end)}`;
  return `${day}, ${times}`;
}

/** When a meeting takes place, as Home and its notifications say it: its span, or "Any time". */
export function meetingWhen(
  meeting: { readonly startsAt: string | null; readonly endsAt: string | null },
  now: Date,
): string {
  return meeting.startsAt === null
    ? 'Any time'
    : formatSpan(new Date(meeting.startsAt), meeting.endsAt === null ? null : new Date(meeting.endsAt), now);
}
