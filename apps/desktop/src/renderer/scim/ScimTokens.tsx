import type { CreatedScimToken, ScimToken } from '@tandem/shared';
import { useCallback, useId, useRef, useState, type FormEvent } from 'react';
import { CopyField } from '../ui/CopyField.tsx';
import { LoadState } from '../ui/LoadState.tsx';
import { Modal } from '../ui/Modal.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { useScimController } from './controller.ts';
import './scim.css';
import { useT } from '../i18n/useT.ts';
import { useIntl } from 'react-intl';

/**
 * Settings → Provisioning (owners and admins): SCIM tokens for the organisation's identity
 * provider (Microsoft Entra ID, Okta). A new token's secret is shown once; revoking one stops it
 * at once.
 */
export function ScimTokens() {
  const t = useT();
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
      <h2 id={ids.title}>{t('audit.actor.scim')}</h2>
      <p className="hint">{t('scim.hint')}</p>
      {loaded.status === 'ready' ? (
        <CopyField label={t('scim.endpoint')} what={t('scim.endpoint.what')} value={loaded.value.baseUrl} />
      ) : null}

      {created === null ? null : (
        <div className="scim-secret" role="group" aria-label={t('scim.new')}>
          <p>
            <strong>{t('scim.copyNow', { label: created.token.label })}</strong> {t('scim.shownOnce')}
          </p>
          <CopyField label={t('scim.token')} what={t('scim.token.what')} value={created.secret} />
          <button type="button" className="button" onClick={() => setCreated(null)}>
            {t('scim.copied')}
          </button>
        </div>
      )}

      <LoadState loaded={loaded} what={t('scim.tokens.what')} onRetry={() => void reload()} />
      {loaded.status === 'ready' && loaded.value.tokens.length === 0 ? <p>{t('scim.none')}</p> : null}
      {loaded.status === 'ready' && loaded.value.tokens.length > 0 ? (
        <ul className="scim-tokens" aria-label={t('scim.tokens')}>
          {loaded.value.tokens.map((token) => (
            <TokenRow key={token.id} token={token} onRevoked={() => void reload()} />
          ))}
        </ul>
      ) : null}

      <form className="row scim-create" onSubmit={submit}>
        <div className="field">
          <label htmlFor={ids.label}>{t('scim.newFor')}</label>
          <input
            id={ids.label}
            required
            maxLength={100}
            placeholder={t('scim.newFor.placeholder')}
            value={label}
            onChange={(e) => setLabel(e.target.value)}
          />
        </div>
        <button type="submit" className="button button-primary" disabled={createState.busy}>
          {t(createState.busy ? 'chat.channel.creating' : 'scim.create')}
        </button>
      </form>
      {createState.error === undefined ? null : (
        <p className="error" role="alert">
          {t('scim.createFailed', { reason: createState.error })}
        </p>
      )}
    </section>
  );
}

function TokenRow({ token, onRevoked }: { readonly token: ScimToken; readonly onRevoked: () => void }) {
  const t = useT();
  const intl = useIntl();
  const when = (iso: string) => intl.formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
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
          {t('scim.created', {
            when: when(token.createdAt),
            name: token.createdBy.name,
            used: token.lastUsedAt !== null,
            lastUsed: token.lastUsedAt === null ? '' : when(token.lastUsedAt),
          })}
        </span>
      </div>
      <button
        ref={opener}
        type="button"
        className="button"
        aria-label={t('scim.revoke.named', { label: token.label })}
        onClick={() => setConfirming(true)}
      >
        {t('scim.revoke.open')}
      </button>
      {confirming ? (
        <Modal title={t('scim.revoke.question', { label: token.label })} onClose={close}>
          <p>{t('scim.revoke.what')}</p>
          {state.error === undefined ? null : (
            <p className="error" role="alert">
              {state.error}
            </p>
          )}
          <div className="row form-actions">
            <button type="button" className="button" autoFocus onClick={close}>
              {t('recording.keep')}
            </button>
            <button type="button" className="button button-danger" disabled={state.busy} onClick={() => void revoke()}>
              {t(state.busy ? 'scim.revoking' : 'scim.revoke')}
            </button>
          </div>
        </Modal>
      ) : null}
    </li>
  );
}
