import {
  API_KEY_SCOPES,
  WEBHOOK_EVENT_TYPES,
  type ApiKey,
  type ApiKeyScope,
  type WebhookAttempt,
  type WebhookEndpoint,
  type WebhookEventType,
} from '@tandem/shared';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { managesPeople } from '../people/people.ts';
import { useAppStore } from '../store/appStore.ts';
import { CopyField } from '../ui/CopyField.tsx';
import { LoadState } from '../ui/LoadState.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import { useIntegrationsController } from './controller.ts';
import { attemptText, endpointStatus, keyStatus, withItem } from './format.ts';
import './integrations.css';
import { useT } from '../i18n/useT.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useIntl } from 'react-intl';

const EVENT_NAMES: Readonly<Record<WebhookEventType, MessageId>> = {
  'meeting.started': 'integrations.event.meetingStarted',
  'meeting.ended': 'integrations.event.meetingEnded',
  'message.created': 'integrations.event.messageCreated',
  'decision.created': 'integrations.event.decisionCreated',
  'decision.updated': 'integrations.event.decisionUpdated',
};

const SCOPE_NAMES: Readonly<Record<ApiKeyScope, MessageId>> = {
  'meetings:read': 'integrations.scope.meetingsRead',
  'meetings:write': 'integrations.scope.meetingsWrite',
  'chat:read': 'integrations.scope.chatRead',
  'chat:write': 'integrations.scope.chatWrite',
  'decisions:read': 'integrations.scope.decisionsRead',
  'decisions:write': 'integrations.scope.decisionsWrite',
  'people:read': 'integrations.scope.peopleRead',
  'audit:read': 'integrations.scope.auditRead',
  'pages:write': 'integrations.scope.pagesWrite',
};

/** A moment as a date and time in the language shown. */
function useShown(): (iso: string) => string {
  const intl = useIntl();
  return (iso) => intl.formatDate(iso, { dateStyle: 'medium', timeStyle: 'short' });
}

/** Settings card for owners and admins: API keys and outgoing webhooks with their delivery log. */
export function Integrations() {
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  return me !== undefined && managesPeople(me) ? <IntegrationsCard /> : null;
}

function IntegrationsCard() {
  const t = useT();
  return (
    <section className="card integrations" aria-labelledby="integrations-title">
      <h2 id="integrations-title">{t('integrations.title')}</h2>
      <p className="hint">{t('integrations.hint')}</p>
      <ApiKeys />
      <Webhooks />
    </section>
  );
}

/** A secret shown the one time the server answers it: selectable, copyable, then gone. */
function ShownOnce({ label, what, value, onDone }: { label: string; what: string; value: string; onDone: () => void }) {
  const t = useT();
  return (
    <div className="shown-once">
      <CopyField label={label} what={what} value={value} hint={t('integrations.copyNow')} />
      <button type="button" className="button" onClick={onDone}>
        {t('integrations.done')}
      </button>
    </div>
  );
}

function ApiKeys() {
  const t = useT();
  const controller = useIntegrationsController();
  const [loaded, reload, update] = useLoad(controller.keys);
  const [created, setCreated] = useState<string | null>(null);
  const nameId = useId();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<readonly ApiKeyScope[]>([]);
  const [create, createState] = useAsyncAction(
    useCallback(async () => {
      const answer = await controller.createKey(name.trim(), scopes);
      update((keys) => withItem(keys, answer.apiKey));
      setCreated(answer.key);
      setName('');
      setScopes([]);
    }, [controller, name, scopes, update]),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create();
  };
  const toggle = (scope: ApiKeyScope, on: boolean) =>
    setScopes((s) => (on ? [...s, scope] : s.filter((x) => x !== scope)));

  return (
    <section className="integrations-part" aria-labelledby="api-keys-title">
      <h3 id="api-keys-title">{t('integrations.keys')}</h3>
      <LoadState loaded={loaded} what={t('integrations.keys.what')} onRetry={() => void reload()} />
      {loaded.status === 'ready' && loaded.value.length > 0 ? (
        <ul className="integration-list" aria-label={t('integrations.keys')}>
          {loaded.value.map((key) => (
            <ApiKeyRow key={key.id} apiKey={key} onRevoked={(k) => update((keys) => withItem(keys, k))} />
          ))}
        </ul>
      ) : null}
      {loaded.status === 'ready' && loaded.value.length === 0 ? (
        <p className="hint">{t('integrations.keys.none')}</p>
      ) : null}
      {created === null ? null : (
        <ShownOnce
          label={t('integrations.key.new')}
          what={t('integrations.key.what')}
          value={created}
          onDone={() => setCreated(null)}
        />
      )}
      <form className="integration-form" onSubmit={submit} aria-labelledby="new-key-title">
        <h4 id="new-key-title">{t('integrations.key.create.title')}</h4>
        <div className="field">
          <label htmlFor={nameId}>{t('people.name')}</label>
          <input id={nameId} value={name} maxLength={100} required onChange={(e) => setName(e.target.value)} />
        </div>
        <fieldset className="choices">
          <legend>{t('integrations.key.scopes')}</legend>
          {API_KEY_SCOPES.map((scope) => (
            <label key={scope} className="check">
              <input
                type="checkbox"
                checked={scopes.includes(scope)}
                onChange={(e) => toggle(scope, e.target.checked)}
              />
              {t(SCOPE_NAMES[scope])} <code>{scope}</code>
            </label>
          ))}
        </fieldset>
        {createState.error === undefined ? null : (
          <p className="error" role="alert">
            {t('scim.createFailed', { reason: createState.error })}
          </p>
        )}
        <button
          type="submit"
          className="button button-primary"
          disabled={createState.busy || name.trim() === '' || scopes.length === 0}
        >
          {t(createState.busy ? 'chat.channel.creating' : 'integrations.key.create')}
        </button>
      </form>
    </section>
  );
}

