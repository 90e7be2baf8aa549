import type { MeetingType } from '@tandem/shared';
import { useEffect, useState } from 'react';
import { useClient } from '../ClientContext.ts';

/** Whether the meeting is a webinar or a meeting, once the server said (undefined until then, or if it cannot). */
export function useMeetingType(meetingId: string): MeetingType | undefined {
  const client = useClient();
  const [type, setType] = useState<MeetingType | undefined>();
  useEffect(() => {
    let current = true;
    client.meetingsGet({ params: { meetingId }, body: {} }).then(
      (meeting) => {
        if (current) setType(meeting.type);
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, meetingId]);
  return type;
}
