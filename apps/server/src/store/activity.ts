import type { Attendance, ChosenStatus, PresenceStatus, RoomLifecycleEvent } from '@tandem/shared';
import { sql, type Selectable } from 'kysely';
import type { Db } from './db.ts';
import { inList } from './dialect.ts';
import type { Database } from './schema.ts';

/**
 * A person's presence as stored: what the server saw (`status`: online, away, in_meeting,
 * presenting, offline) and what they set by hand (a chosen status, until a time or until changed;
 * a status message). The service makes the `Presence` others see of it.
 */
export type PresenceRow = {
  readonly userId: string;
  readonly organisationId: string;
  readonly status: Exclude<PresenceStatus, 'busy' | 'dnd'>;
  readonly meetingId: string | null;
  readonly updatedAt: string;
  readonly chosen: ChosenStatus;
  readonly chosenUntil: string | null;
  readonly statusText: string | null;
};

/** Someone LiveKit's webhooks say is in a meeting's room (a visit not closed yet); `phone`: a phone call. */
export type OpenVisit = {
  readonly organisationId: string;
  readonly meetingId: string;
  readonly identity: string;
  readonly phone: boolean;
};

/** What a person set by hand. */
export type ManualPresence = Pick<PresenceRow, 'chosen' | 'chosenUntil' | 'statusText'>;

const toPresence = (r: Selectable<Database['presence']>): PresenceRow => ({
  userId: r.user_id,
  organisationId: r.organisation_id,
  status: r.status as PresenceRow['status'],
  meetingId: r.meeting_id,
  updatedAt: r.updated_at,
  chosen: r.chosen as ChosenStatus,
  chosenUntil: r.chosen_until,
  statusText: r.status_text,
});

/**
 * Records the LiveKit webhook `hook` as handled, in `db`: the transaction of the last write its
 * handling makes. False if it was already (delivered again, or at once to another instance): then
 * that write is not made again. Without a webhook (reconciliation's own findings), true.
 */
