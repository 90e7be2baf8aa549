import { PRODUCT, formatPin, type DialInDetails, type Meeting } from '@tandem/shared';
import { useCallback, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useLoad } from '../ui/useLoad.ts';
import { dialInLines, spacedNumber } from './dialIn.ts';
import './phone.css';

/**
 * A meeting's invitation as people receive it: how to join in the app or a browser and, where the
 * organisation has dial-in numbers, by phone with the meeting's PIN. `text` makes the invitation's
 * words without the phone lines (meetings/meetingSchedule.ts `invitationText`).
 */
export function InvitationDialog({
  meeting,
  text,
  onClose,
}: {
  readonly meeting: Meeting;
  readonly text: string;
  readonly onClose: () => void;
}) {
  const client = useClient();
  const load = useCallback(
    () => client.phoneDialIn({ params: { meetingId: meeting.id }, body: {} }),
    [client, meeting.id],
  );
  const [loaded, reload] = useLoad<DialInDetails>(load);
  const details = loaded.status === 'ready' ? loaded.value : null;
  return (
    <Modal title={`Invitation: ${meeting.title}`} onClose={onClose}>
      <LoadState loaded={loaded} what="the dial-in details" onRetry={() => void reload()} />
      {details === null ? null : (
        <>
          <section className="dial-in" aria-labelledby="dial-in-title">
            <h3 id="dial-in-title">Join by phone</h3>
            {details.available && details.pin !== null ? (
              <>
                <ul className="dial-in-numbers">
                  {details.numbers.map((n) => (
                    <li key={n.number}>
                      <span className="dial-in-number">{spacedNumber(n.number)}</span>
                      {n.label === '' ? null : <span className="hint"> {n.label}</span>}
                    </li>
                  ))}
                </ul>
                <p>
                  PIN <strong className="dial-in-pin">{formatPin(details.pin)} #</strong>
                </p>
                <p className="hint">
                  Callers wait in the lobby until a host lets them in; others see only the last digits of their number.
                </p>
              </>
            ) : (
              <p className="hint">
                This meeting has no phone numbers. Owners and admins add the organisation’s dial-in numbers in Settings
                → Phone.
              </p>
            )}
          </section>
          <InvitationText text={[text, ...dialInLines(details)].join('\n')} />
        </>
      )}
    </Modal>
  );
}

/** The invitation's words as they will be pasted, and a Copy button that says whether it copied. */
function InvitationText({ text }: { readonly text: string }) {
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied('Invitation copied.');
    } catch {
      setCopied('Not copied: select the text and copy it with Ctrl+C (⌘C on a Mac).');
    }
  };
  return (
    <section aria-labelledby="invitation-text-title">
      <h3 id="invitation-text-title">Invitation</h3>
      <p className="hint">
        Paste it into an e-mail or a calendar event; it works for people without {PRODUCT.productName}.
      </p>
      <pre className="invitation-text" tabIndex={0} aria-label="Invitation text">
        {text}
      </pre>
      <div className="row form-actions">
        <button type="button" className="button" onClick={() => void copy()}>
          Copy invitation
        </button>
        <span role="status" className="hint">
          {copied}
        </span>
      </div>
    </section>
  );
}
