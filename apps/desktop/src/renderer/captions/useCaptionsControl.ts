import type { CallControl } from '../call/callControl.ts';
import { unavailableText } from './captionsState.ts';
import { useCaptions, useToggleCaptions } from './CaptionsContext.tsx';
import { useT } from '../i18n/useT.ts';

/**
 * The CC control: everyone's own switch for captions. None where captions are turned off (by the
 * organisation or IT) or while the server has not said yet; disabled, with why, where the meeting
 * should have them and cannot (the server has no speech model, the meeting is end-to-end encrypted).
 */
export function useCaptionsControl(): CallControl<'captions'>[] {
  const t = useT();
  const shown = useCaptions((s) => s.shown);
  const unavailable = useCaptions((s) => s.unavailable);
  const toggle = useToggleCaptions();
  if (unavailable === 'loading' || unavailable === 'organisation' || unavailable === 'policy') return [];
  const why = unavailableText(unavailable, t);
  return [
    {
      id: 'captions',
      label: t(shown ? 'captions.hide' : 'captions.show'),
      icon: 'captions',
      pressed: shown,
      ...(why === undefined ? {} : { unavailable: why }),
      onClick: toggle,
    },
  ];
}
