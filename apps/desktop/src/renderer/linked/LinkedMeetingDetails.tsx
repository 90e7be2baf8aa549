import type { LinkedMeeting } from '@tandem/shared';
import { useCallback, useState } from 'react';
import { useT } from '../i18n/useT.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLinkedController } from './LinkedContext.ts';
import { detailsOf, providerName } from './names.ts';
import './linked.css';

/** Copies a value; `name` is the button's accessible name. */
function CopyButton({ value, name }: { readonly value: string; readonly name: string }) {
  const t = useT();
  const [done, setDone] = useState<'copied' | 'failed' | undefined>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setDone('copied');
    } catch {
      setDone('failed');
    }
  };
  return (
    <>
      <button type="button" className="button button-small" aria-label={name} onClick={() => void copy()}>
        {t('ui.copy')}
      </button>
      <span role="status" className="linked-copied">
        {done === 'copied' ? t('linked.detail.copied') : done === 'failed' ? t('linked.detail.copyFailed') : ''}
      </span>
    </>
  );
}

/**
 * A Teams, Zoom or Meet meeting: its codes and dial-in numbers, each with a Copy button, and
 * Join, which opens the provider's app (the browser for Meet, or when the app cannot be opened).
 */
export function LinkedMeetingDetails({ meeting, title }: { readonly meeting: LinkedMeeting; readonly title?: string }) {
  const controller = useLinkedController();
  const t = useT();
  const [opened, setOpened] = useState<'native' | 'web' | undefined>(undefined);
  const open = useCallback(async () => setOpened((await controller.join(meeting)).opened), [controller, meeting]);
  const [join, state] = useAsyncAction(open);
  const name = providerName(meeting.provider);
  const details = detailsOf(meeting);
  return (
    <div className="linked-meeting" data-provider={meeting.provider}>
      <p className="linked-provider">{name}</p>
      <dl className="linked-details">
        {details.map((d) => (
          <div key={d.kind} className="linked-detail">
            <dt>{t('linked.detail.label', { kind: d.kind })}</dt>
            <dd>
              <code className={/^https?:/.test(d.value) ? 'linked-url' : undefined} title={d.value}>
                {d.value}
              </code>{' '}
              <CopyButton value={d.value} name={t('linked.detail.copy', { kind: d.kind })} />
            </dd>
          </div>
        ))}
      </dl>
      {meeting.dialIns.length === 0 ? null : (
        <>
          <p className="linked-subtitle">{t('linked.dialIn.title')}</p>
          <ul className="linked-dialins" aria-label={t('linked.dialIn.list')}>
            {meeting.dialIns.map((d) => {
              const number = d.e164 ?? d.raw;
              return (
                <li key={`${number}-${d.label ?? ''}`}>
                  <code>{number}</code>
                  {d.label === null ? null : <span className="linked-dialin-label"> {d.label}</span>}{' '}
                  <CopyButton value={number} name={t('linked.dialIn.copy', { number })} />
                </li>
              );
            })}
          </ul>
        </>
      )}
      <div className="row">
        <button
          type="button"
          className="button button-primary"
          disabled={state.busy}
          aria-label={
            title === undefined ? t('linked.join.unnamed', { app: name }) : t('linked.join.named', { title, app: name })
          }
          onClick={() => void join()}
        >
          {state.busy ? t('linked.join.opening') : t('linked.join')}
        </button>
        <span role="status">
          {opened === 'native' ? t('linked.join.native', { app: name }) : opened === 'web' ? t('linked.join.web') : ''}
        </span>
      </div>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {state.error}
        </p>
      )}
    </div>
  );
}
