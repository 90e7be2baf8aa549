import {
  LanguageSchema,
  PRODUCT,
  SHIPPED_LOCALES,
  SHORTCUT_ACTIONS,
  type IpcResponse,
  type Language,
  type NotificationMode,
  type Settings as SettingsValues,
} from '@tandem/shared';
import { useCallback, useId, useState } from 'react';
import { useClient } from '../ClientContext.ts';
import { AuditLog } from '../audit/AuditLog.tsx';
import { Skills } from '../experts/Skills.tsx';
import { DeviceSelect } from '../call/DeviceSelect.tsx';
import { Integrations } from '../integrations/Integrations.tsx';
import { OrganisationInsights } from '../insights/OrganisationInsights.tsx';
import { resolveLocale } from '../i18n/locale.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useT } from '../i18n/useT.ts';
import { CalendarFeed } from '../linked/CalendarFeed.tsx';
import { ProviderAccounts } from '../linked/ProviderAccounts.tsx';
import { useAppStore } from '../store/appStore.ts';
import { ScimTokens } from '../scim/ScimTokens.tsx';
import { useController } from '../store/ControllerContext.ts';
import { Tabs } from '../ui/Tabs.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { collectLogs } from '../diagnostics/collectLogs.ts';
import { useLoad } from '../ui/useLoad.ts';
import { isLocked, lockedSettings, may2160p } from './managed.ts';
import { PushToTalkKey } from './PushToTalkKey.tsx';
import { Organisation } from './Organisation.tsx';
import { managesPeople } from '../people/people.ts';
import { People } from '../people/People.tsx';
import { DialInNumbersSettings } from '../phone/DialInNumbersSettings.tsx';

const NOTIFICATION_MODES = [
  { value: 'all', label: 'settings.notifications.all' },
  { value: 'mentions', label: 'settings.notifications.mentions' },
  { value: 'off', label: 'settings.notifications.off' },
] as const satisfies readonly { value: NotificationMode; label: MessageId }[];

/**
 * Settings. Owners and admins see tabs: the settings everyone has, the organisation's, the
 * audit log, provisioning, integrations, meeting insights and the phone's dial-in numbers; everyone else sees their own settings alone.
 */
export function Settings({ desktop }: { readonly desktop: boolean }) {
  const t = useT();
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  return (
    <main className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">{t('settings.title')}</h1>
      {me !== undefined && managesPeople(me) ? (
        <Tabs
          label={t('settings.title')}
          tabs={[
            { id: 'general', label: t('settings.tab.general'), panel: <General desktop={desktop} /> },
            { id: 'organisation', label: t('settings.tab.organisation'), panel: <Organisation /> },
            { id: 'audit', label: t('settings.tab.audit'), panel: <AuditLog /> },
            { id: 'provisioning', label: t('settings.tab.provisioning'), panel: <ScimTokens /> },
            { id: 'integrations', label: t('settings.tab.integrations'), panel: <Integrations /> },
            { id: 'insights', label: t('settings.tab.insights'), panel: <OrganisationInsights /> },
            { id: 'phone', label: t('settings.tab.phone'), panel: <DialInNumbersSettings /> },
          ]}
        />
      ) : (
        <General desktop={desktop} />
      )}
    </main>
  );
}

/**
 * The app's language: the system's (named as it resolves now) or one the app ships; IT's
 * `language` policy locks it. Each language is named in its own words.
 */
function LanguagePicker() {
  const t = useT();
  const controller = useController();
  const language = useAppStore((s) => s.settings.language);
  const locked = useAppStore((s) => isLocked(s.managed, 'language'));
  const [update, state] = useAsyncAction(controller.updateSettings);
  const id = useId();
  const system = resolveLocale('system', navigator.languages);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.language.title')}</h2>
      <div className="field">
        <label htmlFor={id}>{t('settings.language.label')}</label>
        <select
          id={id}
          name="language"
          value={language}
          disabled={state.busy || locked}
          aria-describedby={`${id}-hint`}
          onChange={(e) => void update({ language: LanguageSchema.parse(e.target.value) })}
        >
          <option value={'system' satisfies Language}>
            {t('settings.language.system', { language: t(`language.${system}`) })}
          </option>
          {SHIPPED_LOCALES.map((locale) => (
            <option key={locale} value={locale} lang={locale}>
              {t(`language.${locale}`)}
            </option>
          ))}
        </select>
      </div>
      <p id={`${id}-hint`} className="hint">
        {locked ? t('settings.language.locked') : t('settings.language.hint')}
      </p>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('ui.notSaved', { reason: state.error })}
        </p>
      )}
    </section>
  );
}

