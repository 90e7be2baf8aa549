import { useLocalParticipant } from '@livekit/components-react';
import { useEffect } from 'react';
import { useClient } from '../ClientContext.ts';
import { errorText } from '../ui/errorText.ts';

/**
 * The global shortcuts (main's `shell:command`, pressed while another app may be in front) act
 * on this call: mute or unmute, camera on or off, as the control bar's buttons would.
 */
export function useShortcutCommands(onError: (message: string) => void): void {
  const client = useClient();
  const { localParticipant } = useLocalParticipant();
  useEffect(
    () =>
      client.onShellCommand(({ command }) => {
        const toggled =
          command === 'toggleMute'
            ? localParticipant.setMicrophoneEnabled(!localParticipant.isMicrophoneEnabled)
            : command === 'toggleCamera'
              ? localParticipant.setCameraEnabled(!localParticipant.isCameraEnabled)
              : null;
        toggled?.catch((e: unknown) => onError(errorText(e)));
      }),
    [client, localParticipant, onError],
  );
}
