import { DecisionStatusSchema, type DecisionStatus, type DecisionView } from '@tandem/shared';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';

export const STATUS_LABEL: Readonly<Record<DecisionStatus, MessageId>> = {
  proposed: 'decisions.status.proposed',
  agreed: 'decisions.status.agreed',
  in_progress: 'decisions.status.inProgress',
  done: 'decisions.status.done',
  dropped: 'decisions.status.dropped',
};

/** A decision's status, changed in place (offline too: the outbox sends it), with why a change failed. */
export function DecisionStatusSelect({ decision }: { readonly decision: DecisionView }) {
  const t = useT();
  const controller = useController();
  const [setStatus, saving] = useAsyncAction(controller.setDecisionStatus);
  const id = useId();
  return (
    <>
      <div className="decision-meta">
        <label htmlFor={`${id}-status`} className="visually-hidden">
          {t('decisions.statusOf', { title: decision.title })}
        </label>
        <select
          id={`${id}-status`}
          value={decision.status}
          disabled={saving.busy}
          onChange={(e) => void setStatus(decision.clientId, DecisionStatusSchema.parse(e.target.value))}
        >
          {DecisionStatusSchema.options.map((status) => (
            <option key={status} value={status}>
              {t(STATUS_LABEL[status])}
            </option>
          ))}
        </select>
        {decision.deliveryStatus === 'pending' ? (
          <span className="message-pending">{t('decisions.notSynced')}</span>
        ) : null}
      </div>
      {saving.error === undefined ? null : (
        <p className="error" role="alert">
          {t('decisions.statusFailed', { reason: saving.error })}
        </p>
      )}
    </>
  );
}

function DecisionItem({ decision }: { readonly decision: DecisionView }) {
  return (
    <li className="decision" data-status={decision.status}>
      <p className="decision-title">{decision.title}</p>
      {decision.outcome === '' ? null : <p className="decision-outcome">{decision.outcome}</p>}
      <DecisionStatusSelect decision={decision} />
    </li>
  );
}

/** The meeting's decisions and a form to record one. */
export function DecisionsPanel({ meetingId }: { readonly meetingId: string }) {
  const t = useT();
  const controller = useController();
  const decisions = useAppStore(useShallow((s) => s.decisions.filter((d) => d.meetingId === meetingId)));
  const [title, setTitle] = useState('');
  const [outcome, setOutcome] = useState('');
  const [record, recording] = useAsyncAction(controller.createDecision);
  const titleId = useId();
  const outcomeId = useId();

  useEffect(() => {
    void controller.loadDecisions(meetingId).catch(() => undefined);
  }, [controller, meetingId]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (title.trim() === '') return;
    if (await record(meetingId, title.trim(), outcome.trim())) {
      setTitle('');
      setOutcome('');
    }
  };

  return (
    <section className="decisions" aria-label={t('call.decisions')}>
      <h2 className="panel-title">{t('call.decisions')}</h2>
      {decisions.length === 0 ? <p className="empty">{t('decisions.panel.none')}</p> : null}
      <ol className="decision-list" aria-live="polite">
        {decisions.map((d) => (
          <DecisionItem key={d.clientId} decision={d} />
        ))}
      </ol>
      <form className="decision-form" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor={titleId}>{t('decisions.decision')}</label>
          <input id={titleId} value={title} maxLength={300} required onChange={(e) => setTitle(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={outcomeId}>{t('decisions.outcome')}</label>
          <textarea id={outcomeId} rows={2} value={outcome} onChange={(e) => setOutcome(e.target.value)} />
        </div>
        <button type="submit" className="button button-primary" disabled={recording.busy || title.trim() === ''}>
          {t(recording.busy ? 'decisions.recording' : 'decisions.record')}
        </button>
        {recording.error === undefined ? null : (
          <p className="error" role="alert">
            {t('decisions.recordFailed', { reason: recording.error })}
          </p>
        )}
      </form>
    </section>
  );
}
