import type { Attendance, Presence, PresenceStatus, RoomLifecycleEvent } from '@tandem/shared';
import type { Selectable } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

const toPresence = (r: Selectable<Database['presence']>): Presence => ({
  userId: r.user_id,
  status: r.status as PresenceStatus,
  meetingId: r.meeting_id,
  updatedAt: r.updated_at,
});

/** Presence, attendance and room lifecycle: what the server observes rather than what people write. */
export function activityStore(db: Db) {
  return {
    async setPresence(organisationId: string, p: Presence): Promise<void> {
      await db
        .insertInto('presence')
        .values({
          user_id: p.userId,
          organisation_id: organisationId,
          status: p.status,
          meeting_id: p.meetingId,
          updated_at: p.updatedAt,
        })
        .onConflict((oc) =>
          oc.column('user_id').doUpdateSet({ status: p.status, meeting_id: p.meetingId, updated_at: p.updatedAt }),
        )
        .execute();
    },

    /** Nobody is connected to a server that just started. */
    async resetConnected(at: string): Promise<void> {
      await db
        .updateTable('presence')
        .set({ status: 'offline', meeting_id: null, updated_at: at })
        .where('status', 'in', ['online', 'away'])
        .execute();
    },

    async presenceOf(userId: string): Promise<Presence | undefined> {
      const r = await db.selectFrom('presence').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return r === undefined ? undefined : toPresence(r);
    },

    /** Deactivated people are left out: they are no longer anyone to reach. */
    async listPresence(organisationId: string): Promise<Presence[]> {
      const rows = await db
        .selectFrom('presence')
        .innerJoin('users', 'users.id', 'presence.user_id')
        .selectAll('presence')
        .where('presence.organisation_id', '=', organisationId)
        .where('users.deactivated_at', 'is', null)
        .execute();
      return rows.map(toPresence);
    },

    async joined(meetingId: string, identity: string, userId: string | null, at: string): Promise<void> {
      await db
        .insertInto('attendance')
        .values({ meeting_id: meetingId, identity, user_id: userId, joined_at: at, left_at: null })
        .execute();
    },

    /** Closes the identity's open attendance rows in that meeting. */
    async left(meetingId: string, identity: string, at: string): Promise<void> {
      await db
        .updateTable('attendance')
        .set({ left_at: at })
        .where('meeting_id', '=', meetingId)
        .where('identity', '=', identity)
        .where('left_at', 'is', null)
        .execute();
    },

    async attendance(meetingId: string): Promise<Attendance[]> {
      const rows = await db
        .selectFrom('attendance')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        meetingId: r.meeting_id,
        identity: r.identity,
        userId: r.user_id,
        joinedAt: r.joined_at,
        leftAt: r.left_at,
      }));
    },

    async roomEvent(meetingId: string, event: RoomLifecycleEvent['event'], at: string): Promise<void> {
      await db.insertInto('room_events').values({ meeting_id: meetingId, event, at }).execute();
    },

    async roomEvents(meetingId: string): Promise<RoomLifecycleEvent[]> {
      const rows = await db
        .selectFrom('room_events')
        .select(['event', 'at'])
        .where('meeting_id', '=', meetingId)
        .orderBy('id')
        .execute();
      return rows.map((r) => ({ event: r.event as RoomLifecycleEvent['event'], at: r.at }));
    },
  };
}

export type ActivityStore = ReturnType<typeof activityStore>;
