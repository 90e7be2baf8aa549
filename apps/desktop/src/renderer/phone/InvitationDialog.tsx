import { PRODUCT, formatPin, type DialInDetails, type Meeting } from '@tandem/shared';
import { useCallback, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { useT } from '../i18n/useT.ts';
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
  const t = useT();
  const client = useClient();
  const load = useCallback(
    () => client.phoneDialIn({ params: { meetingId: meeting.id }, body: {} }),
    [client, meeting.id],
  );
  const [loaded, reload] = useLoad<DialInDetails>(load);
  const details = loaded.status === 'ready' ? loaded.value : null;
  return (
    <Modal title={t('phone.invitation.title', { title: meeting.title })} onClose={onClose}>
      <LoadState loaded={loaded} what={t('phone.invitation.what')} onRetry={() => void reload()} />
      {details === null ? null : (
        <>
          <section className="dial-in" aria-labelledby="dial-in-title">
            <h3 id="dial-in-title">{t('phone.invitation.byPhone')}</h3>
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
                  {t('phone.invitation.pin')} <strong className="dial-in-pin">{formatPin(details.pin)} #</strong>
                </p>
                <p className="hint">{t('phone.invitation.callersWait')}</p>
              </>
            ) : (
              <p className="hint">{t('phone.invitation.noNumbers')}</p>
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
  const t = useT();
  const [copied, setCopied] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(t('phone.invitation.copied'));
    } catch {
      setCopied(t('phone.invitation.notCopied'));
    }
  };
  return (
    <section aria-labelledby="invitation-text-title">
      <h3 id="invitation-text-title">{t('phone.invitation.text.title')}</h3>
      <p className="hint">{t('phone.invitation.text.hint', { product: PRODUCT.productName })}</p>
      <pre className="invitation-text" tabIndex={0} aria-label={t('phone.invitation.text.label')}>
        {text}
      </pre>
      <div className="row form-actions">
        <button type="button" className="button" onClick={() => void copy()}>
          {t('phone.invitation.copy')}
        </button>
        <span role="status" className="hint">
          {copied}
        </span>
      </div>
    </section>
  );
}
