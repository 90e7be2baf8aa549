import { useLocalParticipant } from '@livekit/components-react';
import { webinarSeat, type Meeting, type ReactionMessage, type WebinarSeat } from '@tandem/shared';
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useClient } from '../ClientContext.ts';
import { isHostParticipant } from '../collab/roomData.ts';
import { useT } from '../i18n/useT.ts';
import { errorText } from '../ui/errorText.ts';

type Webinar = {
  /** The meeting as the server last told it (its stage follows `meeting.changed`). */
  readonly meeting: Meeting;
  /** Where we sit; null in a meeting that is not a webinar. */
  readonly seat: WebinarSeat | null;
  readonly userId: string;
  goLive(): Promise<boolean>;
  setPanelist(userId: string, panelist: boolean): Promise<boolean>;
  /** The audience's reaction, sent through the server (attendees publish nothing themselves). */
  react(emoji: ReactionMessage['emoji']): Promise<boolean>;
};

const WebinarContext = createContext<Webinar | undefined>(undefined);

/**
 * A webinar's stage for the call inside it: on air or in the backstage, who is on stage, and the
 * hosts' and the audience's actions. Around every call; in a meeting `seat` is null.
 */
export function WebinarProvider({
  meeting: joined,
  onError,
  children,
}: {
  readonly meeting: Meeting;
  readonly onError: (message: string) => void;
  readonly children: ReactNode;
}) {
  const t = useT();
  const client = useClient();
  const { localParticipant } = useLocalParticipant();
  const userId = localParticipant.attributes['userId'] ?? localParticipant.identity;
  // The server's hosts (the meeting's owner, the organisation's owners and admins) carry the host role.
  const host = isHostParticipant(localParticipant);
  const [meeting, setMeeting] = useState(joined);

  useEffect(
    () =>
      client.onMeetingLive((message) => {
        if (message.type === 'meeting.changed' && message.meeting.id === joined.id) setMeeting(message.meeting);
      }),
    [client, joined.id],
  );

  const value = useMemo<Webinar>(() => {
    const params = { meetingId: meeting.id };
    const run = async (what: string, request: () => Promise<unknown>): Promise<boolean> => {
      try {
        await request();
        return true;
      } catch (e) {
        onError(t('webinar.failed', { what, reason: errorText(e) }));
        return false;
      }
    };
    return {
      meeting,
      seat: meeting.type === 'webinar' ? webinarSeat(meeting, userId, host) : null,
      userId,
      goLive: () =>
        run(t('webinar.action.goLive'), async () =>
          setMeeting(await client.webinarGoLive({ params, body: { live: true } })),
        ),
      setPanelist: (who, panelist) =>
        run(panelist ? t('webinar.action.onStage') : t('webinar.action.back'), async () =>
          setMeeting(await client.webinarSetPanelist({ params: { ...params, userId: who }, body: { panelist } })),
        ),
      react: (emoji) => run(t('webinar.action.react'), () => client.webinarReact({ params, body: { emoji } })),
    };
  }, [client, meeting, userId, host, onError, t]);

  return <WebinarContext.Provider value={value}>{children}</WebinarContext.Provider>;
}

export function useWebinar(): Webinar {
  const value = useContext(WebinarContext);
  if (value === undefined) throw new Error('webinar hooks must be used inside WebinarProvider');
  return value;
}

/** Whether a participant of this call belongs to a webinar's audience, which the stage never shows. */
export function useIsAudience(): (participant: { readonly attributes: Readonly<Record<string, string>> }) => boolean {
  const { seat } = useWebinar();
  return (participant) => seat !== null && participant.attributes['role'] === 'viewer';
}
