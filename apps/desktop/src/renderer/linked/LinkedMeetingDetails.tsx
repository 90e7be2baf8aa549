import type { LinkedMeeting } from '@tandem/shared';
import { useCallback, useState } from 'react';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLinkedController } from './LinkedContext.ts';
import { detailsOf, providerName, type Detail } from './names.ts';
import './linked.css';

function CopyButton({ detail }: { readonly detail: Detail }) {
  const [done, setDone] = useState<'copied' | 'failed' | undefined>(undefined);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(detail.value);
      setDone('copied');
    } catch {
      setDone('failed');
    }
  };
  return (
    <>
      <button
        type="button"
        className="button button-small"
        aria-label={`Copy ${detail.label.toLowerCase()}`}
        onClick={() => void copy()}
      >
        Copy
      </button>
      <span role="status" className="linked-copied">
        {done === 'copied' ? 'Copied' : done === 'failed' ? 'Could not copy' : ''}
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
          <div key={d.label} className="linked-detail">
            <dt>{d.label}</dt>
            <dd>
              <code className={/^https?:/.test(d.value) ? 'linked-url' : undefined} title={d.value}>
                {d.value}
              </code>{' '}
              <CopyButton detail={d} />
            </dd>
          </div>
        ))}
      </dl>
      {meeting.dialIns.length === 0 ? null : (
        <>
          <p className="linked-subtitle">Dial in by phone</p>
          <ul className="linked-dialins" aria-label="Dial-in numbers">
            {meeting.dialIns.map((d) => {
              const number = d.e164 ?? d.raw;
              return (
                <li key={`${number}-${d.label ?? ''}`}>
                  <code>{number}</code>
                  {d.label === null ? null : <span className="linked-dialin-label"> {d.label}</span>}{' '}
                  <CopyButton detail={{ label: `number ${number}`, value: number }} />
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
          aria-label={`Join ${title ?? 'meeting'} in ${name}`}
          onClick={() => void join()}
        >
          {state.busy ? 'Opening…' : 'Join'}
        </button>
        <span role="status">
          {opened === 'native' ? `Opened in ${name}.` : opened === 'web' ? 'Opened in the browser.' : ''}
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
