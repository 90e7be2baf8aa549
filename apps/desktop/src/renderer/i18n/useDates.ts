import { DATE_FORMATS, datesWith, type Dates } from '@tandem/shared';
import { useMemo } from 'react';
import { useIntl, type IntlShape } from 'react-intl';
import { useT, type Translate } from './useT.ts';

export type { Dates };

/** Dates and times in the shown language, through Intl (react-intl's formatters, in the runtime's time zone). */
export function datesIn(intl: Pick<IntlShape, 'formatTime' | 'formatDate'>, t: Translate): Dates {
  return datesWith({
    time: (at) => intl.formatTime(at, DATE_FORMATS.time),
    day: (at) => intl.formatDate(at, DATE_FORMATS.day),
    range: (start, end) => t('date.range', { start, end }),
    today: (times) => t('date.today', { times }),
    tomorrow: (times) => t('date.tomorrow', { times }),
    onDay: (day, times) => t('date.day', { day, times }),
    anyTime: t('date.anyTime'),
  });
}

export function useDates(): Dates {
  const intl = useIntl();
  const t = useT();
  return useMemo(() => datesIn(intl, t), [intl, t]);
}
