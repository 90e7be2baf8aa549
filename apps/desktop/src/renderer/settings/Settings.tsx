import type { NotificationMode } from '@tandem/shared';
import { useId } from 'react';
import { AuditLog } from '../audit/AuditLog.tsx';
import { DeviceSelect } from '../call/DeviceSelect.tsx';
import { Integrations } from '../integrations/Integrations.tsx';
import { OrganisationInsights } from '../insights/OrganisationInsights.tsx';
import { CalendarFeed } from '../linked/CalendarFeed.tsx';
import { ProviderAccounts } from '../linked/ProviderAccounts.tsx';
import { useAppStore } from '../store/appStore.ts';
import { ScimTokens } from '../scim/ScimTokens.tsx';
import { useController } from '../store/ControllerContext.ts';
import { Tabs } from '../ui/Tabs.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { isLocked, lockedSettings, may2160p } from './managed.ts';
import { Organisation } from './Organisation.tsx';
import { managesPeople } from '../people/people.ts';
import { People } from '../people/People.tsx';
import { DialInNumbersSettings } from '../phone/DialInNumbersSettings.tsx';

const NOTIFICATION_MODES = [
  { value: 'all', label: 'Every new message' },
  { value: 'mentions', label: 'Only when someone mentions me (@name)' },
  { value: 'off', label: 'Off' },
] as const satisfies readonly { value: NotificationMode; label: string }[];

/**
 * Settings. Owners and admins see tabs: the settings everyone has, the organisation's, the
 * audit log, provisioning, integrations, meeting insights and the phone's dial-in numbers; everyone else sees their own settings alone.
 */
export function Settings() {
  const me = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user : undefined));
  return (
    <main className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      {me !== undefined && managesPeople(me) ? (
        <Tabs
          label="Settings"
          tabs={[
            { id: 'general', label: 'General', panel: <General /> },
            { id: 'organisation', label: 'Organisation', panel: <Organisation /> },
            { id: 'audit', label: 'Audit log', panel: <AuditLog /> },
            { id: 'provisioning', label: 'Provisioning', panel: <ScimTokens /> },
            { id: 'integrations', label: 'Integrations', panel: <Integrations /> },
            { id: 'insights', label: 'Insights', panel: <OrganisationInsights /> },
            { id: 'phone', label: 'Phone', panel: <DialInNumbersSettings /> },
          ]}
        />
      ) : (
        <General />
      )}
    </main>
  );
}

function General() {
  const controller = useController();
  const settings = useAppStore((s) => s.settings);
  const managed = useAppStore((s) => s.managed);
  const locked = lockedSettings(managed);
  const uhdAllowed = may2160p(managed);
  const [update, state] = useAsyncAction(controller.updateSettings);
  const uhdId = useId();
  const previewsId = useId();
  const modeLocked = isLocked(managed, 'notifications');
  const previewsLocked = isLocked(managed, 'notificationPreviews');
  return (
    <>
      <section className="card" aria-labelledby="video-title">
        <h2 id="video-title">Video</h2>
        <div className="check">
          <input
            id={uhdId}
            type="checkbox"
            checked={settings.video2160p}
            disabled={state.busy || !uhdAllowed}
            aria-describedby={`${uhdId}-hint`}
            onChange={(e) => void update({ video2160p: e.target.checked })}
          />
          <label htmlFor={uhdId}>Send 2160p (4K) video when my camera supports it</label>
        </div>
        <p id={`${uhdId}-hint`} className="hint">
          {uhdAllowed
            ? '1080p HD is the default. 4K needs a 4K camera and uses more bandwidth and processor time.'
            : 'Set by your organisation: 1080p HD is the highest quality on this computer.'}
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
            Not saved: {state.error}
          </p>
        )}
      </section>
      <section className="card" aria-labelledby="notifications-title">
        <h2 id="notifications-title">Notifications</h2>
        <fieldset className="choices" disabled={state.busy || modeLocked}>
          <legend>Show a desktop notification for</legend>
          {NOTIFICATION_MODES.map((mode) => (
            <label key={mode.value} className="check">
              <input
                type="radio"
                name="notifications"
                value={mode.value}
                checked={settings.notifications === mode.value}
                onChange={() => void update({ notifications: mode.value })}
              />
              {mode.label}
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
          <label htmlFor={previewsId}>Show the message’s text in notifications</label>
        </div>
        <p className="hint">
          {modeLocked || previewsLocked
            ? 'Partly set by your organisation (see below).'
            : 'Nothing pops up while you share your screen, or for the conversation you are looking at. Hosts also hear when someone waits in their lobby.'}
        </p>
      </section>
      <ProviderAccounts />
      <CalendarFeed />
      <People />
      {locked.length === 0 ? null : (
        <section className="card" aria-labelledby="managed-title">
          <h2 id="managed-title">Set by your organisation</h2>
          <p className="hint">
            Your IT department manages these settings on this computer; they cannot be changed here.
          </p>
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
