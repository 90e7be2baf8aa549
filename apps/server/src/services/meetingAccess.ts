import type { Meeting, User } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';
import { forbidden, found } from './errors.ts';

/**
 * Who may see and do what in a meeting's collaboration features. Every lookup is scoped to the
 * caller's organisation first, so another organisation's meeting answers 404 before any rule runs.
 */
export function meetingAccess(store: Store) {
  const meeting = async (caller: Caller, meetingId: string): Promise<Meeting> =>
    found(await store.meetings.get(caller.user.organisationId, meetingId), 'meeting');

  /** The owner and the organisation's owners and admins, as in the lobby. */
  async function hosts(m: Meeting): Promise<Set<string>> {
    const users = await store.identity.listUsers(m.organisationId);
    return new Set([m.ownerId, ...users.filter((u) => u.role === 'owner' || u.role === 'admin').map((u) => u.id)]);
  }

  /** `denied` and `removed` are final for a meeting: no token of any of its rooms, no say in it. */
  async function barred(m: Meeting, userId: string): Promise<boolean> {
    const entry = await store.meetings.entryOf(m.id, userId);
    return entry?.status === 'denied' || entry?.status === 'removed';
  }

  const isHost = (user: User, m: Meeting): boolean =>
    m.ownerId === user.id || user.role === 'owner' || user.role === 'admin';

  return {
    meeting,
    hosts,
    isHost,

    async asHost(caller: Caller, meetingId: string): Promise<Meeting> {
      const m = await meeting(caller, meetingId);
      if (!isHost(caller.user, m)) throw forbidden('only hosts may do this');
      return m;
    },

    barred,

    /** Hosts, people the lobby admitted, and people assigned to a breakout room; never the denied or removed. */
    async asParticipant(caller: Caller, meetingId: string): Promise<Meeting> {
      const m = await meeting(caller, meetingId);
      if (isHost(caller.user, m)) return m;
      const entry = await store.meetings.entryOf(m.id, caller.user.id);
      if (entry?.status === 'denied' || entry?.status === 'removed')
        throw forbidden(`you were ${entry.status} from this meeting`);
      if (entry?.status === 'admitted') return m;
      const session = await store.collab.breakouts.session(m.id);
      if (session?.rooms.some((r) => r.participantIds.includes(caller.user.id))) return m;
      throw forbidden('join the meeting first');
    },

    /** Everyone who hears the meeting's collaboration events. */
    async audience(m: Meeting): Promise<Set<string>> {
      const people = await hosts(m);
      for (const e of await store.meetings.listEntries(m.id, 'admitted')) people.add(e.userId);
      const session = await store.collab.breakouts.session(m.id);
      for (const r of session?.rooms ?? []) for (const id of r.participantIds) people.add(id);
      return people;
    },
  };
}

export type MeetingAccess = ReturnType<typeof meetingAccess>;
