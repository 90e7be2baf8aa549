import type { Calendar, LinkedMeeting, LinkedMeetingRead, LinkedMeetingRecord, TandemClient } from '@tandem/shared';

/** What the linked-meeting components ask of main; every call goes through the one bridge. */
export type LinkedController = {
  join(meeting: LinkedMeeting): Promise<{ readonly opened: 'native' | 'web'; readonly url: string }>;
  calendar(from: Date, to: Date): Promise<Calendar>;
  get(meetingId: string): Promise<LinkedMeetingRead>;
  /** Links pasted text to one of our meetings; listeners of `onChanged` reload what shows it. */
  attach(meetingId: string, text: string): Promise<LinkedMeetingRecord>;
  onChanged(listener: () => void): () => void;
};

export function createLinkedController(
  client: Pick<TandemClient, 'linkedJoin' | 'linkedCalendar' | 'linkedGet' | 'linkedAttach'>,
): LinkedController {
  const listeners = new Set<() => void>();
  return {
    join: (meeting) => client.linkedJoin({ meeting }),
    calendar: (from, to) => client.linkedCalendar({ from: from.toISOString(), to: to.toISOString() }),
    get: (meetingId) => client.linkedGet({ meetingId }),
    async attach(meetingId, text) {
      const record = await client.linkedAttach({ meetingId, text });
      for (const listener of listeners) listener();
      return record;
    },
    onChanged(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
