import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { createStore, useStore, type StoreApi } from 'zustand';
import { useClient } from '../ClientContext.ts';
import { useSelf } from '../collab/MeetingCollab.tsx';
import { errorText } from '../ui/errorText.ts';
import {
  applyRecordingLive,
  failureText,
  fromList,
  initialRecordingState,
  type RecordingState,
} from './recordingState.ts';
import { translateNow } from '../i18n/current.ts';

type RecordingCall = { readonly store: StoreApi<RecordingState>; readonly meetingId: string };

const RecordingContext = createContext<RecordingCall | undefined>(undefined);

/**
 * The call's recording state (see recordingState.ts): loaded from the meeting's recordings when
 * the call starts, kept current by `meeting:live`. A recording that fails while the call runs is
 * told to the hosts through `onError`, with why and whether its part was kept.
 */
export function RecordingProvider({
  meetingId,
  onError,
  children,
}: {
  readonly meetingId: string;
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  const client = useClient();
  const { isHost } = useSelf();
  const [value, setValue] = useState<RecordingCall | null>(null);
  useEffect(() => {
    const store = createStore<RecordingState>()(() => initialRecordingState(meetingId));
    setValue({ store, meetingId });
    const off = client.onMeetingLive((message) => {
      const before = store.getState();
      const after = applyRecordingLive(before, message);
      store.setState(after);
      if (isHost && after.failed !== null && after.failed !== before.failed) onError(failureText(after.failed));
    });
    client.recordingsList({ params: { meetingId }, body: {} }).then(
      (list) => store.setState((s) => fromList(s, list)),
      (e: unknown) => onError(translateNow('recording.stateFailed', { reason: errorText(e) })),
    );
    return off;
  }, [client, meetingId, isHost, onError]);
  return value === null ? null : <RecordingContext.Provider value={value}>{children}</RecordingContext.Provider>;
}

function useRecordingCall(): RecordingCall {
  const value = useContext(RecordingContext);
  if (value === undefined) throw new Error('recording hooks must be used inside RecordingProvider');
  return value;
}

export function useRecording<T>(selector: (state: RecordingState) => T): T {
  return useStore(useRecordingCall().store, selector);
}

/** Start and stop, for the call's hosts; the server refuses anyone else. */
export function useRecordingActions(): { start(): Promise<void>; stop(): Promise<void> } {
  const client = useClient();
  const { store, meetingId } = useRecordingCall();
  return {
    async start() {
      await client.recordingsStart({ params: { meetingId }, body: {} });
    },
    async stop() {
      const active = store.getState().active;
      if (active !== null) await client.recordingsStop({ params: { meetingId, recordingId: active.id }, body: {} });
    },
  };
}
