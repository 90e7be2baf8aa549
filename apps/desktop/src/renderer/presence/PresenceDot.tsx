import { PRESENCE_STATUS_LABELS, formatWhen } from '@tandem/shared';
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
  const presence = usePresence(userId);
  const status = presence?.status ?? 'offline';
  const until = presence?.dndUntil == null ? '' : ` until ${formatWhen(new Date(presence.dndUntil), new Date())}`;
  const label = `${PRESENCE_STATUS_LABELS[status]}${until}${presence?.statusText == null ? '' : `: ${presence.statusText}`}`;
  return decorative ? (
    <span className="presence-dot" data-status={status} aria-hidden="true" />
  ) : (
    <span className="presence-dot" data-status={status} role="img" aria-label={label} title={label} />
  );
}
