import type { Calendar, LinkedMeeting, LinkedMeetingRead, TandemClient } from '@tandem/shared';

/** What the linked-meeting components ask of main; every call goes through the one bridge. */
export type LinkedController = {
  join(meeting: LinkedMeeting): Promise<{ readonly opened: 'native' | 'web'; readonly url: string }>;
  calendar(from: Date, to: Date): Promise<Calendar>;
  get(meetingId: string): Promise<LinkedMeetingRead>;
};

export function createLinkedController(
  client: Pick<TandemClient, 'linkedJoin' | 'linkedCalendar' | 'linkedGet'>,
): LinkedController {
  return {
    join: (meeting) => client.linkedJoin({ meeting }),
    calendar: (from, to) => client.linkedCalendar({ from: from.toISOString(), to: to.toISOString() }),
    get: (meetingId) => client.linkedGet({ meetingId }),
  };
}
