import { Icon } from '../ui/Icon.tsx';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';

/** Raise or lower one's hand; the server keeps the queue in order. */
export function HandButton() {
  const { userId } = useSelf();
  const place = useMeeting((s) => s.hands.findIndex((h) => h.userId === userId));
  const { raiseHand, lowerHand } = useMeetingActions();
  const raised = place !== -1;
  return (
    <button
      type="button"
      className="control"
      aria-pressed={raised}
      title={raised ? `Your hand is up (number ${place + 1})` : 'Raise hand'}
      onClick={() => void (raised ? lowerHand() : raiseHand())}
    >
      <Icon name="hand" />
      <span className="control-label">{raised ? 'Lower hand' : 'Raise hand'}</span>
    </button>
  );
}

/** A raised hand on a tile, with its place in the queue. */
export function TileHand({ userId }: { readonly userId: string | undefined }) {
  const place = useMeeting((s) => s.hands.findIndex((h) => h.userId === userId));
  if (userId === undefined || place === -1) return null;
  return (
    <span className="tile-hand" role="img" aria-label={`hand raised, number ${place + 1}`}>
      <Icon name="hand" size={14} /> {place + 1}
    </span>
  );
}
