import {
  ACTIVE_RECORDING_STATUSES,
  MeetingSettingsSchema,
  joinDeepLink,
  type Conversation,
  type LobbyEntry,
  type LobbyStatus,
  type Meeting,
  type MeetingSettings,
  type MeetingStatus,
  type MeetingType,
} from '@tandem/shared';
import { sql, type ExpressionBuilder, type Transaction } from 'kysely';
import { handlingFirstIn } from './activity.ts';
import type { Db } from './db.ts';
import { conversationRow } from './chat.ts';
import { queueEventIn } from './integrations.ts';
import { notesDueIn } from './notes.ts';
import type { Database } from './schema.ts';
import { recurrenceOf, type OccurrenceChange } from '../services/recurrence.ts';

type MeetingRow = Database['meetings'];

/** A join code's https link on this server (its public URL is known once it listens). */
export type WebJoinUrl = (code: string) => string;

const toMeeting = (
  r: MeetingRow,
  invitees: readonly string[],
  recording: Meeting['recording'],
  webJoinUrl: WebJoinUrl,
  promoted: readonly string[],
): Meeting => ({
  id: r.id,
  organisationId: r.organisation_id,
  title: r.title,
  ownerId: r.owner_id,
  personal: r.personal === 1,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  status: r.status as MeetingStatus,
  locked: r.locked === 1,
  settings: MeetingSettingsSchema.parse(JSON.parse(r.settings)),
  joinCode: r.join_code,
  joinUrl: joinDeepLink(r.join_code),
  webJoinUrl: webJoinUrl(r.join_code),
  conversationId: r.conversation_id,
  invitees: [...invitees],
  recording,
  timeZone: r.time_zone,
  recurrence: r.rrule === null ? null : recurrenceOf(r.rrule, r.time_zone),
  rrule: r.rrule,
  type: r.type as MeetingType,
  webinar: r.type === 'webinar' ? { liveSince: r.live_since, promoted: [...promoted] } : null,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const toEntry = (r: Database['lobby_entries'] & { name: string; role: string }): LobbyEntry => ({
  id: r.id,
  meetingId: r.meeting_id,
  userId: r.user_id,
  name: r.name,
  external: r.role === 'guest',
  status: r.status as LobbyStatus,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type MeetingPatch = {
  readonly title?: string;
  readonly startsAt?: string | null;
  readonly endsAt?: string | null;
  readonly settings?: MeetingSettings;
  readonly status?: MeetingStatus;
  readonly locked?: boolean;
  /** Replaces the whole list. */
  readonly invitees?: readonly string[];
  readonly timeZone?: string;
  /** A new rule (or none) drops the occurrences changed under the old one, but those in `keepOccurrences`. */
  readonly rrule?: string | null;
  /** With a new rule: the occurrences (by id) whose own changes stay, as they are still in it. */
  readonly keepOccurrences?: readonly string[];
  readonly type?: MeetingType;
  /** A webinar on air since then (null: back in the backstage). */
  readonly liveSince?: string | null;
  /** Its host ended it: its notes are due (notes.ts `notesDueIn`), in the same transaction. */
  readonly ended?: true;
  /** An attendee of a webinar brought on stage (`panelist: true`) or back to the audience. */
  readonly promotion?: { readonly userId: string; readonly panelist: boolean };
};

const meetingRow = (meeting: Meeting): MeetingRow => ({
  id: meeting.id,
  organisation_id: meeting.organisationId,
  owner_id: meeting.ownerId,
  title: meeting.title,
  personal: meeting.personal ? 1 : 0,
  starts_at: meeting.startsAt,
  ends_at: meeting.endsAt,
  status: meeting.status,
  locked: meeting.locked ? 1 : 0,
  settings: JSON.stringify(meeting.settings),
  join_code: meeting.joinCode,
  conversation_id: meeting.conversationId,
  created_at: meeting.createdAt,
  updated_at: meeting.updatedAt,
  time_zone: meeting.timeZone,
  rrule: meeting.rrule,
  type: meeting.type,
  live_since: meeting.webinar?.liveSince ?? null,
});

const toChange = (r: Database['meeting_occurrences']): OccurrenceChange => ({
  occurrenceId: r.occurrence_id,
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  title: r.title,
  cancelled: r.cancelled === 1,
  ...(r.by_exdate === 1 ? { byExdate: true } : {}),
});

/** Ids per query, well under SQLite's limit on bound parameters. */
const CHUNK = 500;

/** An entry shows the name chosen at join, else the account's. */
const shownName = (eb: ExpressionBuilder<Database, 'lobby_entries' | 'users'>) =>
  eb.fn.coalesce('lobby_entries.display_name', 'users.name').as('name');

export function meetingStore(db: Db, webJoinUrl: WebJoinUrl) {
  /** The rows as meetings, each with its invitees (by user id, in id order) and the recording running now. */
  async function withInvitees(q: Db | Transaction<Database>, rows: readonly MeetingRow[]): Promise<Meeting[]> {
    const invited = new Map<string, string[]>();
    const recording = new Map<string, NonNullable<Meeting['recording']>>();
    const promoted = new Map<string, string[]>();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const ids = rows.slice(i, i + CHUNK).map((r) => r.id);
      const found = await q
        .selectFrom('meeting_invitees')
        .select(['meeting_id', 'user_id'])
        .where('meeting_id', 'in', ids)
        .orderBy('user_id')
        .execute();
      for (const f of found) invited.set(f.meeting_id, [...(invited.get(f.meeting_id) ?? []), f.user_id]);
      const recorded = await q
        .selectFrom('recordings')
        .select(['meeting_id', 'id', 'created_at'])
        .where('meeting_id', 'in', ids)
        .where('status', 'in', ACTIVE_RECORDING_STATUSES)
        .execute();
      for (const r of recorded) recording.set(r.meeting_id, { id: r.id, since: r.created_at });
      const webinars = rows
        .slice(i, i + CHUNK)
        .filter((r) => r.type === 'webinar')
        .map((r) => r.id);
      const onStage =
        webinars.length === 0
          ? []
          : await q
              .selectFrom('webinar_promotions')
              .select(['meeting_id', 'user_id'])
              .where('meeting_id', 'in', webinars)
              .orderBy('promoted_at')
              .orderBy('user_id')
              .execute();
      for (const p of onStage) promoted.set(p.meeting_id, [...(promoted.get(p.meeting_id) ?? []), p.user_id]);
    }
    return rows.map((r) =>
      toMeeting(r, invited.get(r.id) ?? [], recording.get(r.id) ?? null, webJoinUrl, promoted.get(r.id) ?? []),
    );
  }

  async function one(row: MeetingRow | undefined): Promise<Meeting | undefined> {
    return row === undefined ? undefined : (await withInvitees(db, [row]))[0];
  }

  async function invite(tx: Transaction<Database>, meetingId: string, userIds: readonly string[]): Promise<void> {
    for (let i = 0; i < userIds.length; i += CHUNK) {
      const values = userIds.slice(i, i + CHUNK).map((userId) => ({ meeting_id: meetingId, user_id: userId }));
      await tx.insertInto('meeting_invitees').values(values).execute();
    }
  }

  async function putChange(
    tx: Transaction<Database>,
    meetingId: string,
    change: OccurrenceChange,
    now: string,
  ): Promise<void> {
    // An occurrence back as its rule has it is no longer changed on its own.
    if (!change.cancelled && change.startsAt === null && change.endsAt === null && change.title === null) {
      await tx
        .deleteFrom('meeting_occurrences')
        .where('meeting_id', '=', meetingId)
        .where('occurrence_id', '=', change.occurrenceId)
        .execute();
      return;
    }
    const values = {
      starts_at: change.startsAt,
      ends_at: change.endsAt,
      title: change.title,
      cancelled: change.cancelled ? 1 : 0,
      by_exdate: change.byExdate === true ? 1 : 0,
      updated_at: now,
    };
    await tx
      .insertInto('meeting_occurrences')
      .values({ meeting_id: meetingId, occurrence_id: change.occurrenceId, ...values })
      .onConflict((oc) => oc.columns(['meeting_id', 'occurrence_id']).doUpdateSet(values))
      .execute();
  }

  const entries = (meetingId: string, on: Db | Transaction<Database> = db) =>
    on
      .selectFrom('lobby_entries')
      .innerJoin('users', 'users.id', 'lobby_entries.user_id')
      .selectAll('lobby_entries')
      .select(shownName)
      .select('users.role as role')
      .where('lobby_entries.meeting_id', '=', meetingId);

  return {
    /**
     * The meeting, its chat conversation and its invitees are created together or not at all;
     * with `link` (which writes what links it in the same transaction), not at all when it
     * answers false. False: nothing stored.
     */
    async insert(
      meeting: Meeting,
      conversation: Conversation,
      link?: (tx: Transaction<Database>) => Promise<boolean>,
    ): Promise<boolean> {
      const refused = new Error('not linked');
      try {
        await db.transaction().execute(async (tx) => {
          await tx.insertInto('conversations').values(conversationRow(conversation)).execute();
          await tx.insertInto('meetings').values(meetingRow(meeting)).execute();
          await invite(tx, meeting.id, meeting.invitees);
          if (link !== undefined && !(await link(tx))) throw refused;
        });
        return true;
      } catch (error) {
        if (error === refused) return false;
        throw error;
      }
    },

    async get(organisationId: string, id: string): Promise<Meeting | undefined> {
      const r = await db
        .selectFrom('meetings')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return one(r);
    },

    /** Unscoped: only for LiveKit webhooks, which name a room, not a caller. */
    async getForRoom(id: string): Promise<Meeting | undefined> {
      return one(await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst());
    },

    /**
     * The meeting's room started or finished at `at` (a job of the server's own, like
     * `getForRoom`): the room event recorded, the meeting live or back to scheduled (only one still
     * scheduled or live: one its host ended stays ended), and its `meeting.started` or
     * `meeting.ended` webhooks queued (integrations.ts `queueEventIn`), an ended one's notes due
     * (notes.ts `notesDueIn`), and the LiveKit webhook
     * `hook` that reports it recorded as handled, in one transaction. The meeting as it is then;
     * undefined when there is none, or when `hook` was handled already (nothing changes).
     */
    async roomChanged(
      id: string,
      kind: 'room_started' | 'room_finished',
      at: string,
      hook?: string,
    ): Promise<Meeting | undefined> {
      return db.transaction().execute(async (tx) => {
        const before = await tx.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
        if (before === undefined || !(await handlingFirstIn(tx, hook))) return undefined;
        await tx.insertInto('room_events').values({ meeting_id: id, event: kind, at }).execute();
        // Only a meeting still scheduled or live, judged in the update itself (a host ending it meanwhile wins).
        const changed = await tx
          .updateTable('meetings')
          .set({ status: kind === 'room_started' ? 'live' : 'scheduled', updated_at: at })
          .where('id', '=', id)
          .where('status', 'in', ['scheduled', 'live'])
          .returningAll()
          .executeTakeFirst();
        // Not changed (ended, perhaps just now): as it is, read again.
        const row =
          changed ?? (await tx.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst()) ?? before;
        const [meeting] = await withInvitees(tx, [row]);
        if (meeting === undefined) return undefined;
        const type = kind === 'room_started' ? 'meeting.started' : 'meeting.ended';
        await queueEventIn(tx, meeting.organisationId, type, { meeting }, at);
        if (kind === 'room_finished') await notesDueIn(tx, meeting.organisationId, meeting.id, at);
        return meeting;
      });
    },

    /**
     * Every organisation's meetings live since `at` at the latest (and not changed after it):
     * what reconciliation checks against the rooms LiveKit holds, a job of the server's own like
     * `getForRoom`. The partial index of 041_reconcile_rooms holds only live meetings.
     */
    async liveBy(at: string): Promise<Meeting[]> {
      const rows = await db
        .selectFrom('meetings')
        .selectAll()
        .where('status', '=', 'live')
        .where('updated_at', '<=', at)
        .orderBy('updated_at')
        .execute();
      return withInvitees(db, rows);
    },

    /** A join link works across organisations (its holder may be from outside): codes are unique. */
    async byJoinCodeAnywhere(code: string): Promise<Meeting | undefined> {
      return one(await db.selectFrom('meetings').selectAll().where('join_code', '=', code).executeTakeFirst());
    },

    async byJoinCode(organisationId: string, code: string): Promise<Meeting | undefined> {
      const r = await db
        .selectFrom('meetings')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('join_code', '=', code)
        .executeTakeFirst();
      return one(r);
    },

    async personalOf(ownerId: string): Promise<Meeting | undefined> {
      const r = await db
        .selectFrom('meetings')
        .selectAll()
        .where('owner_id', '=', ownerId)
        .where('personal', '=', 1)
        .executeTakeFirst();
      return one(r);
    },

    /** Every meeting of the organisation. */
    async list(organisationId: string): Promise<Meeting[]> {
      const rows = await db
        .selectFrom('meetings')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .orderBy('starts_at')
        .orderBy('created_at')
        .execute();
      return withInvitees(db, rows);
    },

    /** The meetings of the organisation that `userId` owns (their personal room too) or is invited to. */
    async listFor(organisationId: string, userId: string): Promise<Meeting[]> {
      const rows = await db
        .selectFrom('meetings')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where((eb) =>
          eb.or([
            eb('owner_id', '=', userId),
            eb(
              'id',
              'in',
              eb.selectFrom('meeting_invitees').select('meeting_id').where('meeting_invitees.user_id', '=', userId),
            ),
          ]),
        )
        .orderBy('starts_at')
        .orderBy('created_at')
        .execute();
      return withInvitees(db, rows);
    },

    /** The meeting's fields and its invitees change together. */
    async update(organisationId: string, id: string, patch: MeetingPatch, now: string): Promise<Meeting | undefined> {
      return db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('meetings')
          .set({
            ...(patch.title === undefined ? {} : { title: patch.title }),
            ...(patch.startsAt === undefined ? {} : { starts_at: patch.startsAt }),
            ...(patch.endsAt === undefined ? {} : { ends_at: patch.endsAt }),
            ...(patch.settings === undefined ? {} : { settings: JSON.stringify(patch.settings) }),
            ...(patch.status === undefined ? {} : { status: patch.status }),
            ...(patch.locked === undefined ? {} : { locked: patch.locked ? 1 : 0 }),
            ...(patch.timeZone === undefined ? {} : { time_zone: patch.timeZone }),
            ...(patch.rrule === undefined ? {} : { rrule: patch.rrule }),
            ...(patch.type === undefined ? {} : { type: patch.type }),
            ...(patch.liveSince === undefined ? {} : { live_since: patch.liveSince }),
            updated_at: now,
          })
          .where('organisation_id', '=', organisationId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (r === undefined) return undefined;
        if (patch.ended === true) await notesDueIn(tx, organisationId, id, now);
        const kept = patch.keepOccurrences ?? [];
        if (patch.rrule !== undefined)
          await tx
            .deleteFrom('meeting_occurrences')
            .where('meeting_id', '=', id)
            .$if(kept.length > 0, (q) => q.where('occurrence_id', 'not in', [...kept]))
            .execute();
        if (patch.invitees !== undefined) {
          await tx.deleteFrom('meeting_invitees').where('meeting_id', '=', id).execute();
          await invite(tx, id, patch.invitees);
        }
        const promotion = patch.promotion;
        if (promotion !== undefined) {
          await tx
            .deleteFrom('webinar_promotions')
            .where('meeting_id', '=', id)
            .where('user_id', '=', promotion.userId)
            .execute();
          if (promotion.panelist)
            await tx
              .insertInto('webinar_promotions')
              .values({ meeting_id: id, user_id: promotion.userId, promoted_at: now })
              .execute();
        }
        return (await withInvitees(tx, [r]))[0];
      });
    },

    /** The occurrences of these series changed on their own, by meeting id. */
    async changesOf(meetingIds: readonly string[]): Promise<Map<string, OccurrenceChange[]>> {
      const changes = new Map<string, OccurrenceChange[]>();
      for (let i = 0; i < meetingIds.length; i += CHUNK) {
        const rows = await db
          .selectFrom('meeting_occurrences')
          .selectAll()
          .where('meeting_id', 'in', meetingIds.slice(i, i + CHUNK))
          .orderBy('occurrence_id')
          .execute();
        for (const r of rows) changes.set(r.meeting_id, [...(changes.get(r.meeting_id) ?? []), toChange(r)]);
      }
      return changes;
    },

    /**
     * Occurrences changed on their own (one, or several at once), with the meeting's other fields
     * in the same transaction (its `updated_at` at least, so calendars see a new SEQUENCE).
     */
    async changeOccurrence(
      organisationId: string,
      id: string,
      change: OccurrenceChange | readonly OccurrenceChange[],
      now: string,
    ): Promise<Meeting | undefined> {
      return db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('meetings')
          .set({ updated_at: now })
          .where('organisation_id', '=', organisationId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (r === undefined) return undefined;
        for (const c of 'occurrenceId' in change ? [change] : change) await putChange(tx, id, c, now);
        return (await withInvitees(tx, [r]))[0];
      });
    },

    /**
     * "This and following": the series ends before the split (its new rule) and loses the
     * changes from the split on; with `rest`, a new meeting carries the series on, with those
     * changes (but the one at the split, which `rest` itself is) moved over. All at once.
     */
    async split(
      organisationId: string,
      id: string,
      split: { readonly rule: string; readonly at: string; readonly now: string },
      rest?: { readonly meeting: Meeting; readonly conversation: Conversation; readonly keepChanges: boolean },
    ): Promise<Meeting | undefined> {
      return db.transaction().execute(async (tx) => {
        const r = await tx
          .updateTable('meetings')
          .set({ rrule: split.rule, updated_at: split.now })
          .where('organisation_id', '=', organisationId)
          .where('id', '=', id)
          .returningAll()
          .executeTakeFirst();
        if (r === undefined) return undefined;
        const later = await tx
          .deleteFrom('meeting_occurrences')
          .where('meeting_id', '=', id)
          .where('occurrence_id', '>=', split.at)
          .returningAll()
          .execute();
        if (rest !== undefined) {
          await tx.insertInto('conversations').values(conversationRow(rest.conversation)).execute();
          await tx.insertInto('meetings').values(meetingRow(rest.meeting)).execute();
          await invite(tx, rest.meeting.id, rest.meeting.invitees);
          const moved = rest.keepChanges ? later.filter((c) => c.occurrence_id !== split.at) : [];
          for (const c of moved) await putChange(tx, rest.meeting.id, toChange(c), split.now);
        }
        return (await withInvitees(tx, [r]))[0];
      });
    },

    /** Every lobby entry of one person, across meetings. */
    async entriesOf(userId: string): Promise<LobbyEntry[]> {
      const rows = await db
        .selectFrom('lobby_entries')
        .innerJoin('users', 'users.id', 'lobby_entries.user_id')
        .selectAll('lobby_entries')
        .select(shownName)
        .select('users.role as role')
        .where('lobby_entries.user_id', '=', userId)
        .execute();
      return rows.map(toEntry);
    },

    async entryOf(meetingId: string, userId: string): Promise<LobbyEntry | undefined> {
      const r = await entries(meetingId).where('lobby_entries.user_id', '=', userId).executeTakeFirst();
      return r === undefined ? undefined : toEntry(r);
    },

    async entry(meetingId: string, entryId: string): Promise<LobbyEntry | undefined> {
      const r = await entries(meetingId).where('lobby_entries.id', '=', entryId).executeTakeFirst();
      return r === undefined ? undefined : toEntry(r);
    },

    async listEntries(meetingId: string, status?: LobbyStatus): Promise<LobbyEntry[]> {
      const q = entries(meetingId).orderBy('lobby_entries.created_at');
      const rows = await (status === undefined ? q : q.where('lobby_entries.status', '=', status)).execute();
      return rows.map(toEntry);
    },

    /**
     * Creates the user's entry or moves it to `status`; one row per (meeting, user). A join passes
     * the display name it asks for (null: the account's); host decisions leave it as it is.
     */
    async putEntry(
      id: string,
      meetingId: string,
      userId: string,
      status: LobbyStatus,
      now: string,
      displayName?: string | null,
      /**
       * The statuses an existing entry may be changed from (any unless given): a decision made
       * since the caller read the entry stands, and the entry answered shows it.
       */
      over?: readonly LobbyStatus[],
    ): Promise<LobbyEntry> {
      const name = displayName === undefined ? {} : { display_name: displayName };
      await db
        .insertInto('lobby_entries')
        .values({ id, meeting_id: meetingId, user_id: userId, status, created_at: now, updated_at: now, ...name })
        .onConflict((oc) => {
          const update = oc.columns(['meeting_id', 'user_id']).doUpdateSet({ status, updated_at: now, ...name });
          return over === undefined ? update : update.where('lobby_entries.status', 'in', [...over]);
        })
        .execute();
      const r = await entries(meetingId).where('lobby_entries.user_id', '=', userId).executeTakeFirstOrThrow();
      return toEntry(r);
    },

    /**
     * The person's entry, if it is still `waiting`, deleted: as if they had never knocked (a
     * decision made meanwhile stands). Answers the entry deleted.
     */
    async dropWaiting(meetingId: string, userId: string): Promise<LobbyEntry | undefined> {
      return db.transaction().execute(async (tx) => {
        const r = await entries(meetingId, tx)
          .where('lobby_entries.user_id', '=', userId)
          .where('lobby_entries.status', '=', 'waiting')
          .executeTakeFirst();
        if (r === undefined) return undefined;
        // Still waiting in the delete itself: a host's verdict meanwhile stands.
        const dropped = await tx
          .deleteFrom('lobby_entries')
          .where('id', '=', r.id)
          .where('status', '=', 'waiting')
          .executeTakeFirst();
        return Number(dropped.numDeletedRows) > 0 ? toEntry(r) : undefined;
      });
    },

    /**
     * Up to `limit` entries still waiting, of every organisation, whose person knocked before
     * `before` and has been connected nowhere since before it: left waiting by an app or a browser
     * tab that closed without leaving the lobby, or that knocked over HTTP and never opened its
     * socket (no presence at all). A job of the server's own, like `getForRoom`. A phone caller
     * is held online by the instance answering the call (presence.ts `hold`). Read through 054's
     * partial index of waiting entries (its status as a literal: a partial index is not proved to
     * cover a bound parameter).
     */
    async abandonedEntries(before: string, limit: number): Promise<LobbyEntry[]> {
      const rows = await db
        .selectFrom('lobby_entries')
        .innerJoin('users', 'users.id', 'lobby_entries.user_id')
        .leftJoin('presence', 'presence.user_id', 'lobby_entries.user_id')
        .selectAll('lobby_entries')
        .select(shownName)
        .select('users.role as role')
        .where('lobby_entries.status', '=', sql.lit('waiting'))
        .where('lobby_entries.updated_at', '<', before)
        .where((eb) =>
          eb.or([
            eb('presence.user_id', 'is', null),
            eb.and([eb('presence.status', '=', 'offline'), eb('presence.updated_at', '<', before)]),
          ]),
        )
        .orderBy('lobby_entries.updated_at')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },

    /** Moves every entry in `from` to `to` at once; answers the entries that moved. */
    async moveEntries(meetingId: string, from: LobbyStatus, to: LobbyStatus, now: string): Promise<LobbyEntry[]> {
      return db.transaction().execute(async (tx) => {
        const ids = (
          await tx
            .selectFrom('lobby_entries')
            .select('id')
            .where('meeting_id', '=', meetingId)
            .where('status', '=', from)
            .execute()
        ).map((r) => r.id);
        if (ids.length === 0) return [];
        await tx.updateTable('lobby_entries').set({ status: to, updated_at: now }).where('id', 'in', ids).execute();
        const rows = await tx
          .selectFrom('lobby_entries')
          .innerJoin('users', 'users.id', 'lobby_entries.user_id')
          .selectAll('lobby_entries')
          .select(shownName)
          .select('users.role as role')
          .where('lobby_entries.id', 'in', ids)
          .execute();
        return rows.map(toEntry);
      });
    },
  };
}

export type MeetingStore = ReturnType<typeof meetingStore>;
