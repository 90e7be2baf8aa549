import { WEEKDAYS } from '@tandem/shared';
import { useId } from 'react';
import { useT } from '../i18n/useT.ts';
import { weekOfMonth, weekdayOfDate, type RecurrenceDraft } from './meetingSchedule.ts';
import './series.css';

const WEEK = { 1: 'first', 2: 'second', 3: 'third', 4: 'fourth', [-1]: 'last' } as const;

/**
 * How a meeting repeats: never, daily, weekly on chosen days, monthly or yearly on the date or on
 * "the second Tuesday", ending never, after a number of times or on a date. Native controls in
 * labelled groups, so it is used with the keyboard and read by screen readers as it looks.
 */
export function RecurrenceEditor({
  value,
  onChange,
  startDate,
}: {
  readonly value: RecurrenceDraft;
  readonly onChange: (next: RecurrenceDraft) => void;
  /** `yyyy-mm-dd`: the first occurrence's date, whose weekday is always one of a weekly series'. */
  readonly startDate: string;
}) {
  const id = useId();
  const t = useT();
  const set = (patch: Partial<RecurrenceDraft>) => onChange({ ...value, ...patch });
  const startDay = weekdayOfDate(startDate);
  const week = weekOfMonth(startDate);
  return (
    <fieldset className="recurrence-editor" aria-label={t('meetings.recurrence.group')}>
      <div className="row">
        <div className="field">
          <label htmlFor={`${id}-repeats`}>{t('meetings.recurrence.repeats')}</label>
          <select
            id={`${id}-repeats`}
            value={value.repeats}
            onChange={(e) => set({ repeats: e.target.value as RecurrenceDraft['repeats'] })}
          >
            <option value="never">{t('meetings.recurrence.never')}</option>
            <option value="daily">{t('meetings.recurrence.daily')}</option>
            <option value="weekly">{t('meetings.recurrence.weekly')}</option>
            <option value="monthly">{t('meetings.recurrence.monthly')}</option>
            <option value="yearly">{t('meetings.recurrence.yearly')}</option>
          </select>
        </div>
        {value.repeats === 'never' ? null : (
          <div className="field">
            <label htmlFor={`${id}-interval`}>{t('meetings.recurrence.every')}</label>
            <span className="row">
              <input
                id={`${id}-interval`}
                type="number"
                min={1}
                max={99}
                value={value.interval}
                aria-describedby={`${id}-unit`}
                onChange={(e) => set({ interval: Math.max(1, Math.min(99, Number(e.target.value) || 1)) })}
              />
              <span id={`${id}-unit`}>{t('meetings.recurrence.unit', { unit: value.repeats })}</span>
            </span>
          </div>
        )}
      </div>
      {value.repeats === 'weekly' ? (
        <fieldset className="weekdays">
          <legend>{t('meetings.recurrence.on')}</legend>
          {WEEKDAYS.map((day) => {
            const own = day === startDay;
            return (
              <label key={day} className="check weekday">
                <input
                  type="checkbox"
                  aria-label={t(own ? 'meetings.recurrence.startDay' : 'meetings.recurrence.day', { day })}
                  checked={own || value.weekdays.includes(day)}
                  disabled={own}
                  onChange={(e) =>
                    set({
                      weekdays: e.target.checked ? [...value.weekdays, day] : value.weekdays.filter((d) => d !== day),
                    })
                  }
                />
                <span aria-hidden="true">{t('meetings.recurrence.dayShort', { day })}</span>
              </label>
            );
          })}
        </fieldset>
      ) : null}
      {value.repeats === 'monthly' || value.repeats === 'yearly' ? (
        <fieldset className="choices">
          <legend>{t('meetings.recurrence.on')}</legend>
          <label className="check">
            <input type="radio" name={`${id}-on`} checked={value.on === 'date'} onChange={() => set({ on: 'date' })} />
            {t('meetings.recurrence.sameDate', { date: Number(startDate.slice(8, 10)) })}
          </label>
          <label className="check">
            <input
              type="radio"
              name={`${id}-on`}
              checked={value.on === 'weekday'}
              onChange={() => set({ on: 'weekday' })}
            />
            {t('meetings.recurrence.nthWeekday', { week: WEEK[week], day: startDay })}
          </label>
        </fieldset>
      ) : null}
      {value.repeats === 'never' ? null : (
        <fieldset className="choices">
          <legend>{t('meetings.recurrence.ends')}</legend>
          <label className="check">
            <input
              type="radio"
              name={`${id}-end`}
              checked={value.end === 'never'}
              onChange={() => set({ end: 'never' })}
            />
            {t('meetings.recurrence.endsNever')}
          </label>
          <span className="check">
            <input
              id={`${id}-end-count`}
              type="radio"
              name={`${id}-end`}
              checked={value.end === 'count'}
              onChange={() => set({ end: 'count' })}
            />
            <label htmlFor={`${id}-end-count`}>{t('meetings.recurrence.after')}</label>
            <input
              type="number"
              aria-label={t('meetings.recurrence.count')}
              min={1}
              max={999}
              value={value.count}
              disabled={value.end !== 'count'}
              onChange={(e) => set({ count: Math.max(1, Math.min(999, Number(e.target.value) || 1)) })}
            />
            {t('meetings.recurrence.times')}
          </span>
          <span className="check">
            <input
              id={`${id}-end-until`}
              type="radio"
              name={`${id}-end`}
              checked={value.end === 'until'}
              onChange={() => set({ end: 'until' })}
            />
            <label htmlFor={`${id}-end-until`}>{t('meetings.recurrence.onDate')}</label>
            <input
              type="date"
              aria-label={t('meetings.recurrence.lastDate')}
              min={startDate}
              value={value.until}
              disabled={value.end !== 'until'}
              onChange={(e) => set({ until: e.target.value })}
            />
          </span>
        </fieldset>
      )}
    </fieldset>
  );
}
