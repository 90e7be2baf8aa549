import { useState } from 'react';
import type { CallControl } from '../call/callControl.ts';
import { useSelf } from '../collab/MeetingCollab.tsx';
import { errorText } from '../ui/errorText.ts';
import { useRecording, useRecordingActions } from './RecordingContext.tsx';
import { unavailableText } from './recordingState.ts';

/**
 * The hosts' control that starts and stops recording (none for anyone else). Unavailable, it says
 * why: an end-to-end encrypted meeting, or recording turned off by the organisation or IT. A
 * refusal reaches `onError`, the call's alert.
 */
export function useRecordControl(onError: (message: string) => void): CallControl<'record'>[] {
  const { isHost } = useSelf();
  const active = useRecording((s) => s.active);
  const unavailable = useRecording((s) => s.unavailable);
  const { start, stop } = useRecordingActions();
  const [busy, setBusy] = useState(false);
  if (!isHost) return [];
  const recording = active !== null;
  return [
    {
      id: 'record',
      label: recording ? 'Stop recording' : 'Record',
      icon: 'record',
      pressed: recording,
      busy,
      ...(active?.starting === true ? { title: 'Recording is starting' } : {}),
      ...(unavailable === null || recording ? {} : { unavailable: unavailableText(unavailable) }),
      onClick: () => {
        setBusy(true);
        (recording ? stop() : start())
          .catch((e: unknown) => onError(`Could not ${recording ? 'stop' : 'start'} recording: ${errorText(e)}`))
          .finally(() => setBusy(false));
      },
    },
  ];
}
