import type { UpdateUserRequest, User } from '@tandem/shared';
import type { Livekit } from '../livekit/index.ts';
import type { Store, UserPatch } from '../store/index.ts';
import { meetingOfBreakoutRoom } from './breakouts.ts';
import { type Caller, isOrgAdmin, nowIso } from './context.ts';
import { badRequest, conflict, forbidden, found } from './errors.ts';
import { meetingOfRoom, type MeetingService } from './meetings.ts';
import type { PresenceService } from './presence.ts';
import type { Realtime } from './realtime.ts';

/** Owners and admins manage people; only an owner changes an owner or makes one. */
function mayChange(caller: Caller, current: User, patch: UserPatch): void {
  if (!isOrgAdmin(caller)) throw forbidden('only owners and admins change people');
  if (caller.user.role !== 'owner' && (current.role === 'owner' || patch.role === 'owner'))
    throw forbidden('only an owner changes an owner or makes one');
}

/** An organisation keeps one active owner: the last one is neither demoted nor deactivated. */
function keepsAnOwner(current: User, patch: UserPatch, activeOwners: number): void {
  const wasOwner = current.role === 'owner' && current.status === 'active';
  const staysOwner = (patch.role ?? current.role) === 'owner' && (patch.status ?? current.status) === 'active';
  if (wasOwner && !staysOwner && activeOwners <= 1)
    throw conflict('the organisation’s last owner stays an active owner; make someone else an owner first');
}

/**
 * Changing people: roles, names, and offboarding. Deactivation is one transaction in the store
 * (the person marked, every session revoked); then their live WebSockets close with the
 * `deactivated` reason, they go offline for the organisation, their waiting lobby entries are
 * removed (hosts' lobbies update) and LiveKit drops them from every room of the organisation's
 * meetings. Their record stays, so what they wrote keeps its author.
 */
export function peopleService(
  store: Store,
  livekit: Livekit,
  realtime: Realtime,
  presence: PresenceService,
  meetings: Pick<MeetingService, 'deactivated'>,
) {
  async function change(caller: Caller, userId: string, patch: UserPatch) {
    const changed = await store.identity.changeUser(
      caller.user.organisationId,
      userId,
      (current, activeOwners) => {
        mayChange(caller, current, patch);
        keepsAnOwner(current, patch, activeOwners);
        return patch;
      },
      nowIso(),
    );
    return found(changed, 'user');
  }

  /** Every room of the organisation's meetings (main and breakout) that LiveKit holds open. */
  async function removeFromRooms(organisationId: string, userId: string): Promise<void> {
    const meetings = new Set((await store.meetings.list(organisationId)).map((m) => m.id));
    for (const room of await livekit.openRooms()) {
      const meetingId = meetingOfRoom(room) ?? meetingOfBreakoutRoom(room);
      if (meetingId !== undefined && meetings.has(meetingId)) await livekit.remove(room, userId);
    }
  }

  return {
    async update(caller: Caller, userId: string, req: UpdateUserRequest): Promise<User> {
      const { before, after } = await change(caller, userId, {
        ...(req.role === undefined ? {} : { role: req.role }),
        ...(req.name === undefined ? {} : { name: req.name }),
      });
      // Open connections were authenticated with the old role; they come back with the new one.
      if (before.role !== after.role) realtime.endUser(userId, 'role_changed');
      return after;
    },

    /** Idempotent: deactivating again repeats the removal from LiveKit (say, after it was unreachable). */
    async deactivate(caller: Caller, userId: string): Promise<User> {
      if (userId === caller.user.id) throw badRequest('you cannot deactivate yourself');
      const { after, endedSessions } = await change(caller, userId, { status: 'deactivated' });
      for (const sessionId of endedSessions) realtime.endSession(sessionId, 'deactivated');
      await presence.deactivated(after.organisationId, after.id);
      await meetings.deactivated(after.organisationId, after.id);
      await removeFromRooms(after.organisationId, after.id);
      return after;
    },

    async reactivate(caller: Caller, userId: string): Promise<User> {
      return (await change(caller, userId, { status: 'active' })).after;
    },
  };
}

export type PeopleService = ReturnType<typeof peopleService>;
