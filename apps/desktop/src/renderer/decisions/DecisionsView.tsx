import type { DecisionChange, DecisionStatus, DecisionView, Meeting } from '@tandem/shared';
import { useCallback, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { MeetingInsightsDialog } from '../insights/MeetingInsightsDialog.tsx';
import { NotesDialog } from '../notes/NotesDialog.tsx';
import { useNotesController } from '../notes/notesController.ts';
import { clockOf, dayText, today } from '../notes/notesView.ts';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { errorText } from '../ui/errorText.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { DecisionStatusSelect, STATUS_LABEL } from './DecisionsPanel.tsx';
import { ALL_DECISIONS, filterDecisions, isOverdue, type DecisionFilter } from './decisionFilters.ts';
import './decisions.css';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useIntl } from 'react-intl';
import type { Translate } from '../i18n/useT.ts';

const FIELD_LABEL: Readonly<Record<keyof DecisionChange['changes'], MessageId>> = {
  title: 'decisions.field.title',
  detail: 'decisions.field.detail',
  outcome: 'decisions.field.outcome',
  ownerId: 'decisions.field.owner',
  dueDate: 'decisions.field.dueDate',
  status: 'decisions.field.status',
};

/** One change of the history in words: "status Done, due date Fri 4 Dec 2026". */
function changeText(change: DecisionChange, nameOf: (id: string) => string, t: Translate, locale: string): string {
  const parts = (Object.keys(change.changes) as (keyof DecisionChange['changes'])[]).flatMap((field) => {
    const value = change.changes[field];
    if (field === 'detail' || field === 'outcome')
      return value === '' || value === undefined ? [] : [t(FIELD_LABEL[field])];
    if (value === undefined) return [];
    const shown =
      value === null
        ? t('decisions.value.none')
        : field === 'status'
          ? t(STATUS_LABEL[value as DecisionStatus])
          : field === 'ownerId'
            ? nameOf(value)
            : field === 'dueDate'
              ? dayText(value, locale)
              : t('decisions.value.quoted', { value });
    return [t('decisions.change.part', { field: t(FIELD_LABEL[field]), value: shown })];
  });
  return t(change.version === 1 ? 'decisions.change.recorded' : 'decisions.change.changed', {
    parts: parts.join(t('chat.listSeparator')),
  });
}

