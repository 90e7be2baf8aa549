import type { LocalAudioTrack, LocalVideoTrack } from 'livekit-client';
import { createContext, useContext } from 'react';
import type { PreviewMedia } from './previewMedia.ts';

/** The camera and microphone before a call and handed to it, made by `main.tsx` (one per page). */
export type CallPreviewMedia = PreviewMedia<LocalVideoTrack, LocalAudioTrack>;

export const PreviewMediaContext = createContext<CallPreviewMedia | null>(null);

/** The page's preview media; outside `main.tsx`'s provider there is none, and that is a bug. */
export function usePreviewMedia(): CallPreviewMedia {
  const media = useContext(PreviewMediaContext);
  if (media === null) throw new Error('usePreviewMedia needs PreviewMediaContext (main.tsx provides it)');
  return media;
}
