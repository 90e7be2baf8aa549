import type { Meeting, User } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';
import { forbidden, notFound } from './errors.ts';
import { guestRules, mayHoldToken, mayRead, mayTakePart, type Standing } from './guests.ts';

/**
 * Who may see and do what in a meeting. Every lookup is scoped to the caller's organisation
 * first, then to the caller's standing in the meeting (see `guests.ts`): a meeting the caller
 * may not see answers 404, exactly like one that does not exist or belongs to another
 * organisation, before any other rule runs. Every meeting-scoped service looks meetings up here.
 */
export function meetingAccess(store: Store) {
  const guests = guestRules(store);

  async function standingFor(caller: Caller, m: Meeting | undefined, may: (s: Standing) => boolean): Promise<Meeting> {
    if (m === undefined || !may(await guests.standing(caller.user, m))) throw notFound('meeting');
    return m;
  }

  /** The meeting, to take part in it: its collaboration features, and (for hosts) running it. */
  const meeting = async (caller: Caller, meetingId: string): Promise<Meeting> =>
    standingFor(caller, await store.meetings.get(caller.user.organisationId, meetingId), mayTakePart);

  /** The owner and the organisation's owners and admins, as in the lobby. */
  async function hosts(m: Meeting): Promise<Set<string>> {
    const users = await store.identity.withRoles(m.organisationId, ['owner', 'admin']);
    return new Set([m.ownerId, ...users.map((u) => u.id)]);
  }

  const isHost = (user: User, m: Meeting): boolean =>
    m.ownerId === user.id || user.role === 'owner' || user.role === 'admin';

  /**
   * Whether `user` may hold no token of any of the meeting's rooms: `denied` and `removed` are
   * final for everyone, and a guest holds one only once the lobby admitted it.
   */
  async function barred(m: Meeting, user: User): Promise<boolean> {
    const entry = await store.meetings.entryOf(m.id, user.id);
    if (entry?.status === 'denied' || entry?.status === 'removed') return true;
    return !mayHoldToken(await guests.standing(user, m));
  }

  return {
    meeting,

    /** The meeting itself, as the lobby shows it: also to a guest still waiting there. */
    known: async (caller: Caller, meetingId: string): Promise<Meeting> =>
      standingFor(caller, await store.meetings.get(caller.user.organisationId, meetingId), mayRead),

    /** The meeting behind a join code, to those who may see it (a code gives a guest no standing). */
    byCode: async (caller: Caller, code: string): Promise<Meeting> =>
      standingFor(caller, await store.meetings.byJoinCode(caller.user.organisationId, code), mayRead),

    /** The meetings of `all` the caller may see. */
    visible: (caller: Caller, all: readonly Meeting[]): Promise<Meeting[]> => guests.visibleMeetings(caller, all),

    /** A guest always goes through the lobby, whether or not the meeting has one for its own people. */
    throughLobby: (caller: Caller, m: Meeting): boolean => m.settings.lobby || guests.isGuest(caller),

    hosts,
    isHost,

    async asHost(caller: Caller, meetingId: string): Promise<Meeting> {
      const m = await meeting(caller, meetingId);
      if (!isHost(caller.user, m)) throw forbidden('only hosts may do this');
      return m;
    },

    barred,

    /**
     * Hosts, people the lobby admitted, and people of the organisation assigned to a breakout
     * room; never the denied or removed, and never a guest the lobby has not admitted.
     */
    async asParticipant(caller: Caller, meetingId: string): Promise<Meeting> {
      const m = await meeting(caller, meetingId);
      if (isHost(caller.user, m)) return m;
      const entry = await store.meetings.entryOf(m.id, caller.user.id);
      if (entry?.status === 'denied' || entry?.status === 'removed')
        throw forbidden(`you were ${entry.status} from this meeting`);
      if (entry?.status === 'admitted') return m;
      // A host seats people of the organisation in breakout rooms; a guest takes part only once admitted.
      const session = await store.collab.breakouts.session(m.id);
      if (!guests.isGuest(caller) && session?.rooms.some((r) => r.participantIds.includes(caller.user.id))) return m;
      throw forbidden('join the meeting first');
    },

    /** Everyone who hears the meeting's collaboration events (a guest only once admitted). */
    async audience(m: Meeting): Promise<Set<string>> {
      const people = await hosts(m);
      for (const e of await store.meetings.listEntries(m.id, 'admitted')) people.add(e.userId);
      const session = await store.collab.breakouts.session(m.id);
      const assigned = new Set((session?.rooms ?? []).flatMap((r) => r.participantIds));
      if (assigned.size > 0) {
        const guestIds = new Set(
          (await store.identity.usersIn(m.organisationId, [...assigned]))
            .filter((u) => u.role === 'guest')
            .map((u) => u.id),
        );
        for (const id of assigned) if (!guestIds.has(id)) people.add(id);
      }
      return people;
    },
  };
}

export type MeetingAccess = ReturnType<typeof meetingAccess>;
