import { RECORDING_RETENTION_DAYS, type OrganisationSettings } from '@tandem/shared';
import { useCallback, useId, useState, type FormEvent } from 'react';
import { useClient } from '../ClientContext.ts';
import { LoadState } from '../ui/LoadState.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useLoad } from '../ui/useLoad.ts';
import './settings.css';

/** What the server answers when IT's policy keeps a feature off for every organisation. */
const SET_BY_IT = 'Your IT department has turned this off for every organisation on this server.';

/** The organisation's on/off settings, as the card shows them. */
const SWITCHES = [
  {
    setting: 'externalGuests',
    label: 'People from outside may join meetings by link',
    hint: 'They give a name and wait in the lobby until a host lets them in. Off: only people of the organisation join.',
  },
  {
    setting: 'recording',
    label: 'Hosts may record meetings',
    hint: 'Everyone in the call sees that it is recorded, and people joining later are told before they enter.',
  },
  {
    setting: 'transcription',
    label: 'Transcribe meetings, with live captions',
    hint: 'Each person turns captions on for themselves in the call; the transcript is kept with the meeting and can be searched. End-to-end encrypted meetings are never transcribed.',
  },
] as const satisfies readonly {
  setting: keyof OrganisationSettings;
  label: string;
  hint: string;
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
  const client = useClient();
  const load = useCallback(() => client.organisationSettings({ params: {}, body: {} }), [client]);
  const [loaded, reload, update] = useLoad(load);
  return (
    <section className="card" aria-labelledby="organisation-title">
      <h2 id="organisation-title">Organisation</h2>
      <LoadState loaded={loaded} what="the organisation's settings" onRetry={() => void reload()} />
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
    <form className="organisation-settings" onSubmit={saveRetention} aria-label="Organisation settings">
      {SWITCHES.map((item) => (
        <Switch
          key={item.setting}
          label={item.label}
          hint={heldOff.has(item.setting) ? SET_BY_IT : item.hint}
          checked={shown[item.setting]}
          disabled={state.busy}
          onChange={(checked) => void save({ [item.setting]: checked })}
        />
      ))}
      <div className="field">
        <label htmlFor={ids.retention}>Delete recordings after (days)</label>
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
            {state.busy ? 'Saving…' : 'Save'}
          </button>
        </div>
        <p id={ids.retentionHint} className="hint">
          {`From ${RECORDING_RETENTION_DAYS.min} to ${RECORDING_RETENTION_DAYS.max} days after a recording ended.`}
        </p>
      </div>
      {state.error === undefined ? null : (
        <p className="error" role="alert">
          Not saved: {state.error}
        </p>
      )}
    </form>
  );
}