export async function handlingFirstIn(db: Db, hook: string | undefined): Promise<boolean> {
  if (hook === undefined) return true;
  const inserted = await db
    .insertInto('livekit_webhooks')
    .values({ id: hook, handled_at: new Date().toISOString() })
    .onConflict((c) => c.column('id').doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Presence, attendance and room lifecycle: what the server observes rather than what people write. */
export function activityStore(db: Db) {
  /** The organisation's presence rows of people not deactivated. */
  const reachable = (organisationId: string) =>
    db
      .selectFrom('presence')
      .innerJoin('users', 'users.id', 'presence.user_id')
      .selectAll('presence')
      .where('presence.organisation_id', '=', organisationId)
      .where('users.deactivated_at', 'is', null);

  return {
    /** What the server saw; what the person set by hand stays. */
    async setPresence(
      organisationId: string,
      p: Pick<PresenceRow, 'userId' | 'status' | 'meetingId' | 'updatedAt'>,
    ): Promise<void> {
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

    /** What the person set by hand; a person never seen connected is `offline` meanwhile. */
    async setManual(organisationId: string, userId: string, m: ManualPresence, at: string): Promise<void> {
      const manual = { chosen: m.chosen, chosen_until: m.chosenUntil, status_text: m.statusText, updated_at: at };
      await db
        .insertInto('presence')
        .values({ user_id: userId, organisation_id: organisationId, status: 'offline', meeting_id: null, ...manual })
        .onConflict((oc) => oc.column('user_id').doUpdateSet(manual))
        .execute();
    },

    /** Chosen statuses that end by themselves: the service tells everyone when they do. */
    async chosenEnding(): Promise<{ organisationId: string; userId: string; chosenUntil: string }[]> {
      const rows = await db
        .selectFrom('presence')
        .select(['organisation_id', 'user_id', 'chosen_until'])
        .where('chosen', '!=', 'available')
        .where('chosen_until', 'is not', null)
        .execute();
      return rows.map((r) => ({
        organisationId: r.organisation_id,
        userId: r.user_id,
        chosenUntil: r.chosen_until ?? '',
      }));
    },

    /** Nobody is connected to a server that just started. */
    async resetConnected(at: string): Promise<void> {
      await db
        .updateTable('presence')
        .set({ status: 'offline', meeting_id: null, updated_at: at })
        .where('status', 'in', ['online', 'away'])
        .execute();
    },

    async presenceOf(userId: string): Promise<PresenceRow | undefined> {
      const r = await db.selectFrom('presence').selectAll().where('user_id', '=', userId).executeTakeFirst();
      return r === undefined ? undefined : toPresence(r);
    },

    /**
     * These people's presence, of the organisation only (others are left out); deactivated people
     * are left out: they are no longer anyone to reach. One bound parameter however many ids (a
     * page's viewers, a skill's holders).
     */
    async listPresence(organisationId: string, userIds: readonly string[]): Promise<PresenceRow[]> {
      if (userIds.length === 0) return [];
      const rows = await reachable(organisationId)
        .where(inList(db, sql.ref('presence.user_id'), userIds))
        .execute();
      return rows.map(toPresence);
    },

    /** The organisation's presence by person, `limit` of it after `after` (null: from the first). */
    async presencePage(organisationId: string, after: string | null, limit: number): Promise<PresenceRow[]> {
      const rows = await reachable(organisationId)
        .$if(after !== null, (q) => q.where('presence.user_id', '>', after ?? ''))
        .orderBy('presence.user_id')
        .limit(limit)
        .execute();
      return rows.map(toPresence);
    },

    /**
     * `phone`: the participant is a phone call (LiveKit's SIP kind). `hook`: the LiveKit webhook
     * that says so, recorded as handled with the visit (none if it was already).
     */
    async joined(
      meetingId: string,
      identity: string,
      userId: string | null,
      at: string,
      { phone = false, hook }: { readonly phone?: boolean; readonly hook?: string } = {},
    ): Promise<void> {
      await db.transaction().execute(async (tx) => {
        if (!(await handlingFirstIn(tx, hook))) return;
        await tx
          .insertInto('attendance')
          .values({
            meeting_id: meetingId,
            identity,
            user_id: userId,
            joined_at: at,
            left_at: null,
            phone: phone ? 1 : 0,
          })
          .execute();
      });
    },

    /**
     * Closes the identity's open attendance rows in that meeting (one statement), or only those
     * that began by `joinedBy` (reconciliation). `hook`: the LiveKit webhook that says they left,
     * recorded as handled with the closing (nothing closed if it was already).
     */
    async left(
      meetingId: string,
      identity: string,
      at: string,
      { joinedBy, hook }: { readonly joinedBy?: string; readonly hook?: string } = {},
    ): Promise<void> {
      await db.transaction().execute(async (tx) => {
        if (!(await handlingFirstIn(tx, hook))) return;
        let update = tx
          .updateTable('attendance')
          .set({ left_at: at })
          .where('meeting_id', '=', meetingId)
          .where('identity', '=', identity)
          .where('left_at', 'is', null);
        if (joinedBy !== undefined) update = update.where('joined_at', '<=', joinedBy);
        await update.execute();
      });
    },

    /** Whether the LiveKit webhook `hook` was handled (its last write committed). */
    async handled(hook: string): Promise<boolean> {
      const row = await db.selectFrom('livekit_webhooks').select('id').where('id', '=', hook).executeTakeFirst();
      return row !== undefined;
    },

    /** Records the LiveKit webhook `hook` as handled, where its handling writes nothing else. */
    async markHandled(hook: string): Promise<void> {
      await handlingFirstIn(db, hook);
    },

    /** Forgets the LiveKit webhooks handled before `before` (LiveKit delivers none of them again). */
    async forgetHandled(before: string): Promise<void> {
      await db.deleteFrom('livekit_webhooks').where('handled_at', '<', before).execute();
    },

    /** Whether the identity has an open attendance row in that meeting that began after `joinedBy`. */
    async visitingSince(meetingId: string, identity: string, joinedBy: string): Promise<boolean> {
      const row = await db
        .selectFrom('attendance')
        .select('id')
        .where('meeting_id', '=', meetingId)
        .where('identity', '=', identity)
        .where('left_at', 'is', null)
        .where('joined_at', '>', joinedBy)
        .executeTakeFirst();
      return row !== undefined;
    },

    /**
     * Every organisation's open visits that began by `joinedBy`, each once per meeting and
     * identity (and kind), with the meeting's organisation: what reconciliation checks against LiveKit (a
     * job of the server's own; what it reads and writes next is scoped to each meeting's
     * organisation). The partial index of 037_open_visits keeps this off the closed rows.
     */
    async openVisits(joinedBy: string): Promise<OpenVisit[]> {
      const rows = await db
        .selectFrom('attendance')
        .innerJoin('meetings', 'meetings.id', 'attendance.meeting_id')
        .select(['meetings.organisation_id', 'attendance.meeting_id', 'attendance.identity', 'attendance.phone'])
        .distinct()
        .where('attendance.left_at', 'is', null)
        .where('attendance.joined_at', '<=', joinedBy)
        .orderBy('attendance.meeting_id')
        .execute();
      return rows.map((r) => ({
        organisationId: r.organisation_id,
        meetingId: r.meeting_id,
        identity: r.identity,
        phone: r.phone === 1,
      }));
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
