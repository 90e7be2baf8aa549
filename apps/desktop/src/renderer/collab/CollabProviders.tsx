import type { ReactNode } from 'react';
import { RecordingProvider } from '../recording/RecordingContext.tsx';
import { AnnotationsProvider } from './annotations/AnnotationsContext.tsx';
import { MeetingCollabProvider } from './MeetingCollab.tsx';
import { SpotlightFollower } from './MeetingPanel.tsx';
import { ReactionsProvider } from './Reactions.tsx';

/** Everything collaboration (and recording) needs around a connected call, in one place for CallView to mount. */
export function CollabProviders({
  meetingId,
  joinCode,
  onError,
  children,
}: {
  readonly meetingId: string;
  readonly joinCode: string;
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  return (
    <AnnotationsProvider onError={onError}>
      <MeetingCollabProvider meetingId={meetingId} joinCode={joinCode} onError={onError}>
        <ReactionsProvider>
          <RecordingProvider meetingId={meetingId} onError={onError}>
            <SpotlightFollower />
            {children}
          </RecordingProvider>
        </ReactionsProvider>
      </MeetingCollabProvider>
    </AnnotationsProvider>
  );
}
