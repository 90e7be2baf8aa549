import type { CallControl } from '../call/callControl.ts';
import { Icon } from '../ui/Icon.tsx';
import { useMeeting, useMeetingActions, useSelf } from './MeetingCollab.tsx';
import { useT } from '../i18n/useT.ts';

/** The control-bar control that raises or lowers one's hand; the server keeps the queue in order. */
export function useHandControl(): CallControl<'hand'> {
  const t = useT();
  const { userId } = useSelf();
  const place = useMeeting((s) => s.hands.findIndex((h) => h.userId === userId));
  const { raiseHand, lowerHand } = useMeetingActions();
  const raised = place !== -1;
  return {
    id: 'hand',
    label: t(raised ? 'collab.hand.lower' : 'collab.hand.raise'),
    icon: 'hand',
    pressed: raised,
    title: raised ? t('collab.hand.up', { place: place + 1 }) : t('collab.hand.raise'),
    onClick: () => void (raised ? lowerHand() : raiseHand()),
  };
}

/** A raised hand on a tile, with its place in the queue. */
export function TileHand({ userId }: { readonly userId: string | undefined }) {
  const t = useT();
  const place = useMeeting((s) => s.hands.findIndex((h) => h.userId === userId));
  if (userId === undefined || place === -1) return null;
  return (
    <span className="tile-hand" role="img" aria-label={t('collab.hand.raised', { place: place + 1 })}>
      <Icon name="hand" size={14} /> {place + 1}
    </span>
  );
}
