import { formatTime, type Meeting } from '@tandem/shared';

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

const pad = (n: number) => String(n).padStart(2, '0');
const dateInput = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const timeInput = (d: Date) => `${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** The form's starting point: the meeting's own times, or the next half hour for 30 minutes. */
export function draftFor(meeting: Meeting | undefined, now: Date): ScheduleDraft {
  if (meeting?.startsAt != null) {
    const start = new Date(meeting.startsAt);
    const end = meeting.endsAt === null ? null : new Date(meeting.endsAt);
    const minutes = end === null ? 30 : Math.max(1, Math.round((end.getTime() - start.getTime()) / 60_000));
    return { date: dateInput(start), time: timeInput(start), durationMinutes: minutes };
  }
  const next = new Date(now);
  next.setSeconds(0, 0);
  next.setMinutes(next.getMinutes() < 30 ? 30 : 60);
  return { date: dateInput(next), time: timeInput(next), durationMinutes: 30 };
}

/**
 * The draft as the server's instants (the date and time are read in the computer's time zone),
 * or what is wrong with it, in words for the form.
 */
export function scheduleTimes(
  draft: ScheduleDraft,
  now: Date,
): { readonly startsAt: string; readonly endsAt: string } | { readonly error: string } {
  const dateOk = /^\d{4}-\d{2}-\d{2}$/.test(draft.date);
  const timeOk = /^\d{2}:\d{2}$/.test(draft.time);
  const start = new Date(`${draft.date}T${draft.time}`);
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
