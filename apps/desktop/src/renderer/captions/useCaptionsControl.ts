import type { CallControl } from '../call/callControl.ts';
import { unavailableText } from './captionsState.ts';
import { useCaptions, useToggleCaptions } from './CaptionsContext.tsx';

/** The CC control: everyone's own switch for captions; disabled, it says why there are none. */
export function useCaptionsControl(): CallControl<'captions'> {
  const shown = useCaptions((s) => s.shown);
  const unavailable = unavailableText(useCaptions((s) => s.unavailable));
  const toggle = useToggleCaptions();
  return {
    id: 'captions',
    label: shown ? 'Hide captions' : 'Captions',
    icon: 'captions',
    pressed: shown,
    ...(unavailable === undefined ? {} : { unavailable }),
    onClick: toggle,
  };
}
