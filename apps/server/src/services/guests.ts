import type { Conversation, Decision, Meeting } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';

/**
 * Guests are people from outside let into particular meetings. They see those meetings (and
 * the ones they are waiting for), the chat and decisions of meetings they were admitted to, and
 * themselves; nothing organisation-wide. Everyone else sees their whole organisation (but lists
 * only the meetings they own or are invited to: see `meetings.ts`).
 */
export function guestRules(store: Store) {
  const isGuest = (caller: Caller): boolean => caller.user.role === 'guest';

  async function admittedTo(caller: Caller, meetingId: string | null): Promise<boolean> {
    if (meetingId === null) return false;
    return (await store.meetings.entryOf(meetingId, caller.user.id))?.status === 'admitted';
  }

  return {
    isGuest,

    async mayReadConversation(caller: Caller, conversation: Conversation): Promise<boolean> {
      return !isGuest(caller) || admittedTo(caller, conversation.meetingId);
    },

    async mayReadDecision(caller: Caller, decision: Decision): Promise<boolean> {
      return !isGuest(caller) || admittedTo(caller, decision.meetingId);
    },

    async visibleMeetings(caller: Caller, meetings: readonly Meeting[]): Promise<Meeting[]> {
      if (!isGuest(caller)) return [...meetings];
      const mine = new Set(
        (await store.meetings.entriesOf(caller.user.id))
          .filter((e) => e.status === 'waiting' || e.status === 'admitted')
          .map((e) => e.meetingId),
      );
      return meetings.filter((m) => mine.has(m.id));
    },
  };
}

export type GuestRules = ReturnType<typeof guestRules>;
