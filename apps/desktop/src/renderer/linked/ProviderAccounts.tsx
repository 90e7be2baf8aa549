import type { ConnectionScope, OAuthProviderId, ProviderId, ProviderList, ZoomConnectRequest } from '@tandem/shared';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useT, type Translate } from '../i18n/useT.ts';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { accountRows, type AccountRow } from './accounts.ts';
import { useLinkedController } from './LinkedContext.ts';
import './linked.css';

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly list: ProviderList }
  | { readonly status: 'failed'; readonly message: string };

/** Settings card: connect the organisation's and one's own Microsoft 365, Google and Zoom accounts. */
export function ProviderAccounts() {
  const controller = useLinkedController();
  const t = useT();
  const admin = useAppStore(
    (s) => s.session.status === 'signedIn' && ['owner', 'admin'].includes(s.session.info.user.role),
  );
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  // A refresh keeps the list on screen, so rows (and their messages) do not vanish meanwhile.
  const [refreshing, setRefreshing] = useState(true);
  const reload = useCallback(async () => {
    setRefreshing(true);
    try {
      setLoaded({ status: 'ready', list: await controller.providers() });
    } catch (e) {
      setLoaded({ status: 'failed', message: errorText(e) });
    } finally {
      setRefreshing(false);
    }
  }, [controller]);
  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <section className="card" aria-labelledby="accounts-title" aria-busy={refreshing}>
      <h2 id="accounts-title">{t('linked.accounts.title')}</h2>
      <p className="hint">{t('linked.accounts.hint')}</p>
      {loaded.status === 'loading' ? <p role="status">{t('linked.accounts.loading')}</p> : null}
      {loaded.status === 'failed' ? (
        <p className="error" role="alert">
          {t('linked.accounts.failed', { reason: loaded.message })}
        </p>
      ) : null}
      {loaded.status === 'ready' && loaded.list.providers.every((p) => !p.offered) ? (
        <p className="hint">{t('linked.accounts.noneOffered')}</p>
      ) : null}
      {loaded.status === 'ready' ? (
        <ul className="provider-accounts">
          {accountRows(loaded.list, admin).map((row) => (
            <ProviderRow key={row.provider} row={row} onChanged={reload} />
          ))}
        </ul>
      ) : null}
      <button type="button" className="button" disabled={refreshing} onClick={() => void reload()}>
        {refreshing ? t('linked.accounts.refreshing') : t('linked.accounts.refresh')}
      </button>
    </section>
  );
}

function statusText(row: AccountRow, t: Translate): string {
  if (row.connected.length > 0)
    return t('linked.accounts.connected', { scopes: row.connected.length > 1 ? 'both' : row.connected[0] });
  return row.offered ? t('linked.accounts.notConnected') : t('linked.accounts.notOffered');
}

function ProviderRow({ row, onChanged }: { readonly row: AccountRow; readonly onChanged: () => Promise<void> }) {
  const controller = useLinkedController();
  const t = useT();
  const [opened, setOpened] = useState(false);
  const connect = useCallback(
    async (provider: OAuthProviderId, scope: ConnectionScope) => {
      await controller.connect(provider, scope);
      setOpened(true);
    },
    [controller],
  );
  const [runConnect, connectState] = useAsyncAction(connect);
  const titleId = useId();
  return (
    <li className="provider-account" aria-labelledby={titleId}>
      <div className="provider-account-head">
        <h3 id={titleId} className="linked-subtitle">
          {row.name}
        </h3>
        <span className="hint">{statusText(row, t)}</span>
      </div>
      {row.consents.length === 0 ? null : (
        <div className="row">
          {row.consents.map(({ provider, scope }) => (
            <button
              key={scope}
              type="button"
              className="button"
              disabled={connectState.busy}
              onClick={() => void runConnect(provider, scope)}
            >
              {t('linked.accounts.connect', { name: row.name, scope })}
            </button>
          ))}
        </div>
      )}
      <p role="status">{opened ? t('linked.accounts.continue') : ''}</p>
      {connectState.error === undefined ? null : (
        <p className="error" role="alert">
          {t('linked.accounts.connectFailed', { reason: connectState.error })}
        </p>
      )}
      {row.zoomForm ? <ZoomForm onConnected={onChanged} /> : null}
      {row.revocable.map((scope) => (
        <Revoke key={scope} provider={row.provider} name={row.name} scope={scope} onRevoked={onChanged} />
      ))}
    </li>
  );
}