/** One shortcut's accelerator, saved when the field is left (empty: none). */
function ShortcutField({
  action,
  value,
  disabled,
  onSave,
}: {
  readonly action: (typeof SHORTCUT_ACTIONS)[number];
  readonly value: string | null;
  readonly disabled: boolean;
  readonly onSave: (accelerator: string | null) => void;
}) {
  const t = useT();
  const id = useId();
  const [typed, setTyped] = useState(value ?? '');
  return (
    <div className="field">
      <label htmlFor={id}>{t(`settings.shortcuts.${action}`)}</label>
      <input
        id={id}
        value={typed}
        disabled={disabled}
        spellCheck={false}
        onChange={(e) => setTyped(e.target.value)}
        onBlur={() => {
          const next = typed.trim() === '' ? null : typed.trim();
          if (next !== value) onSave(next);
        }}
      />
    </div>
  );
}

/**
 * The desktop app's own behaviour: close to the tray, start at login, global shortcuts (with
 * what main could not register and why). Only where main is behind the client (not the browser client).
 */
function Desktop() {
  const t = useT();
  const client = useClient();
  const controller = useController();
  const settings = useAppStore((s) => s.settings);
  const managed = useAppStore((s) => s.managed);
  const loadStatus = useCallback(() => client.shortcutsStatus({}), [client]);
  const [status, reload] = useLoad<IpcResponse<'shortcuts:status'>>(loadStatus);
  const [update, state] = useAsyncAction(
    useCallback(
      async (patch: Partial<SettingsValues>) => {
        await controller.updateSettings(patch);
        await reload();
      },
      [controller, reload],
    ),
  );
  const id = useId();
  const trayLocked = isLocked(managed, 'closeToTray');
  const loginLocked = managed.values.startAtLogin === 'on' || managed.values.startAtLogin === 'off';
  const shortcutsLocked = managed.values.globalShortcuts === false;
  const product = PRODUCT.productName;
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.desktop.title')}</h2>
      <div className="check">
        <input
          id={`${id}-tray`}
          type="checkbox"
          checked={settings.closeToTray}
          disabled={state.busy || trayLocked}
          aria-describedby={trayLocked ? `${id}-locked` : undefined}
          onChange={(e) => void update({ closeToTray: e.target.checked })}
        />
        <label htmlFor={`${id}-tray`}>{t('settings.desktop.closeToTray', { product })}</label>
      </div>
      <div className="check">
        <input
          id={`${id}-login`}
          type="checkbox"
          checked={settings.startAtLogin}
          disabled={state.busy || loginLocked}
          aria-describedby={loginLocked ? `${id}-locked` : undefined}
          onChange={(e) => void update({ startAtLogin: e.target.checked })}
        />
        <label htmlFor={`${id}-login`}>{t('settings.desktop.startAtLogin', { product })}</label>
      </div>
      {trayLocked || loginLocked ? (
        <p id={`${id}-locked`} className="hint">
          {t('settings.desktop.locked')}
        </p>
      ) : null}
      <h3>{t('settings.shortcuts.title')}</h3>
      <div className="check">
        <input
          id={`${id}-shortcuts`}
          type="checkbox"
          checked={settings.globalShortcuts}
          disabled={state.busy || shortcutsLocked}
          onChange={(e) => void update({ globalShortcuts: e.target.checked })}
        />
        <label htmlFor={`${id}-shortcuts`}>{t('settings.shortcuts.enabled')}</label>
      </div>
      {shortcutsLocked ? <p className="hint">{t('settings.shortcuts.locked')}</p> : null}
      <div className="check">
        <input
          id={`${id}-ptt`}
          type="checkbox"
          checked={settings.pushToTalk}
          disabled={state.busy || shortcutsLocked}
          aria-describedby={`${id}-ptt-hint`}
          onChange={(e) => void update({ pushToTalk: e.target.checked })}
        />
        <label htmlFor={`${id}-ptt`}>{t('settings.pushToTalk')}</label>
      </div>
      <p id={`${id}-ptt-hint`} className="hint">
        {t('settings.pushToTalk.hint')}
      </p>
      <PushToTalkKey
        value={settings.pushToTalkKey}
        disabled={state.busy || shortcutsLocked}
        onSave={(pushToTalkKey) => void update({ pushToTalkKey })}
      />
      {SHORTCUT_ACTIONS.map((action) => (
        <ShortcutField
          key={action}
          action={action}
          value={settings.shortcuts[action]}
          disabled={state.busy || !settings.globalShortcuts}
          onSave={(accelerator) => void update({ shortcuts: { ...settings.shortcuts, [action]: accelerator } })}
        />
      ))}
      <p className="hint">{t('settings.shortcuts.hint')}</p>
      {status.status === 'ready'
        ? status.value.conflicts.map((conflict) => (
            <p key={conflict.action} className="error" role="alert">
              {t('settings.shortcuts.conflict', conflict)}
            </p>
          ))
        : null}
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('ui.notSaved', { reason: state.error })}
        </p>
      )}
    </section>
  );
}

