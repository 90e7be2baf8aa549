import { useRoomContext } from '@livekit/components-react';
import { CAPTIONS_TOPIC, CaptionMessageSchema } from '@tandem/shared';
import { RoomEvent } from 'livekit-client';
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { useClient } from '../ClientContext.ts';
import { errorText } from '../ui/errorText.ts';
import { addCaption, initialCaptionsState, type CaptionsState } from './captionsState.ts';
import { translateNow } from '../i18n/current.ts';

const CaptionsContext = createContext<StoreApi<CaptionsState> | undefined>(undefined);
const decoder = new TextDecoder();

/**
 * The call's captions (see captionsState.ts): whether the meeting has them (asked once; asking
 * also brings the server's transcriber into the call), and the captions the server sends on the
 * `tandem.captions` data topic, whoever speaks. Each person shows them or not for themselves.
 */
export function CaptionsProvider({
  meetingId,
  onError,
  children,
}: {
  readonly meetingId: string;
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  const client = useClient();
  const room = useRoomContext();
  const [store, setStore] = useState<StoreApi<CaptionsState> | null>(null);
  useEffect(() => {
    const s = createStore<CaptionsState>()(() => initialCaptionsState);
    setStore(s);
    // The server sends captions itself: they come without a sending participant.
    const listener = (payload: Uint8Array, _sender?: unknown, _kind?: unknown, topic?: string) => {
      if (topic !== CAPTIONS_TOPIC) return;
      let json: unknown;
      try {
        json = JSON.parse(decoder.decode(payload));
      } catch {
        return;
      }
      const caption = CaptionMessageSchema.safeParse(json);
      if (caption.success) s.setState((state) => addCaption(state, caption.data));
    };
    room.on(RoomEvent.DataReceived, listener);
    client.captionsStatus({ params: { meetingId }, body: {} }).then(
      (status) => s.setState({ unavailable: status.unavailable }),
      (e: unknown) => onError(translateNow('captions.stateFailed', { reason: errorText(e) })),
    );
    return () => {
      room.off(RoomEvent.DataReceived, listener);
    };
  }, [client, room, meetingId, onError]);
  return store === null ? null : <CaptionsContext.Provider value={store}>{children}</CaptionsContext.Provider>;
}

function useCaptionsStore(): StoreApi<CaptionsState> {
  const store = useContext(CaptionsContext);
  if (store === undefined) throw new Error('captions hooks must be used inside CaptionsProvider');
  return store;
}

export function useCaptions<T>(selector: (state: CaptionsState) => T): T {
  return useStore(useCaptionsStore(), selector);
}

/** Shows or hides the captions, for this person only. */
export function useToggleCaptions(): () => void {
  const store = useCaptionsStore();
  return () => store.setState((s) => ({ shown: !s.shown }));
}