const ZOOM_FIELDS = [
  { key: 'accountId', label: 'linked.zoom.accountId', secret: false, required: true },
  { key: 'clientId', label: 'linked.zoom.clientId', secret: false, required: true },
  { key: 'clientSecret', label: 'linked.zoom.clientSecret', secret: true, required: true },
  { key: 'webhookSecretToken', label: 'linked.zoom.webhookSecretToken', secret: true, required: false },
] as const;

type ZoomFields = { readonly [K in (typeof ZOOM_FIELDS)[number]['key']]: string };
const NO_ZOOM: ZoomFields = { accountId: '', clientId: '', clientSecret: '', webhookSecretToken: '' };

/** The organisation's Zoom Server-to-Server app, as an admin copies it from Zoom's App Marketplace. */
function ZoomForm({ onConnected }: { readonly onConnected: () => Promise<void> }) {
  const controller = useLinkedController();
  const t = useT();
  const [fields, setFields] = useState<ZoomFields>(NO_ZOOM);
  const id = useId();
  const connect = useCallback(
    async (values: ZoomFields) => {
      const { webhookSecretToken, ...app } = values;
      const request: ZoomConnectRequest = webhookSecretToken.trim() === '' ? app : { ...app, webhookSecretToken };
      await controller.connectZoom(request);
      setFields(NO_ZOOM);
      await onConnected();
    },
    [controller, onConnected],
  );
  const [run, state] = useAsyncAction(connect);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(fields);
  };
  return (
    <form className="provider-zoom" aria-labelledby={`${id}-title`} onSubmit={submit}>
      <p id={`${id}-title`} className="linked-subtitle">
        {t('linked.zoom.title')}
      </p>
      {ZOOM_FIELDS.map((field) => (
        <div className="field" key={field.key}>
          <label htmlFor={`${id}-${field.key}`}>{t(field.label)}</label>
          <input
            id={`${id}-${field.key}`}
            type={field.secret ? 'password' : 'text'}
            autoComplete="off"
            required={field.required}
            value={fields[field.key]}
            onChange={(e) => setFields({ ...fields, [field.key]: e.target.value })}
          />
        </div>
      ))}
      <button type="submit" className="button button-primary" disabled={state.busy}>
        {state.busy ? t('linked.zoom.connecting') : t('linked.zoom.connect')}
      </button>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('linked.zoom.failed', { reason: state.error })}
        </p>
      )}
    </form>
  );
}

function Revoke(props: {
  readonly provider: ProviderId;
  readonly name: string;
  readonly scope: ConnectionScope;
  readonly onRevoked: () => Promise<void>;
}) {
  const { provider, name, scope, onRevoked } = props;
  const controller = useLinkedController();
  const t = useT();
  const [confirming, setConfirming] = useState(false);
  const revoke = useCallback(async () => {
    await controller.revoke(provider, scope);
    await onRevoked();
  }, [controller, provider, scope, onRevoked]);
  const [run, state] = useAsyncAction(revoke);
  const what = { name, scope };
  if (!confirming) {
    return (
      <button type="button" className="link-button" onClick={() => setConfirming(true)}>
        {t('linked.revoke.start', what)}
      </button>
    );
  }
  return (
    <div role="group" aria-label={t('linked.revoke.question', what)} className="provider-confirm">
      <p>{t('linked.revoke.explain', what)}</p>
      <div className="row">
        <button type="button" className="button" disabled={state.busy} onClick={() => void run()}>
          {state.busy ? t('linked.revoke.busy') : t('linked.revoke.confirm')}
        </button>
        <button type="button" className="button" disabled={state.busy} onClick={() => setConfirming(false)}>
          {t('linked.revoke.cancel')}
        </button>
      </div>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('linked.revoke.failed', { reason: state.error })}
        </p>
      )}
    </div>
  );
}