/**
 * Help → Collect logs (the app only: main's zip for the help desk, saved as a download) and the
 * connection test (the app and the browser client alike).
 */
function Diagnostics({ desktop }: { readonly desktop: boolean }) {
  const t = useT();
  const client = useClient();
  const id = useId();
  const navigate = useAppStore((s) => s.navigate);
  const [collect, state] = useAsyncAction(useCallback(() => collectLogs(client), [client]));
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('settings.diagnostics.title')}</h2>
      {desktop ? (
        <button
          type="button"
          className="button"
          disabled={state.busy}
          aria-describedby={`${id}-hint`}
          onClick={() => void collect()}
        >
          {state.busy ? t('settings.diagnostics.collecting') : t('settings.diagnostics.collect')}
        </button>
      ) : null}
      <button type="button" className="button" onClick={() => navigate({ name: 'connectionTest' })}>
        {t('diagnostics.open')}
      </button>
      {desktop ? (
        <p id={`${id}-hint`} className="hint">
          {t('settings.diagnostics.hint')}
        </p>
      ) : null}
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('settings.diagnostics.failed', { reason: state.error })}
        </p>
      )}
    </section>
  );
}

function General({ desktop }: { readonly desktop: boolean }) {
  const t = useT();
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  const controller = useController();
  const settings = useAppStore((s) => s.settings);
  const managed = useAppStore((s) => s.managed);
  const locked = lockedSettings(managed, t);
  const uhdAllowed = may2160p(managed);
  const [update, state] = useAsyncAction(controller.updateSettings);
  const uhdId = useId();
  const previewsId = useId();
  const modeLocked = isLocked(managed, 'notifications');
  const previewsLocked = isLocked(managed, 'notificationPreviews');
  return (
    <>
      <LanguagePicker />
      {me?.role === 'guest' ? null : <Skills />}
      {desktop ? <Desktop /> : null}
      <Diagnostics desktop={desktop} />
      <section className="card" aria-labelledby="video-title">
        <h2 id="video-title">{t('settings.video.title')}</h2>
        <div className="check">
          <input
            id={uhdId}
            type="checkbox"
            checked={settings.video2160p}
            disabled={state.busy || !uhdAllowed}
            aria-describedby={`${uhdId}-hint`}
            onChange={(e) => void update({ video2160p: e.target.checked })}
          />
          <label htmlFor={uhdId}>{t('settings.video.uhd')}</label>
        </div>
        <p id={`${uhdId}-hint`} className="hint">
          {uhdAllowed ? t('settings.video.uhdHint') : t('settings.video.uhdLocked')}
        </p>
        <DeviceSelect
          kind="videoinput"
          value={settings.cameraId ?? undefined}
          onChange={(cameraId) => void update({ cameraId })}
        />
        <DeviceSelect
          kind="audioinput"
          value={settings.microphoneId ?? undefined}
          onChange={(microphoneId) => void update({ microphoneId })}
        />
        <DeviceSelect
          kind="audiooutput"
          value={settings.speakerId ?? undefined}
          onChange={(speakerId) => void update({ speakerId })}
        />
        {state.error === undefined ? null : (
          <p className="error" role="alert">
            {t('ui.notSaved', { reason: state.error })}
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="notifications-title">
        <h2 id="notifications-title">{t('settings.notifications.title')}</h2>
        <fieldset className="choices" disabled={state.busy || modeLocked}>
          <legend>{t('settings.notifications.legend')}</legend>
          {NOTIFICATION_MODES.map((mode) => (
            <label key={mode.value} className="check">
              <input
                type="radio"
                name="notifications"
                value={mode.value}
                checked={settings.notifications === mode.value}
                onChange={() => void update({ notifications: mode.value })}
              />
              {t(mode.label)}
            </label>
          ))}
        </fieldset>
        <div className="check">
          <input
            id={previewsId}
            type="checkbox"
            checked={settings.notificationPreviews}
            disabled={state.busy || previewsLocked || settings.notifications === 'off'}
            onChange={(e) => void update({ notificationPreviews: e.target.checked })}
          />
          <label htmlFor={previewsId}>{t('settings.notifications.previews')}</label>
        </div>
        <p className="hint">
          {modeLocked || previewsLocked ? t('settings.notifications.partlyLocked') : t('settings.notifications.hint')}
        </p>
      </section>
      <ProviderAccounts />
      <CalendarFeed />
      <People />
      {locked.length === 0 ? null : (
        <section className="card" aria-labelledby="managed-title">
          <h2 id="managed-title">{t('settings.managed.title')}</h2>
          <p className="hint">{t('settings.managed.hint')}</p>
          <dl className="managed">
            {locked.map((item) => (
              <div key={item.key}>
                <dt>{item.label}</dt>
                <dd>{item.value}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}
    </>
  );
}
