import { type EditScope, type Meeting, type Occurrence } from '@tandem/shared';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { MessageId } from '../i18n/locales/en.ts';
import { useDates } from '../i18n/useDates.ts';
import { useT } from '../i18n/useT.ts';
import { useLinkedController } from '../linked/LinkedContext.ts';
import { errorText } from '../ui/errorText.ts';
import { Modal } from '../ui/Modal.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { draftFor, recurrenceText, scheduleTimes, type ScheduleDraft } from './meetingSchedule.ts';
import './series.css';

const DAY_MS = 86_400_000;
/** How far ahead a series lists its occurrences. */
const AHEAD_DAYS = 120;

const SCOPES: readonly { readonly scope: EditScope; readonly label: MessageId }[] = [
  { scope: 'this', label: 'meetings.series.scope.this' },
  { scope: 'following', label: 'meetings.series.scope.following' },
  { scope: 'series', label: 'meetings.series.scope.series' },
];

/**
 * Changing one occurrence of a series: its date, time and title, or cancelling it, for this
 * occurrence only, it and those after it, or the whole series. Times are on the wall clock of
 * the meeting's zone, as the form schedules it.
 */
export function OccurrenceDialog({
  meeting,
  occurrence,
  onClose,
}: {
  readonly meeting: Meeting;
  readonly occurrence: Occurrence;
  readonly onClose: () => void;
}) {
  const linked = useLinkedController();
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState<ScheduleDraft>(() =>
    draftFor({ ...meeting, startsAt: occurrence.startsAt, endsAt: occurrence.endsAt }, new Date(), meeting.timeZone),
  );
  const [title, setTitle] = useState(occurrence.title);
  const [scope, setScope] = useState<EditScope>('this');
  const [invalid, setInvalid] = useState<string | undefined>();
  const [apply, state] = useAsyncAction(
    async (edit: { startsAt: string; endsAt: string; title: string } | { cancelled: true }) => {
      await linked.editOccurrence(meeting.id, occurrence.occurrenceId, { scope, ...edit });
      onClose();
    },
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const times = scheduleTimes(draft, new Date(0), meeting.timeZone, t);
    if ('error' in times) {
      setInvalid(times.error);
      return;
    }
    setInvalid(undefined);
    void apply({ ...times, title: title.trim() });
  };
  const error = invalid ?? state.error;
  return (
    <Modal title={t('meetings.series.changeTitle', { title: occurrence.title })} onClose={onClose}>
      <form className="occurrence-form" onSubmit={submit}>
        <div className="field">
          <label htmlFor={`${id}-title`}>{t('meetings.form.title')}</label>
          <input id={`${id}-title`} value={title} maxLength={200} required onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="schedule-fields">
          <div className="field">
            <label htmlFor={`${id}-date`}>{t('meetings.form.date')}</label>
            <input
              id={`${id}-date`}
              type="date"
              value={draft.date}
              onChange={(e) => setDraft({ ...draft, date: e.target.value })}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-time`}>
              {t('meetings.series.startTimeIn', { zone: meeting.timeZone.replace(/_/g, ' ') })}
            </label>
            <input
              id={`${id}-time`}
              type="time"
              value={draft.time}
              onChange={(e) => setDraft({ ...draft, time: e.target.value })}
            />
          </div>
        </div>
        <fieldset className="choices">
          <legend>{t('meetings.series.changeLegend')}</legend>
          {SCOPES.map((s) => (
            <label key={s.scope} className="check">
              <input type="radio" name={`${id}-scope`} checked={scope === s.scope} onChange={() => setScope(s.scope)} />
              {t(s.label)}
            </label>
          ))}
        </fieldset>
        {error === undefined ? null : (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <div className="row form-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('meetings.form.close')}
          </button>
          <button
            type="button"
            className="button button-danger"
            disabled={state.busy}
            onClick={() => void apply({ cancelled: true })}
          >
            {t('meetings.series.cancel', { scope })}
          </button>
          <button type="submit" className="button button-primary" disabled={state.busy || title.trim() === ''}>
            {state.busy ? t('ui.saving') : t('ui.save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

type Load =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly occurrences: readonly Occurrence[] }
  | { readonly status: 'error'; readonly message: string };

/**
 * A series in words and its next occurrences, the changed ones marked (moved or retitled,
 * cancelled); its hosts change one from here.
 */
export function SeriesView({ meeting, host }: { readonly meeting: Meeting; readonly host: boolean }) {
  const linked = useLinkedController();
  const t = useT();
  const dates = useDates();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  const [editing, setEditing] = useState<Occurrence | null>(null);
  const refresh = useCallback(async () => {
    const from = new Date(Date.now() - DAY_MS);
    try {
      const occurrences = await linked.occurrences(meeting.id, from, new Date(from.getTime() + AHEAD_DAYS * DAY_MS));
      setLoad({ status: 'ready', occurrences });
    } catch (e) {
      setLoad({ status: 'error', message: errorText(e) });
    }
  }, [linked, meeting]);
  useEffect(() => {
    void refresh();
    return linked.onChanged(() => void refresh());
  }, [refresh, linked]);
  if (meeting.recurrence === null || meeting.startsAt === null) return null;
  const now = new Date();
  return (
    <details className="series">
      <summary>{recurrenceText(meeting.recurrence, meeting.startsAt, meeting.timeZone)}</summary>
      {load.status === 'loading' ? (
        <p role="status">{t('meetings.series.loading')}</p>
      ) : load.status === 'error' ? (
        <p role="alert" className="error">
          {t('meetings.series.loadFailed', { reason: load.message })}
        </p>
      ) : (
        <ul className="occurrences" aria-label={t('meetings.series.list', { title: meeting.title })}>
          {load.occurrences.map((o) => (
            <li key={o.occurrenceId} className="occurrence" data-changed={o.changed} data-cancelled={o.cancelled}>
              <span className={o.cancelled ? 'cancelled' : undefined}>
                {dates.when(new Date(o.startsAt), now)}
                {o.title === meeting.title ? '' : ` · ${o.title}`}
              </span>
              {o.cancelled ? (
                <span className="tag">{t('meetings.series.cancelled')}</span>
              ) : o.changed ? (
                <span className="tag">{t('meetings.series.changed')}</span>
              ) : null}
              {host && !o.cancelled ? (
                <button
                  type="button"
                  className="button button-small"
                  aria-label={t('meetings.series.changeNamed', {
                    title: o.title,
                    when: dates.when(new Date(o.startsAt), now),
                  })}
                  onClick={() => setEditing(o)}
                >
                  {t('meetings.series.changeButton')}
                </button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {editing === null ? null : (
        <OccurrenceDialog meeting={meeting} occurrence={editing} onClose={() => setEditing(null)} />
      )}
    </details>
  );
}
