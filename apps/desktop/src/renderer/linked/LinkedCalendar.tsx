import { formatWhen, type Calendar, type CalendarEntry } from '@tandem/shared';
import { useCallback, useEffect, useId, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { useLinkedController } from './LinkedContext.ts';
import { LinkedMeetingDetails } from './LinkedMeetingDetails.tsx';
import { providerName } from './names.ts';

const DAY_MS = 24 * 3600_000;
/** Today and the next two weeks. */
const WINDOW_DAYS = 14;
/** Read again this often whatever else happens: the safety net behind change notifications. */
const RESYNC_MS = 5 * 60_000;

type Load =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly calendar: Calendar }
  | { readonly status: 'error'; readonly message: string };

const IMPORTED_FROM: Readonly<Record<Extract<CalendarEntry, { kind: 'imported' }>['provider'], string>> = {
  microsoft: 'Outlook',
  google: 'Google Calendar',
  zoom: 'Zoom',
};

function Entry({ entry, now }: { readonly entry: CalendarEntry; readonly now: Date }) {
  const navigate = useAppStore((s) => s.navigate);
  const t = useT();
  const when = formatWhen(new Date(entry.startsAt), now);
  return (
    <li className="linked-entry" data-kind={entry.kind}>
      <div>
        <p className="linked-entry-title">{entry.title}</p>
        <p className="linked-entry-when">
          {t('linked.calendar.line', {
            when: entry.kind === 'imported' && entry.allDay ? t('linked.calendar.allDay') : when,
            source: entry.kind === 'tandem' ? 'tandem' : IMPORTED_FROM[entry.provider],
            app:
              entry.linked === null || entry.linked.provider === 'tandem'
                ? 'none'
                : providerName(entry.linked.provider),
          })}
        </p>
      </div>
      {entry.kind === 'tandem' ? (
        <button
          type="button"
          className="button"
          aria-label={t('linked.calendar.joinNamed', { title: entry.title })}
          onClick={() => navigate({ name: 'prejoin', codeOrLink: entry.joinCode, title: entry.title })}
        >
          {t('linked.join')}
        </button>
      ) : entry.linked === null ? (
        <span className="empty">{t('linked.calendar.noLink')}</span>
      ) : null}
      {entry.linked === null || entry.linked.provider === 'tandem' ? null : (
        <details className="linked-entry-details">
          <summary>
            {entry.kind === 'tandem'
              ? t('linked.calendar.linkedMeeting', { app: providerName(entry.linked.provider) })
              : t('linked.calendar.joinDetails')}
          </summary>
          <LinkedMeetingDetails meeting={entry.linked} title={entry.title} />
        </details>
      )}
      {entry.kind === 'tandem' && entry.linkedAccount === 'disconnected' && entry.linked?.provider !== 'tandem' ? (
        <p className="hint linked-disconnected">
          {t('linked.calendar.accountDisconnected', { app: providerName(entry.linked?.provider ?? 'tandem') })}
        </p>
      ) : null}
    </li>
  );
}

/** Our meetings and the user's connected calendars together, each with a way to join. */
export function LinkedCalendar() {
  const controller = useLinkedController();
  const t = useT();
  const load = controller.calendar;
  const [state, setState] = useState<Load>({ status: 'loading' });
  // A meeting changed (here or live from the server): its occurrences may have moved.
  const meetings = useAppStore((s) => s.meetings);
  const id = useId();
  const refresh = useCallback(async () => {
    setState({ status: 'loading' });
    const from = new Date();
    from.setHours(0, 0, 0, 0);
    try {
      setState({ status: 'ready', calendar: await load(from, new Date(from.getTime() + WINDOW_DAYS * DAY_MS)) });
    } catch (error) {
      setState({ status: 'error', message: errorText(error) });
    }
  }, [load]);
  useEffect(() => {
    void refresh();
    const resync = setInterval(() => void refresh(), RESYNC_MS);
    const stop = controller.onChanged(() => void refresh());
    return () => {
      clearInterval(resync);
      stop();
    };
  }, [refresh, controller, meetings]);
  const now = new Date();
  return (
    <section className="card" aria-labelledby={id}>
      <h2 id={id}>{t('linked.calendar.title')}</h2>
      {state.status === 'loading' ? (
        <p role="status" className="loading">
          <span className="spinner" aria-hidden="true" /> {t('linked.calendar.loading')}
        </p>
      ) : state.status === 'error' ? (
        <div role="alert" className="error">
          <p>{t('linked.calendar.failed', { reason: state.message })}</p>
          <button type="button" className="button" onClick={() => void refresh()}>
            {t('ui.load.retry')}
          </button>
        </div>
      ) : (
        <>
          {state.calendar.failures.map((f) => (
            <p key={f.provider} role="alert" className="error">
              {t('linked.calendar.readFailed', {
                calendar: IMPORTED_FROM[f.provider],
                reason: errorText(Object.assign(new Error(f.message), { code: f.code })),
              })}
            </p>
          ))}
          {state.calendar.entries.length === 0 ? (
            <p className="empty">{t('linked.calendar.empty')}</p>
          ) : (
            <ul className="linked-entries">
              {state.calendar.entries.map((e) => (
                <Entry
                  key={e.kind === 'tandem' ? `${e.meetingId}@${e.startsAt}` : `${e.provider}:${e.externalId}`}
                  entry={e}
                  now={now}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
