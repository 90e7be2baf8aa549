import { useRoomContext, useTracks } from '@livekit/components-react';
import { RoomEvent, Track } from 'livekit-client';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { capturedSourceId } from '../../call/screenShare.ts';
import { useClient } from '../../ClientContext.ts';
import { isHostParticipant } from '../roomData.ts';
import { attachAnnotations, type AnnotationActions } from './annotationSync.ts';
import { initialState, type AnnotationState } from './model.ts';
import { mirrorToOverlay } from './overlaySync.ts';

/** A drawing's state and actions: the shared screen's here; the whiteboard provides its own (whiteboard/). */
export type Annotations = { readonly store: StoreApi<AnnotationState>; readonly actions: AnnotationActions };

/** What the drawing hooks, `AnnotationLayer` and the tools read: the nearest drawing. */
export const AnnotationsContext = createContext<Annotations | undefined>(undefined);

const SHARE_EVENTS = [
  RoomEvent.LocalTrackPublished,
  RoomEvent.LocalTrackUnpublished,
  RoomEvent.TrackPublished,
  RoomEvent.TrackUnpublished,
  RoomEvent.ParticipantDisconnected,
];

/**
 * Annotation for the call in the Room context: one store per call, wired to the Room while it is
 * mounted, following whoever shares a screen (the first share, when several do).
 */
export function AnnotationsProvider({
  onError,
  children,
}: {
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  const room = useRoomContext();
  const shares = useTracks([{ source: Track.Source.ScreenShare, withPlaceholder: false }], {
    updateOnlyOn: SHARE_EVENTS,
  });
  const share = shares[0];
  const sharerId = share?.participant.identity ?? null;
  const sharedTrack = share?.participant.isLocal ? share.publication?.track?.mediaStreamTrack : undefined;
  // Set only for our own share from the picker (Electron); the overlay shows over that source.
  const overlaySourceId = sharedTrack === undefined ? null : capturedSourceId(sharedTrack);
  const [annotations, setAnnotations] = useState<(Annotations & { setSharer(id: string | null): void }) | null>(null);
  const client = useClient();

  useEffect(() => {
    const local = room.localParticipant;
    const store = createStore<AnnotationState>()(() => initialState(local.identity, isHostParticipant(local)));
    const attached = attachAnnotations(room, store, onError);
    setAnnotations({ store, actions: attached.actions, setSharer: attached.setSharer });
    return () => attached.detach();
  }, [room, onError]);

  useEffect(() => {
    annotations?.setSharer(sharerId);
  }, [annotations, sharerId]);

  // Closed when our share ends, the call ends (unmount) or the share moves to another source.
  useEffect(() => {
    if (annotations === null || overlaySourceId === null) return;
    return mirrorToOverlay(client, annotations.store, overlaySourceId);
  }, [client, annotations, overlaySourceId]);

  return annotations === null ? null : (
    <AnnotationsContext.Provider value={annotations}>{children}</AnnotationsContext.Provider>
  );
}

function useAnnotationsContext(): Annotations {
  const value = useContext(AnnotationsContext);
  if (value === undefined) throw new Error('annotation hooks must be used inside AnnotationsProvider');
  return value;
}

export function useAnnotations<T>(selector: (state: AnnotationState) => T): T {
  return useStore(useAnnotationsContext().store, selector);
}

export function useAnnotationActions(): AnnotationActions {
  return useAnnotationsContext().actions;
}
