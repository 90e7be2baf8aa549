import { useState } from 'react';
import type { CallControl } from '../call/callControl.ts';
import { useSelf } from '../collab/MeetingCollab.tsx';
import { errorText } from '../ui/errorText.ts';
import { useRecording, useRecordingActions } from './RecordingContext.tsx';
import { unavailableText } from './recordingState.ts';
import { useT } from '../i18n/useT.ts';

/**
 * The hosts' control that starts and stops recording (none for anyone else). Unavailable, it says
 * why: an end-to-end encrypted meeting, or recording turned off by the organisation or IT. A
 * refusal reaches `onError`, the call's alert.
 */
export function useRecordControl(onError: (message: string) => void): CallControl<'record'>[] {
  const { isHost } = useSelf();
  const t = useT();
  const active = useRecording((s) => s.active);
  const unavailable = useRecording((s) => s.unavailable);
  const { start, stop } = useRecordingActions();
  const [busy, setBusy] = useState(false);
  if (!isHost) return [];
  const recording = active !== null;
  return [
    {
      id: 'record',
      label: t(recording ? 'recording.stop' : 'recording.record'),
      icon: 'record',
      pressed: recording,
      busy,
      ...(active?.starting === true ? { title: t('recording.starting') } : {}),
      ...(unavailable === null || recording ? {} : { unavailable: unavailableText(unavailable, t) }),
      onClick: () => {
        setBusy(true);
        (recording ? stop() : start())
          .catch((e: unknown) =>
            onError(t(recording ? 'recording.stopFailed' : 'recording.startFailed', { reason: errorText(e, t) })),
          )
          .finally(() => setBusy(false));
      },
    },
  ];
}
