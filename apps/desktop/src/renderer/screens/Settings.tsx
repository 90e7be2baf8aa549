import { useId } from 'react';
import { DeviceSelect } from '../call/DeviceSelect.tsx';
import { ProviderAccounts } from '../linked/ProviderAccounts.tsx';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { lockedSettings, may2160p } from './managed.ts';

export function Settings() {
  const controller = useController();
  const settings = useAppStore((s) => s.settings);
  const managed = useAppStore((s) => s.managed);
  const locked = lockedSettings(managed);
  const uhdAllowed = may2160p(managed);
  const [update, state] = useAsyncAction(controller.updateSettings);
  const uhdId = useId();
  return (
    <main className="settings" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
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
      <ProviderAccounts />
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
    </main>
  );
}
