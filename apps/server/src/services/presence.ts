import type { Presence, PresenceStatus } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { type Caller, nowIso } from './context.ts';
import type { Realtime } from './realtime.ts';

/**
 * Presence rules: a person is `offline` with no open WebSocket, `in_meeting` while LiveKit says
 * they are in a room, else what they last said (`online` or `away`). Every change fans out to
 * their organisation.
 */
export function presenceService(store: Store, realtime: Realtime) {
  async function set(
    organisationId: string,
    userId: string,
    status: PresenceStatus,
    meetingId: string | null,
  ): Promise<Presence> {
    const presence: Presence = { userId, status, meetingId, updatedAt: nowIso() };
    await store.activity.setPresence(organisationId, presence);
    realtime.toOrg(organisationId, { type: 'presence', presence });
    return presence;
  }

  return {
    /** At start: connections did not survive the restart. */
    reset: (): Promise<void> => store.activity.resetConnected(nowIso()),

    /** Guests see only their own presence (see guests.ts). */
    async list(caller: Caller): Promise<Presence[]> {
      const all = await store.activity.listPresence(caller.user.organisationId);
      return caller.user.role === 'guest' ? all.filter((p) => p.userId === caller.user.id) : all;
    },

    /** What the person says; while in a meeting that stays visible until they leave it. */
    async declare(caller: Caller, status: 'online' | 'away'): Promise<Presence> {
      const current = await store.activity.presenceOf(caller.user.id);
      if (current?.status === 'in_meeting') return current;
      return set(caller.user.organisationId, caller.user.id, status, null);
    },

    async connected(caller: Caller): Promise<void> {
      const current = await store.activity.presenceOf(caller.user.id);
      if (current === undefined || current.status === 'offline')
        await set(caller.user.organisationId, caller.user.id, 'online', null);
    },

    async disconnected(caller: Caller): Promise<void> {
      if (realtime.isConnected(caller.user.id)) return;
      const current = await store.activity.presenceOf(caller.user.id);
      if (current?.status !== 'in_meeting') await set(caller.user.organisationId, caller.user.id, 'offline', null);
    },

    /** A deactivated person goes offline for those watching; the list leaves them out from now on. */
    async deactivated(organisationId: string, userId: string): Promise<void> {
      await set(organisationId, userId, 'offline', null);
    },

    async enteredMeeting(organisationId: string, userId: string, meetingId: string): Promise<void> {
      await set(organisationId, userId, 'in_meeting', meetingId);
    },

    /** Leaving a meeting (or being removed) goes back to online, or offline without a connection. */
    async leftMeeting(organisationId: string, userId: string, meetingId: string): Promise<void> {
      const current = await store.activity.presenceOf(userId);
      if (current !== undefined && current.meetingId !== meetingId) return;
      await set(organisationId, userId, realtime.isConnected(userId) ? 'online' : 'offline', null);
    },
  };
}

export type PresenceService = ReturnType<typeof presenceService>;
