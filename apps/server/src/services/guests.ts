import type { Conversation, Decision, LobbyEntry, Meeting, User } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';

/**
 * How a caller stands in one meeting. People of the organisation (and the meeting's own owner)
 * are `member`: the guest rules do not limit them (the lobby and the host rules still do). For a
 * guest, a `denied` or `removed` lobby entry outweighs everything, an invitation included.
 */
export type Standing = 'member' | 'admitted' | 'invited' | 'waiting' | 'none';

/** Sees the meeting itself (GET /meetings/:id, its join code): invited, waiting or admitted. */
export const mayRead = (s: Standing): boolean => s !== 'none';
/** Reads and uses what happens in it (attendance, participants, polls, Q&A, hands, breakouts, linked): invited or admitted. */
export const mayTakePart = (s: Standing): boolean => s === 'member' || s === 'admitted' || s === 'invited';
/** Holds a LiveKit token of any of its rooms: only once the lobby admitted them (members: see `meetings.join`). */
export const mayHoldToken = (s: Standing): boolean => s === 'member' || s === 'admitted';

/**
 * Guests are people from outside let into particular meetings. They see those meetings (and
 * the ones they are waiting for), the chat and decisions of meetings they were admitted to, and
 * themselves; nothing organisation-wide. Everyone else sees their whole organisation (but lists
 * only the meetings they own or are invited to: see `meetings.ts`).
 *
 * A guest's standing comes from the hosts: an invitation, or a lobby entry. A guest cannot give
 * itself standing: without it, a meeting answers 404 to every read and to `join` (see
 * `meetingAccess.ts`), and a guest with standing always waits in the lobby until admitted.
 */
export function guestRules(store: Store) {
  const isGuest = (caller: Caller): boolean => caller.user.role === 'guest';

  function standingIn(user: User, meeting: Meeting, entry: LobbyEntry | undefined): Standing {
    if (user.role !== 'guest' || meeting.ownerId === user.id) return 'member';
    const status = entry?.status;
    switch (status) {
      case 'denied':
      case 'removed':
        return 'none';
      case 'admitted':
        return 'admitted';
      case 'waiting':
      case undefined:
        if (meeting.invitees.includes(user.id)) return 'invited';
        return status === 'waiting' ? 'waiting' : 'none';
      default: {
        const never: never = status;
        throw new Error(`unhandled lobby status ${String(never)}`);
      }
    }
  }

  async function admittedTo(caller: Caller, meetingId: string | null): Promise<boolean> {
    if (meetingId === null) return false;
    return (await store.meetings.entryOf(meetingId, caller.user.id))?.status === 'admitted';
  }

  return {
    isGuest,

    /** A person's standing in a meeting of their own organisation (the caller scoped the lookup already). */
    async standing(user: User, meeting: Meeting): Promise<Standing> {
      if (user.role !== 'guest') return 'member';
      return standingIn(user, meeting, await store.meetings.entryOf(meeting.id, user.id));
    },

    async mayReadConversation(caller: Caller, conversation: Conversation): Promise<boolean> {
      return !isGuest(caller) || admittedTo(caller, conversation.meetingId);
    },

    async mayReadDecision(caller: Caller, decision: Decision): Promise<boolean> {
      return !isGuest(caller) || admittedTo(caller, decision.meetingId);
    },

    /** The meetings a guest may read, by the same standing as one read (one lookup of its entries). */
    async visibleMeetings(caller: Caller, meetings: readonly Meeting[]): Promise<Meeting[]> {
      if (!isGuest(caller)) return [...meetings];
      const entries = new Map((await store.meetings.entriesOf(caller.user.id)).map((e) => [e.meetingId, e]));
      return meetings.filter((m) => mayRead(standingIn(caller.user, m, entries.get(m.id))));
    },
  };
}

export type GuestRules = ReturnType<typeof guestRules>;
