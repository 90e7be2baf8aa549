import { PRESENCE_LIMITS, type ChosenStatus } from '@tandem/shared';
import { useId, useState, type FormEvent } from 'react';
import { useDates } from '../i18n/useDates.ts';
import { useT } from '../i18n/useT.ts';
import { Modal } from '../ui/Modal.tsx';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { PresenceDot, StatusDot } from './PresenceDot.tsx';
import { usePresence, usePresenceController } from './presenceController.ts';

/** How long a chosen status lasts, as offered. */
const DURATIONS = ['off', '60', '240', 'tomorrow'] as const;
type Duration = (typeof DURATIONS)[number];

/** The statuses to choose, as Teams offers them; each one's words (do not disturb says what it silences). */
const CHOICES = [
  ['available', 'presence.online'],
  ['busy', 'presence.busy'],
  ['dnd', 'presence.dndChoice'],
  ['away', 'presence.away'],
] as const satisfies readonly (readonly [ChosenStatus, string])[];

/** When a status chosen now ends: null until changed. */
export function chosenEnd(duration: Duration, now: Date): string | null {
  if (duration === 'off') return null;
  if (duration === 'tomorrow') {
    const end = new Date(now);
    end.setDate(end.getDate() + 1);
    end.setHours(9, 0, 0, 0);
    return end.toISOString();
  }
  return new Date(now.getTime() + Number(duration) * 60_000).toISOString();
}

/** The user's own status in the top bar; opens a dialog to choose a status (the tray offers the same) and a message. */
export function StatusMenu({ userId }: { readonly userId: string }) {
  const t = useT();
  const presence = usePresence(userId);
  const [open, setOpen] = useState(false);
  const status = presence?.status ?? 'offline';
  return (
    <>
      <button
        type="button"
        className="button status-button"
        aria-haspopup="dialog"
        // The visible words start the accessible name (WCAG 2.5.3); what the button does follows.
        aria-label={t('presence.button', { status: t(`presence.${status}`) })}
        onClick={() => setOpen(true)}
      >
        <PresenceDot userId={userId} decorative />
        {t(`presence.${status}`)}
      </button>
      {open ? <StatusDialog userId={userId} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function StatusDialog({ userId, onClose }: { readonly userId: string; readonly onClose: () => void }) {
  const t = useT();
  const dates = useDates();
  const controller = usePresenceController();
  const presence = usePresence(userId);
  const [chosen, setChosen] = useState<ChosenStatus>(presence?.chosen ?? 'available');
  const [duration, setDuration] = useState<Duration>('60');
  const [text, setText] = useState(presence?.statusText ?? '');
  const [save, saving] = useAsyncAction(async () => {
    await controller.set(
      chosen === 'available'
        ? { chosen, statusText: text.trim() }
        : { chosen, chosenUntil: chosenEnd(duration, new Date()), statusText: text.trim() },
    );
  });
  const id = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await save()) onClose();
  };
  return (
    <Modal title={t('presence.dialog')} onClose={onClose}>
      <form onSubmit={(e) => void submit(e)}>
        {presence?.chosenUntil == null ? null : (
          <p className="hint">
            {t('presence.until', {
              status: t(`presence.${presence.chosen === 'available' ? 'online' : presence.chosen}`),
              when: dates.when(new Date(presence.chosenUntil), new Date()),
            })}
          </p>
        )}
        <fieldset className="choices">
          <legend>{t('presence.choose')}</legend>
          {CHOICES.map(([value, words]) => (
            <label key={value} className="check">
              <input type="radio" name={`${id}-chosen`} checked={chosen === value} onChange={() => setChosen(value)} />
              <StatusDot status={value === 'available' ? 'online' : value} />
              {t(words)}
            </label>
          ))}
        </fieldset>
        {chosen === 'available' ? null : (
          <div className="field">
            <label htmlFor={`${id}-duration`}>{t('presence.howLong')}</label>
            <select id={`${id}-duration`} value={duration} onChange={(e) => setDuration(e.target.value as Duration)}>
              {DURATIONS.map((d) => (
                <option key={d} value={d}>
                  {t(`presence.duration.${d}`)}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-text`}>{t('presence.message')}</label>
          <input
            id={`${id}-text`}
            value={text}
            maxLength={PRESENCE_LIMITS.statusTextChars}
            placeholder={t('presence.messagePlaceholder')}
            onChange={(e) => setText(e.target.value)}
          />
        </div>
        {saving.error === undefined ? null : (
          <p className="error" role="alert">
            {saving.error}
          </p>
        )}
        <div className="row">
          <button type="submit" className="button button-primary" disabled={saving.busy}>
            {saving.busy ? t('ui.saving') : t('ui.save')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('ui.cancel')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
