import { E2EE_UNAVAILABLE } from '@tandem/shared';
import { useEffect, useState } from 'react';
import { Icon } from '../ui/Icon.tsx';
import { Modal } from '../ui/Modal.tsx';
import { errorText } from '../ui/errorText.ts';
import { useE2ee, useE2eeSession } from './E2eeContext.ts';
import type { Verification } from './session.ts';
import { unavailableText } from './unavailable.ts';
import './e2ee.css';
import { useT } from '../i18n/useT.ts';

/**
 * The lock in an encrypted call's header: says whether this device holds the meeting key yet, and
 * opens the verification dialog (the code to compare aloud, and what the meeting cannot do).
 */
export function E2eeLock() {
  const t = useT();
  const status = useE2ee((s) => s.status);
  const generation = useE2ee((s) => s.generation);
  const error = useE2ee((s) => s.error);
  const [open, setOpen] = useState(false);
  const label = t(status === 'ready' ? 'e2ee.encrypted' : 'e2ee.waiting');
  return (
    <>
      <button
        type="button"
        className="e2ee-lock"
        data-status={status}
        data-generation={generation}
        title={error ?? undefined}
        onClick={() => setOpen(true)}
      >
        <Icon name="lock" size={16} />
        {label}
      </button>
      {open ? <VerificationDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function VerificationDialog({ onClose }: { readonly onClose: () => void }) {
  const t = useT();
  const session = useE2eeSession();
  const generation = useE2ee((s) => s.generation);
  const [shown, setShown] = useState<{ readonly v: Verification | null; readonly error: string | null } | null>(null);
  // Worked out again whenever the key changes while the dialog is open.
  useEffect(() => {
    let live = true;
    session.verification().then(
      (v) => live && setShown({ v, error: null }),
      (e: unknown) => live && setShown({ v: null, error: errorText(e) }),
    );
    return () => {
      live = false;
    };
  }, [session, generation]);
  return (
    <Modal title={t('e2ee.title')} onClose={onClose}>
      <p>{t('e2ee.explained')}</p>
      {shown === null ? (
        <p role="status">{t('e2ee.working')}</p>
      ) : shown.v === null ? (
        <p role="status">{shown.error ?? t('e2ee.noKey')}</p>
      ) : (
        <div className="e2ee-verification">
          <p>{t('e2ee.compare')}</p>
          <p className="e2ee-code" aria-label={t('e2ee.code', { code: shown.v.code })} data-testid="e2ee-code">
            {shown.v.code}
          </p>
          <p className="e2ee-note">
            {t('e2ee.key', {
              generation: shown.v.generation,
              participants: shown.v.participants.join(t('chat.listSeparator')),
            })}
          </p>
        </div>
      )}
      <h3>{t('e2ee.unavailable')}</h3>
      <ul className="e2ee-unavailable">
        {E2EE_UNAVAILABLE.map((what) => (
          <li key={what}>{unavailableText(what, t)}</li>
        ))}
      </ul>
      <div className="modal-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          {t('chat.close')}
        </button>
      </div>
    </Modal>
  );
}
