import type { PresenceStatus } from '@tandem/shared';
import { useDates } from '../i18n/useDates.ts';
import { useT } from '../i18n/useT.ts';
import { usePresence } from './presenceController.ts';
import './presence.css';

/**
 * A person's status on their avatar or name: a coloured dot (each status has its own shape too,
 * so colour is not the only cue) named for screen readers, with their status message.
 */
export function PresenceDot({
  userId,
  decorative = false,
}: {
  readonly userId: string | undefined;
  /** Beside words that already say the status: hidden from screen readers. */
  readonly decorative?: boolean;
}) {
  const t = useT();
  const dates = useDates();
  const presence = usePresence(userId);
  const status = presence?.status ?? 'offline';
  const named = t(`presence.${status}`);
  // The end of what they chose, while it is what shows (a call over a chosen busy ends otherwise).
  const until =
    presence?.chosenUntil == null || presence.chosen !== status
      ? named
      : t('presence.until', { status: named, when: dates.when(new Date(presence.chosenUntil), new Date()) });
  const label =
    presence?.statusText == null ? until : t('presence.withText', { status: until, text: presence.statusText });
  return decorative ? (
    <StatusDot status={status} />
  ) : (
    <span className="presence-dot" data-status={status} role="img" aria-label={label} title={label} />
  );
}

/** A status's dot alone, beside words that say it (hidden from screen readers). */
export function StatusDot({ status }: { readonly status: PresenceStatus }) {
  return <span className="presence-dot" data-status={status} aria-hidden="true" />;
}

/**
 * "In a call" (or "Presenting") in words beside a person's name while LiveKit has them in a
 * meeting, as Teams shows it: the server sets it from LiveKit's webhooks. Nothing otherwise.
 */
export function BusyStatus({ userId }: { readonly userId: string | undefined }) {
  return <BusyLabel status={usePresence(userId)?.status} />;
}

/** BusyStatus's words for a status (none for one that is not busy). */
export function BusyLabel({ status }: { readonly status: PresenceStatus | undefined }) {
  const t = useT();
  if (status !== 'in_meeting' && status !== 'presenting') return null;
  return (
    // The dot beside it already names the status for screen readers.
    <span className="presence-busy" data-status={status} aria-hidden="true">
      {t(`presence.${status}`)}
    </span>
  );
}
