import type { ConnectionScope, OAuthProviderId, ProviderId, ProviderList, ZoomConnectRequest } from '@tandem/shared';
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { accountRows, scopeText, type AccountRow } from './accounts.ts';
import { useLinkedController } from './LinkedContext.ts';
import './linked.css';

type Loaded =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly list: ProviderList }
  | { readonly status: 'failed'; readonly message: string };

/** Settings card: connect the organisation's and one's own Microsoft 365, Google and Zoom accounts. */
export function ProviderAccounts() {
  const controller = useLinkedController();
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
      <h2 id="accounts-title">Connected calendars and meeting providers</h2>
      <p className="hint">
        Connected accounts create Teams, Zoom and Meet meetings for ours and show your calendar on the home screen.
        After signing in in your browser, refresh this list.
      </p>
      {loaded.status === 'loading' ? <p role="status">Loading providers…</p> : null}
      {loaded.status === 'failed' ? (
        <p className="error" role="alert">
          Providers could not be loaded: {loaded.message}
        </p>
      ) : null}
      {loaded.status === 'ready' && loaded.list.providers.every((p) => !p.offered) ? (
        <p className="hint">This server offers no providers yet: its administrator adds their settings.</p>
      ) : null}
      {loaded.status === 'ready' ? (
        <ul className="provider-accounts">
          {accountRows(loaded.list, admin).map((row) => (
            <ProviderRow key={row.provider} row={row} onChanged={reload} />
          ))}
        </ul>
      ) : null}
      <button type="button" className="button" disabled={refreshing} onClick={() => void reload()}>
        {refreshing ? 'Refreshing…' : 'Refresh'}
      </button>
    </section>
  );
}

function statusText(row: AccountRow): string {
  if (row.connected.length > 0) return `Connected ${row.connected.map(scopeText).join(' and ')}`;
  return row.offered ? 'Not connected' : 'Not offered: this server has no settings for it';
}

function ProviderRow({ row, onChanged }: { readonly row: AccountRow; readonly onChanged: () => Promise<void> }) {
  const controller = useLinkedController();
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
        <span className="hint">{statusText(row)}</span>
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
              Connect {row.name} {scopeText(scope)}
            </button>
          ))}
        </div>
      )}
      <p role="status">{opened ? 'Continue in your browser, then refresh this list.' : ''}</p>
      {connectState.error === undefined ? null : (
        <p className="error" role="alert">
          Not connected: {connectState.error}
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
  { key: 'accountId', label: 'Account ID', secret: false, required: true },
  { key: 'clientId', label: 'Client ID', secret: false, required: true },
  { key: 'clientSecret', label: 'Client secret', secret: true, required: true },
  { key: 'webhookSecretToken', label: 'Webhook secret token (optional)', secret: true, required: false },
] as const;

type ZoomFields = { readonly [K in (typeof ZOOM_FIELDS)[number]['key']]: string };
const NO_ZOOM: ZoomFields = { accountId: '', clientId: '', clientSecret: '', webhookSecretToken: '' };

/** The organisation's Zoom Server-to-Server app, as an admin copies it from Zoom's App Marketplace. */
function ZoomForm({ onConnected }: { readonly onConnected: () => Promise<void> }) {
  const controller = useLinkedController();
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
        Zoom Server-to-Server app
      </p>
      {ZOOM_FIELDS.map((field) => (
        <div className="field" key={field.key}>
          <label htmlFor={`${id}-${field.key}`}>{field.label}</label>
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
        {state.busy ? 'Connecting…' : 'Connect Zoom'}
      </button>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          Zoom not connected: {state.error}
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
  const [confirming, setConfirming] = useState(false);
  const revoke = useCallback(async () => {
    await controller.revoke(provider, scope);
    await onRevoked();
  }, [controller, provider, scope, onRevoked]);
  const [run, state] = useAsyncAction(revoke);
  const what = `${name} ${scopeText(scope)}`;
  if (!confirming) {
    return (
      <button type="button" className="link-button" onClick={() => setConfirming(true)}>
        Disconnect {what}
      </button>
    );
  }
  return (
    <div role="group" aria-label={`Disconnect ${what}?`} className="provider-confirm">
      <p>Disconnect {what}? Its stored sign-in is deleted; meetings already linked stay.</p>
      <div className="row">
        <button type="button" className="button" disabled={state.busy} onClick={() => void run()}>
          {state.busy ? 'Disconnecting…' : 'Disconnect'}
        </button>
        <button type="button" className="button" disabled={state.busy} onClick={() => setConfirming(false)}>
          Cancel
        </button>
      </div>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          Not disconnected: {state.error}
        </p>
      )}
    </div>
  );
}
