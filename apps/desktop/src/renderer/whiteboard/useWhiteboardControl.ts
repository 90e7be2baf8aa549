import type { CallControl } from '../call/callControl.ts';
import { useCallUi } from '../call/callStore.ts';
import { useT } from '../i18n/useT.ts';
import { useBoard } from './WhiteboardContext.tsx';

/** The call's Whiteboard control: opens the board on the stage and closes it; unavailable when encrypted. */
export function useWhiteboardControl(): CallControl<'whiteboard'> {
  const t = useT();
  const open = useCallUi((s) => s.boardOpen);
  const setOpen = useCallUi((s) => s.setBoardOpen);
  const { state } = useBoard();
  return {
    id: 'whiteboard',
    label: t(open ? 'whiteboard.close' : 'whiteboard.open'),
    icon: 'whiteboard',
    pressed: open,
    ...(state.status === 'encrypted' ? { unavailable: t('whiteboard.encrypted') } : {}),
    onClick: () => setOpen(!open),
  };
}
