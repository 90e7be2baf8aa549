import { E2EE_UNAVAILABLE } from '@tandem/shared';
import { useEffect, useState } from 'react';
import { Icon } from '../ui/Icon.tsx';
import { Modal } from '../ui/Modal.tsx';
import { errorText } from '../ui/errorText.ts';
import { useE2ee, useE2eeSession } from './E2eeContext.ts';
import type { Verification } from './session.ts';
import { unavailableText } from './unavailable.ts';
import './e2ee.css';

/**
 * The lock in an encrypted call's header: says whether this device holds the meeting key yet, and
 * opens the verification dialog (the code to compare aloud, and what the meeting cannot do).
 */
export function E2eeLock() {
  const status = useE2ee((s) => s.status);
  const generation = useE2ee((s) => s.generation);
  const error = useE2ee((s) => s.error);
  const [open, setOpen] = useState(false);
  const label = status === 'ready' ? 'End-to-end encrypted' : 'Waiting for the meeting key…';
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
    <Modal title="End-to-end encryption" onClose={onClose}>
      <p>
        Audio, video and chat in this meeting are encrypted on each participant&apos;s device with a key only they hold.
        Neither the Tandem server nor the media server can read them.
      </p>
      {shown === null ? (
        <p role="status">Working out the code…</p>
      ) : shown.v === null ? (
        <p role="status">{shown.error ?? 'This device has not received the meeting key yet.'}</p>
      ) : (
        <div className="e2ee-verification">
          <p>Compare this code with everyone in the call. If all see the same, you all hold the same key:</p>
          <p className="e2ee-code" aria-label={`Verification code ${shown.v.code}`} data-testid="e2ee-code">
            {shown.v.code}
          </p>
          <p className="e2ee-note">
            Key {shown.v.generation}, for {shown.v.participants.join(', ')}. A new key, with a new code, is made when
            someone leaves.
          </p>
        </div>
      )}
      <h3>Not available in this meeting</h3>
      <ul className="e2ee-unavailable">
        {E2EE_UNAVAILABLE.map((what) => (
          <li key={what}>{unavailableText(what)}</li>
        ))}
      </ul>
      <div className="modal-actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
