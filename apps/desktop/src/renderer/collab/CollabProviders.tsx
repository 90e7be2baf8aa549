import type { ReactNode } from 'react';
import { RecordingProvider } from '../recording/RecordingContext.tsx';
import { AnnotationsProvider } from './annotations/AnnotationsContext.tsx';
import { MeetingCollabProvider } from './MeetingCollab.tsx';
import { SpotlightFollower } from './MeetingPanel.tsx';
import { ReactionsProvider } from './Reactions.tsx';
import { WhiteboardProvider } from '../whiteboard/WhiteboardContext.tsx';

/** Everything collaboration (and recording) needs around a connected call, in one place for CallView to mount. */
export function CollabProviders({
  meetingId,
  title,
  encrypted,
  joinCode,
  onError,
  children,
}: {
  readonly meetingId: string;
  readonly title: string;
  /** End-to-end encrypted: the call has no whiteboard (the server would have to keep it). */
  readonly encrypted: boolean;
  readonly joinCode: string;
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  return (
    <AnnotationsProvider onError={onError}>
      <MeetingCollabProvider meetingId={meetingId} joinCode={joinCode} onError={onError}>
        <ReactionsProvider>
          <RecordingProvider meetingId={meetingId} onError={onError}>
            <WhiteboardProvider meetingId={meetingId} title={title} encrypted={encrypted} onError={onError}>
              <SpotlightFollower />
              {children}
            </WhiteboardProvider>
          </RecordingProvider>
        </ReactionsProvider>
      </MeetingCollabProvider>
    </AnnotationsProvider>
  );
}