function ApiKeyRow({ apiKey, onRevoked }: { apiKey: ApiKey; onRevoked: (key: ApiKey) => void }) {
  const t = useT();
  const shown = useShown();
  const controller = useIntegrationsController();
  const nameId = useId();
  const [revoke, state] = useAsyncAction(
    useCallback(async () => {
      await controller.revokeKey(apiKey.id);
      onRevoked({ ...apiKey, revokedAt: new Date().toISOString() });
    }, [apiKey, controller, onRevoked]),
  );
  return (
    <li className="integration" aria-labelledby={nameId}>
      <div className="integration-what">
        <span id={nameId} className="integration-name">
          {apiKey.name}
        </span>
        <code>{apiKey.prefix}…</code>
        <span className="hint">{apiKey.scopes.join(', ')}</span>
        <span className="hint">
          {t('integrations.key.created', { when: shown(apiKey.createdAt), status: keyStatus(apiKey, shown, t) })}
        </span>
      </div>
      {apiKey.revokedAt === null ? (
        <button
          type="button"
          className="button button-danger"
          aria-label={t('integrations.key.revoke.named', { name: apiKey.name })}
          disabled={state.busy}
          onClick={() => void revoke()}
        >
          {t(state.busy ? 'scim.revoking' : 'scim.revoke')}
        </button>
      ) : null}
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('integrations.revokeFailed', { reason: state.error })}
        </p>
      )}
    </li>
  );
}

