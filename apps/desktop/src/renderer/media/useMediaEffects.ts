import type { LocalAudioTrack, LocalVideoTrack } from 'livekit-client';
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { errorText } from '../ui/errorText.ts';
import { noiseSuppression, type VideoEffects } from './effects.ts';
import { applyNoiseSuppression } from './noiseSuppression.ts';
import { applyVideoEffects } from './loadVideoEffects.ts';
import { translateNow } from '../i18n/current.ts';

/** The effects the settings (and IT's policy) ask for. */
function useEffectSettings(): { readonly video: VideoEffects; readonly noiseSuppression: boolean } {
  const { background, ownBackground, lowLight } = useAppStore(
    useShallow(({ settings }) => ({
      background: settings.background,
      ownBackground: settings.ownBackground,
      lowLight: settings.lowLight,
    })),
  );
  const suppression = useAppStore((s) => noiseSuppression(s.settings, s.managed).on);
  const video = useMemo(() => ({ background, ownBackground, lowLight }), [background, ownBackground, lowLight]);
  return { video, noiseSuppression: suppression };
}

/**
 * Runs one change at a time per track, in order: a click while the segmenter still loads waits
 * for it instead of racing it.
 */
function useQueue(): (work: () => Promise<void>) => Promise<void> {
  const tail = useRef<Promise<void>>(Promise.resolve());
  return (work) => {
    const next = tail.current.then(work);
    tail.current = next.catch(() => undefined);
    return next;
  };
}

/** Keeps the processors on these local tracks in step with the effect settings; `onError` must be stable. */
export function useMediaEffects(
  tracks: { readonly video: LocalVideoTrack | undefined; readonly audio: LocalAudioTrack | undefined },
  onError: (message: string) => void,
): void {
  const effects = useEffectSettings();
  const videoQueue = useQueue();
  const audioQueue = useQueue();
  const { video, audio } = tracks;
  useEffect(() => {
    if (video === undefined) return;
    videoQueue(() => applyVideoEffects(video, effects.video)).catch((e: unknown) =>
      onError(translateNow('media.videoUnavailable', { reason: errorText(e) })),
    );
  }, [video, effects.video, onError]);
  useEffect(() => {
    if (audio === undefined) return;
    audioQueue(() => applyNoiseSuppression(audio, effects.noiseSuppression)).catch((e: unknown) =>
      onError(translateNow('media.noiseUnavailable', { reason: errorText(e) })),
    );
  }, [audio, effects.noiseSuppression, onError]);
}
