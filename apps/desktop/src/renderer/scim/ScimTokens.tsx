import type { CreatedScimToken, ScimToken } from '@tandem/shared';
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { CopyField } from '../ui/CopyField.tsx';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { useScimController } from './controller.ts';
import './scim.css';

const WHEN = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * Settings → Provisioning (owners and admins): SCIM tokens for the organisation's identity
 * provider (Microsoft Entra ID, Okta). A new token's secret is shown once; revoking one stops it
 * at once.
 */
export function ScimTokens() {
  const controller = useScimController();
  const [loaded, reload] = useLoad(controller.list);
  const [created, setCreated] = useState<CreatedScimToken | null>(null);
  const [label, setLabel] = useState('');
  const ids = { title: useId(), label: useId() };

  const [create, createState] = useAsyncAction(
    useCallback(
      async (name: string) => {
        const made = await controller.create(name.trim());
        setCreated(made);
        setLabel('');
        await reload();
      },
      [controller, reload],
    ),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create(label);
  };

  return (
    <section className="card scim" aria-labelledby={ids.title} aria-busy={loaded.status === 'loading'}>
      <h2 id={ids.title}>Provisioning (SCIM)</h2>
      <p className="hint">
        Let your identity provider (Microsoft Entra ID, Okta) add, change and deactivate your organisation’s people.
        Give it the endpoint below and a token. People it adds sign in with single sign-on; people it deactivates are
        signed out everywhere at once.
      </p>
      {loaded.status === 'ready' ? (
        <CopyField label="SCIM endpoint" what="the SCIM endpoint" value={loaded.value.baseUrl} />
      ) : null}

      {created === null ? null : (
        <div className="scim-secret" role="group" aria-label="New provisioning token">
          <p>
            <strong>Copy the token for “{created.token.label}” now.</strong> It is shown only this once; if it is lost,
            revoke it and create another.
          </p>
          <CopyField label="Token" what="the token" value={created.secret} />
          <button type="button" className="button" onClick={() => setCreated(null)}>
            Done, I have copied it
          </button>
        </div>
      )}

      <LoadState loaded={loaded} what="provisioning tokens" onRetry={() => void reload()} />
      {loaded.status === 'ready' && loaded.value.tokens.length === 0 ? <p>No provisioning tokens yet.</p> : null}
      {loaded.status === 'ready' && loaded.value.tokens.length > 0 ? (
        <ul className="scim-tokens" aria-label="Provisioning tokens">
          {loaded.value.tokens.map((token) => (
            <TokenRow key={token.id} token={token} onRevoked={() => void reload()} />
          ))}
        </ul>
      ) : null}

      <form className="row scim-create" onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.label}>New token for</label>
          <input
            id={ids.label}
            required
            maxLength={100}
            placeholder="Microsoft Entra ID"
            value={label}
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={createState.busy}>
          {createState.busy ? 'Creating…' : 'Create token'}
        </button>
      </form>
      {createState.error === undefined ? null : (
        <p className="error" role="alert">
          Not created: {createState.error}
        </p>
      )}
    </section>
  );
}

function TokenRow({ token, onRevoked }: { readonly token: ScimToken; readonly onRevoked: () => void }) {
  const controller = useScimController();
  const [confirming, setConfirming] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const nameId = useId();
  const [revoke, state] = useAsyncAction(
    useCallback(async () => {
      await controller.revoke(token.id);
      setConfirming(false);
      onRevoked();
    }, [controller, onRevoked, token]),
  );
  const close = () => {
    setConfirming(false);
    opener.current?.focus();
  };
  return (
    <li className="scim-token" aria-labelledby={nameId}>
      <div className="scim-token-who">
        <span id={nameId} className="scim-token-label">
          {token.label}
        </span>
        <code>{token.prefix}…</code>
        <span className="hint">
          Created {WHEN.format(new Date(token.createdAt))} by {token.createdBy.name};{' '}
          {token.lastUsedAt === null ? 'never used' : `last used ${WHEN.format(new Date(token.lastUsedAt))}`}
        </span>
      </div>
      <button
        ref={opener}
        type="button"
        className="button"
        aria-label={`Revoke ${token.label}…`}
        onClick={() => setConfirming(true)}
      >
        Revoke…
      </button>
      {confirming ? (
        <Modal title={`Revoke ${token.label}?`} onClose={close}>
          <p>The identity provider holding this token can no longer provision anyone, from now on.</p>
          {state.error === undefined ? null : (
            <p className="error" role="alert">
              {state.error}
            </p>
          )}
          <div className="row form-actions">
            <button type="button" className="button" autoFocus onClick={close}>
              Keep it
            </button>
            <button type="button" className="button button-danger" disabled={state.busy} onClick={() => void revoke()}>
              {state.busy ? 'Revoking…' : 'Revoke'}
            </button>
          </div>
        </Modal>
      ) : null}
    </li>
  );
}