function Webhooks() {
  const t = useT();
  const controller = useIntegrationsController();
  const [loaded, reload, update] = useLoad(controller.webhooks);
  const [secret, setSecret] = useState<string | null>(null);
  const urlId = useId();
  const descriptionId = useId();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<readonly WebhookEventType[]>([]);
  const [create, createState] = useAsyncAction(
    useCallback(async () => {
      const answer = await controller.createWebhook(url.trim(), events, description.trim());
      update((endpoints) => [...endpoints, answer.endpoint]);
      setSecret(answer.secret);
      setUrl('');
      setDescription('');
      setEvents([]);
    }, [controller, description, events, update, url]),
  );
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create();
  };
  const changed = useCallback(
    (endpoint: WebhookEndpoint) => update((endpoints) => withItem(endpoints, endpoint)),
    [update],
  );
  const deleted = useCallback((id: string) => update((endpoints) => endpoints.filter((e) => e.id !== id)), [update]);

  return (
    <section className="integrations-part" aria-labelledby="webhooks-title">
      <h3 id="webhooks-title">{t('integrations.webhooks')}</h3>
      <LoadState loaded={loaded} what={t('integrations.webhooks.what')} onRetry={() => void reload()} />
      {loaded.status === 'ready' && loaded.value.length > 0 ? (
        <ul className="integration-list" aria-label={t('integrations.webhooks')}>
          {loaded.value.map((endpoint) => (
            <WebhookRow key={endpoint.id} endpoint={endpoint} onChanged={changed} onDeleted={deleted} />
          ))}
        </ul>
      ) : null}
      {loaded.status === 'ready' && loaded.value.length === 0 ? (
        <p className="hint">{t('integrations.webhooks.none')}</p>
      ) : null}
      {secret === null ? null : (
        <ShownOnce
          label={t('integrations.secret')}
          what={t('integrations.secret.what')}
          value={secret}
          onDone={() => setSecret(null)}
        />
      )}
      <form className="integration-form" onSubmit={submit} aria-labelledby="new-webhook-title">
        <h4 id="new-webhook-title">{t('integrations.webhook.new')}</h4>
        <div className="field">
          <label htmlFor={urlId}>{t('integrations.url')}</label>
          <input
            id={urlId}
            type="url"
            value={url}
            required
            placeholder={t('integrations.url.placeholder')}
            onChange={(e) => setUrl(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={descriptionId}>{t('integrations.description')}</label>
          <input
            id={descriptionId}
            value={description}
            maxLength={200}
            onChange={(e) => setDescription(e.target.value)}
          />
        </div>
        <fieldset className="choices">
          <legend>{t('integrations.events')}</legend>
          {WEBHOOK_EVENT_TYPES.map((type) => (
            <label key={type} className="check">
              <input
                type="checkbox"
                checked={events.includes(type)}
                onChange={(e) => setEvents((s) => (e.target.checked ? [...s, type] : s.filter((x) => x !== type)))}
              />
              {t(EVENT_NAMES[type])} <code>{type}</code>
            </label>
          ))}
        </fieldset>
        {createState.error === undefined ? null : (
          <p className="error" role="alert">
            {t('people.add.failed', { reason: createState.error })}
          </p>
        )}
        <button
          type="submit"
          className="button button-primary"
          disabled={createState.busy || url.trim() === '' || events.length === 0}
        >
          {t(createState.busy ? 'chat.members.adding' : 'integrations.webhook.add')}
        </button>
      </form>
    </section>
  );
}

function WebhookRow({
  endpoint,
  onChanged,
  onDeleted,
}: {
  readonly endpoint: WebhookEndpoint;
  readonly onChanged: (endpoint: WebhookEndpoint) => void;
  readonly onDeleted: (id: string) => void;
}) {
  const t = useT();
  const shown = useShown();
  const controller = useIntegrationsController();
  const nameId = useId();
  const logId = useId();
  const [log, setLog] = useState<readonly WebhookAttempt[] | null>(null);
  const [showLog, logState] = useAsyncAction(
    useCallback(async () => setLog(await controller.deliveries(endpoint.id)), [controller, endpoint.id]),
  );
  const [toggle, toggleState] = useAsyncAction(
    useCallback(
      async () => onChanged(await controller.setWebhookEnabled(endpoint.id, !endpoint.enabled)),
      [controller, endpoint, onChanged],
    ),
  );
  const [remove, removeState] = useAsyncAction(
    useCallback(async () => {
      await controller.deleteWebhook(endpoint.id);
      onDeleted(endpoint.id);
    }, [controller, endpoint.id, onDeleted]),
  );
  const error = logState.error ?? toggleState.error ?? removeState.error;
  return (
    <li className="integration" aria-labelledby={nameId}>
      <div className="integration-what">
        <span id={nameId} className="integration-name">
          {endpoint.url}
        </span>
        {endpoint.description === '' ? null : <span>{endpoint.description}</span>}
        <span className="hint">{endpoint.events.join(', ')}</span>
        <span className="hint">{endpointStatus(endpoint, t)}</span>
      </div>
      <div className="row integration-actions">
        <button
          type="button"
          className="button"
          aria-controls={logId}
          aria-expanded={log !== null}
          disabled={logState.busy}
          onClick={() => (log === null ? void showLog() : setLog(null))}
        >
          {t(log === null ? 'integrations.log' : 'integrations.log.hide')}
        </button>
        <button type="button" className="button" disabled={toggleState.busy} onClick={() => void toggle()}>
          {t(endpoint.enabled ? 'integrations.turnOff' : 'integrations.turnOn')}
        </button>
        <button
          type="button"
          className="button button-danger"
          aria-label={t('integrations.webhook.delete.named', { url: endpoint.url })}
          disabled={removeState.busy}
          onClick={() => void remove()}
        >
          {t('chat.delete')}
        </button>
      </div>
      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div id={logId}>
        {log === null ? null : log.length === 0 ? (
          <p className="hint">{t('integrations.log.none')}</p>
        ) : (
          <ol className="delivery-log" aria-label={t('integrations.log.of', { url: endpoint.url })}>
            {log.map((attempt) => (
              <li key={attempt.id}>
                <time dateTime={attempt.at}>{shown(attempt.at)}</time> {attemptText(attempt, t)}
              </li>
            ))}
          </ol>
        )}
      </div>
    </li>
  );
}