/** The history of one decision, read when opened (it is the server's, not the cache's). */
function History({ decisionId, nameOf }: { readonly decisionId: string; readonly nameOf: (id: string) => string }) {
  const t = useT();
  const intl = useIntl();
  const notes = useNotesController();
  const load = useCallback(() => notes.history(decisionId), [notes, decisionId]);
  const [loaded, reload] = useLoad(load);
  return (
    <div className="decision-history">
      <LoadState loaded={loaded} what={t('decisions.history.what')} onRetry={() => void reload()} />
      {loaded.status === 'ready' ? (
        <ol aria-label={t('decisions.history')}>
          {loaded.value.history.map((c) => (
            <li key={c.version}>
              <span className="hint">
                {intl.formatDate(c.changedAt, { dateStyle: 'medium', timeStyle: 'short' })} · {nameOf(c.changedBy)}:
              </span>{' '}
              {changeText(c, nameOf, t, intl.locale)}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}

function DecisionRow({
  decision,
  meetingTitle,
  nameOf,
  overdue,
  onPlay,
}: {
  readonly decision: DecisionView;
  readonly meetingTitle: string | null;
  readonly nameOf: (id: string) => string;
  readonly overdue: boolean;
  readonly onPlay: (decision: DecisionView) => void;
}) {
  const t = useT();
  const intl = useIntl();
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <li className="decision-row card" data-status={decision.status} aria-labelledby={`${id}-title`}>
      <div className="decision-row-head">
        <h2 id={`${id}-title`} className="decision-row-title">
          {decision.title}
        </h2>
        <DecisionStatusSelect decision={decision} />
      </div>
      <dl className="decision-facts">
        <div>
          <dt>{t('decisions.owner')}</dt>
          <dd>{decision.ownerId === null ? t('decisions.nobody') : nameOf(decision.ownerId)}</dd>
        </div>
        <div>
          <dt>{t('decisions.due')}</dt>
          <dd>
            {decision.dueDate === null ? t('decisions.noDueDate') : dayText(decision.dueDate, intl.locale)}
            {overdue ? <span className="decision-overdue"> {t('decisions.overdue')}</span> : null}
          </dd>
        </div>
        <div>
          <dt>{t('decisions.meeting')}</dt>
          <dd>
            {meetingTitle ?? t(decision.meetingId === null ? 'decisions.meeting.none' : 'decisions.meeting.some')}
          </dd>
        </div>
      </dl>
      {decision.moment === null ? null : (
        <p className="hint">
          {t('decisions.confirmedFromNotes')}
          {decision.moment.recordingOffsetMs === null ? (
            '.'
          ) : (
            <>
              {' '}
              ·{' '}
              <button type="button" className="link-button" onClick={() => onPlay(decision)}>
                {t('decisions.playMoment', { at: clockOf(decision.moment.recordingOffsetMs) })}
              </button>
            </>
          )}
        </p>
      )}
      {decision.id === null ? (
        <p className="hint">{t('decisions.notSynced.history')}</p>
      ) : (
        <>
          <button
            type="button"
            className="link-button"
            aria-expanded={open}
            aria-controls={`${id}-history`}
            onClick={() => setOpen((o) => !o)}
          >
            {t(open ? 'decisions.history.hide' : 'decisions.history.show')}
          </button>
          <div id={`${id}-history`}>{open ? <History decisionId={decision.id} nameOf={nameOf} /> : null}</div>
        </>
      )}
    </li>
  );
}

/**
 * Decisions across meetings: owners, due dates, status and its history, filtered to one's own,
 * the overdue or one meeting's; a meeting's notes (where its confirmed items come from) and its
 * insights open from here. Decisions are the cache's, so they read offline; history and notes need the server.
 */
export function DecisionsView() {
  const t = useT();
  const controller = useController();
  const notes = useNotesController();
  const decisions = useAppStore(useShallow((s) => s.decisions));
  const people = useAppStore(useShallow((s) => s.people));
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const [filter, setFilter] = useState<DecisionFilter>(ALL_DECISIONS);
  const [decisionsLoad, setDecisionsLoad] = useState<'loading' | 'ready' | string>('loading');
  const loadMeetings = useCallback(() => notes.meetings(), [notes]);
  const [meetings, reloadMeetings] = useLoad(loadMeetings);
  const [opened, setOpened] = useState<{ readonly meeting: Meeting; readonly what: 'notes' | 'insights' } | null>(null);
  const [playing, setPlaying] = useState<{ url: string; title: string } | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const opener = useRef<HTMLButtonElement | null>(null);
  const ids = useId();

  const loadDecisions = useCallback(() => {
    setDecisionsLoad('loading');
    // Owners are named from the people the cache knows, which it may have learned since sign-in.
    controller.loadPeople().catch(() => undefined);
    controller.loadDecisions().then(
      () => setDecisionsLoad('ready'),
      (e: unknown) => setDecisionsLoad(errorText(e)),
    );
  }, [controller]);
  useEffect(loadDecisions, [loadDecisions]);

  const nameOf = useCallback(
    (id: string) => (id === me ? t('chat.you') : (people.find((p) => p.id === id)?.name ?? t('chat.someone'))),
    [people, me, t],
  );
  const meetingList = useMemo(
    () =>
      meetings.status === 'ready'
        ? [...meetings.value].sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : -1))
        : ([] as Meeting[]),
    [meetings],
  );
  const titleOf = (meetingId: string | null) =>
    meetingId === null ? null : (meetingList.find((m) => m.id === meetingId)?.title ?? null);
  const day = today();
  const shown = filterDecisions(decisions, filter, me, day);
  const selected = meetingList.find((m) => m.id === filter.meetingId) ?? null;

  const closeDialog = () => {
    setOpened(null);
    opener.current?.focus();
  };

  const play = (d: DecisionView) => {
    const moment = d.moment;
    if (d.meetingId === null || moment?.recordingId == null || moment.recordingOffsetMs === null) return;
    notes.recordingLink(d.meetingId, moment.recordingId).then(
      (link) =>
        setPlaying({
          url: `${link.url}#t=${(moment.recordingOffsetMs ?? 0) / 1000}`,
          title: t('decisions.recordingOf', { title: d.title }),
        }),
      (e: unknown) => setProblem(t('decisions.playFailed', { reason: errorText(e, t) })),
    );
  };

  return (
    <main className="decisions-screen" aria-labelledby="decisions-title">
      <h1 id="decisions-title">{t('call.decisions')}</h1>
      <p className="hint">{t('decisions.hint')}</p>
      <fieldset className="decision-filters">
        <legend className="visually-hidden">{t('chat.search.filters')}</legend>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.mine}
            onChange={(e) => setFilter((f) => ({ ...f, mine: e.target.checked }))}
          />
          {t('decisions.filter.mine')}
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={filter.overdue}
            onChange={(e) => setFilter((f) => ({ ...f, overdue: e.target.checked }))}
          />
          {t('decisions.overdue')}
        </label>
        <div className="field">
          <label htmlFor={`${ids}-meeting`}>{t('decisions.meeting')}</label>
          <select
            id={`${ids}-meeting`}
            value={filter.meetingId ?? ''}
            onChange={(e) => setFilter((f) => ({ ...f, meetingId: e.target.value === '' ? null : e.target.value }))}
          >
            <option value="">{t('decisions.filter.allMeetings')}</option>
            {meetingList.map((m) => (
              <option key={m.id} value={m.id}>
                {m.title}
              </option>
            ))}
          </select>
        </div>
        {selected === null ? null : (
          <>
            <button
              type="button"
              className="button"
              onClick={(e) => {
                opener.current = e.currentTarget;
                setOpened({ meeting: selected, what: 'notes' });
              }}
            >
              {t('decisions.notesOf', { title: selected.title })}
            </button>
            <button
              type="button"
              className="button"
              onClick={(e) => {
                opener.current = e.currentTarget;
                setOpened({ meeting: selected, what: 'insights' });
              }}
            >
              {t('decisions.insightsOf', { title: selected.title })}
            </button>
          </>
        )}
      </fieldset>
      {meetings.status === 'failed' ? (
        <LoadState loaded={meetings} what={t('decisions.meetings.what')} onRetry={() => void reloadMeetings()} />
      ) : null}
      {problem === undefined ? null : (
        <p className="error" role="alert">
          {problem}
        </p>
      )}
      {playing === null ? null : (
        <video className="notes-player" src={playing.url} controls autoPlay aria-label={playing.title} />
      )}
      {decisionsLoad === 'loading' && decisions.length === 0 ? (
        <p role="status">
          <span className="spinner" aria-hidden="true" /> {t('decisions.loading')}
        </p>
      ) : decisionsLoad !== 'loading' && decisionsLoad !== 'ready' && decisions.length === 0 ? (
        <div className="row">
          <p className="error" role="alert">
            {t('decisions.loadFailed', { reason: decisionsLoad })}
          </p>
          <button type="button" className="button" onClick={loadDecisions}>
            {t('ui.load.retry')}
          </button>
        </div>
      ) : shown.length === 0 ? (
        <p className="empty">{t(decisions.length === 0 ? 'decisions.none' : 'decisions.noMatch')}</p>
      ) : (
        <ol className="decision-rows" aria-label={t('call.decisions')} aria-live="polite">
          {shown.map((d) => (
            <DecisionRow
              key={d.clientId}
              decision={d}
              meetingTitle={titleOf(d.meetingId)}
              nameOf={nameOf}
              overdue={isOverdue(d, day)}
              onPlay={play}
            />
          ))}
        </ol>
      )}
      {opened === null ? null : opened.what === 'notes' ? (
        <NotesDialog meeting={opened.meeting} onClose={closeDialog} />
      ) : (
        <MeetingInsightsDialog meeting={opened.meeting} onClose={closeDialog} />
      )}
    </main>
  );
}
