import { useMemo } from 'react';
import { useIntl, type IntlShape } from 'react-intl';
import { useT, type Translate } from './useT.ts';

const DAY_MS = 24 * 60 * 60_000;
const TIME = { hour: '2-digit', minute: '2-digit' } as const;
const DAY = { weekday: 'short', day: 'numeric', month: 'short' } as const;

export type Dates = {
  /** "14:05" today, "Tue 3 Mar, 14:05" on other days, relative to `now`. */
  when(at: Date, now: Date): string;
  /** "Today, 14:00–14:30", "Tomorrow, 09:00", "Thu 3 Dec, 10:00–11:00" (the end only on the same day). */
  span(start: Date, end: Date | null, now: Date): string;
  /** A meeting's span, or "Any time" for one without a start. */
  meetingWhen(meeting: { readonly startsAt: string | null; readonly endsAt: string | null }, now: Date): string;
};

/** Dates and times in the shown language, through Intl (react-intl's formatters, in the runtime's time zone). */
export function datesIn(intl: Pick<IntlShape, 'formatTime' | 'formatDate'>, t: Translate): Dates {
  const time = (at: Date) => intl.formatTime(at, TIME);
  const span: Dates['span'] = (start, end, now) => {
    const times =
      end === null || end.toDateString() !== start.toDateString()
        ? time(start)
        : t('date.range', { start: time(start), end: time(end) });
    if (start.toDateString() === now.toDateString()) return t('date.today', { times });
    if (start.toDateString() === new Date(now.getTime() + DAY_MS).toDateString()) return t('date.tomorrow', { times });
    return t('date.day', { day: intl.formatDate(start, DAY), times });
  };
  return {
    when: (at, now) =>
      at.toDateString() === now.toDateString()
        ? time(at)
        : t('date.day', { day: intl.formatDate(at, DAY), times: time(at) }),
    span,
    meetingWhen: (meeting, now) =>
      meeting.startsAt === null
        ? t('date.anyTime')
        : span(new Date(meeting.startsAt), meeting.endsAt === null ? null : new Date(meeting.endsAt), now),
  };
}

export function useDates(): Dates {
  const intl = useIntl();
  const t = useT();
  return useMemo(() => datesIn(intl, t), [intl, t]);
}
