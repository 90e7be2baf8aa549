import { RECORDING_RETENTION_DAYS, type OrganisationSettings } from '@tandem/shared';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { useClient } from '../ClientContext.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useT } from '../i18n/useT.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import './settings.css';

/** The organisation's on/off settings, as the card shows them. */
const SWITCHES = [
  { setting: 'externalGuests', label: 'settings.org.externalGuests', hint: 'settings.org.externalGuestsHint' },
  { setting: 'recording', label: 'settings.org.recording', hint: 'settings.org.recordingHint' },
  { setting: 'transcription', label: 'settings.org.transcription', hint: 'settings.org.transcriptionHint' },
] as const satisfies readonly {
  setting: keyof OrganisationSettings;
  label: MessageId;
  hint: MessageId;
}[];

/** One on/off setting with what it means (or who holds it off) beneath. */
function Switch({
  label,
  hint,
  checked,
  disabled,
  onChange,
}: {
  readonly label: string;
  readonly hint: string;
  readonly checked: boolean;
  readonly disabled: boolean;
  readonly onChange: (checked: boolean) => void;
}) {
  const id = useId();
  return (
    <>
      <div className="check">
        <input
          id={id}
          type="checkbox"
          checked={checked}
          disabled={disabled}
          aria-describedby={`${id}-hint`}
          onChange={(e) => onChange(e.target.checked)}
        />
        <label htmlFor={id}>{label}</label>
      </div>
      <p id={`${id}-hint`} className="hint">
        {hint}
      </p>
    </>
  );
}

/**
 * Settings → Organisation (owners and admins): whether people from outside may join by link,
 * whether hosts may record, whether meetings are transcribed (captions), and how long recordings
 * are kept. Each change is in the audit log.
 */
export function Organisation() {
  const t = useT();
  const client = useClient();
  const load = useCallback(() => client.organisationSettings({ params: {}, body: {} }), [client]);
  const [loaded, reload, update] = useLoad(load);
  return (
    <section className="card" aria-labelledby="organisation-title">
      <h2 id="organisation-title">{t('settings.org.title')}</h2>
      <LoadState loaded={loaded} what={t('settings.org.what')} onRetry={() => void reload()} />
      {loaded.status === 'ready' ? (
        <OrganisationForm settings={loaded.value} onSaved={(saved) => update(() => saved)} />
      ) : null}
    </section>
  );
}

function OrganisationForm({
  settings,
  onSaved,
}: {
  readonly settings: OrganisationSettings;
  readonly onSaved: (settings: OrganisationSettings) => void;
}) {
  const t = useT();
  const client = useClient();
  const ids = { retention: useId(), retentionHint: useId() };
  const [retention, setRetention] = useState(String(settings.recordingRetentionDays));
  /** Features asked for that came back off: IT's policy holds them. */
  const [heldOff, setHeldOff] = useState<ReadonlySet<keyof OrganisationSettings>>(new Set());
  /** A change on its way shows at once; it gives way to the server's answer, or to what was, if refused. */
  const [pending, setPending] = useState<Partial<OrganisationSettings>>({});
  const shown = { ...settings, ...pending };
  const [save, state] = useAsyncAction(
    useCallback(
      async (patch: Partial<OrganisationSettings>) => {
        setPending(patch);
        let saved: OrganisationSettings;
        try {
          saved = await client.organisationUpdateSettings({ params: {}, body: patch });
        } finally {
          setPending({});
        }
        onSaved(saved);
        setHeldOff((before) => {
          const next = new Set(before);
          for (const key of Object.keys(patch) as (keyof OrganisationSettings)[]) {
            if (patch[key] === true && saved[key] === false) next.add(key);
            else next.delete(key);
          }
          return next;
        });
      },
      [client, onSaved],
    ),
  );
  const days = Number(retention);
  const retentionValid =
    Number.isInteger(days) && days >= RECORDING_RETENTION_DAYS.min && days <= RECORDING_RETENTION_DAYS.max;
  const saveRetention = (e: FormEvent) => {
    e.preventDefault();
    if (retentionValid) void save({ recordingRetentionDays: days });
  };
  return (
    <form className="organisation-settings" onSubmit={saveRetention} aria-label={t('settings.org.form')}>
      {SWITCHES.map((item) => (
        <Switch
          key={item.setting}
          label={t(item.label)}
          // What the server answers when IT's policy keeps a feature off for every organisation.
          hint={heldOff.has(item.setting) ? t('settings.org.setByIt') : t(item.hint)}
          checked={shown[item.setting]}
          disabled={state.busy}
          onChange={(checked) => void save({ [item.setting]: checked })}
        />
      ))}
      <div className="field">
        <label htmlFor={ids.retention}>{t('settings.org.retention')}</label>
        <div className="row">
          <input
            id={ids.retention}
            type="number"
            inputMode="numeric"
            min={RECORDING_RETENTION_DAYS.min}
            max={RECORDING_RETENTION_DAYS.max}
            required
            value={retention}
            aria-describedby={ids.retentionHint}
            aria-invalid={!retentionValid}
            onChange={(e) => setRetention(e.target.value)}
          />
          <button
            type="submit"
            className="button"
            disabled={state.busy || !retentionValid || days === settings.recordingRetentionDays}
          >
            {state.busy ? t('ui.saving') : t('ui.save')}
          </button>
        </div>
        <p id={ids.retentionHint} className="hint">
          {t('settings.org.retentionHint', RECORDING_RETENTION_DAYS)}
        </p>
      </div>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          {t('ui.notSaved', { reason: state.error })}
        </p>
      )}
    </form>
  );
}
