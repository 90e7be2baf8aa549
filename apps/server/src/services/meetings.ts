import { randomInt } from 'node:crypto';
import {
  DEFAULT_MEETING_SETTINGS,
  type AttendanceList,
  type CreateMeetingRequest,
  type LinkedMeetingRecord,
  type EditOccurrenceRequest,
  type EditOccurrenceResult,
  type Occurrence,
  type OccurrenceQuery,
  type Recurrence,
  type JoinRequest,
  type JoinResult,
  type LobbyEntry,
  type Meeting,
  type MeetingListQuery,
  type MuteRequest,
  type Participant,
  type ParticipantRole,
  type PermissionsRequest,
  type UpdateMeetingRequest,
  type User,
  type Conversation,
  webinarSeat,
} from '@tandem/shared';
import type { Livekit } from '../livekit/index.ts';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { auditActor, type Caller, isOrgAdmin, newId, nowIso, personTarget, whoOf } from './context.ts';
import { badRequest, conflict, forbidden, found, notFound } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import type { PresenceService } from './presence.ts';
import type { Realtime } from './realtime.ts';
import {
  countBefore,
  DEFAULT_LENGTH_MS,
  isRuleStart,
  occurrencesOf,
  ruleBefore,
  ruleOf,
  type ScheduleChange,
  shiftedOnWall,
  shiftedRecurrence,
  startsOnRule,
  wallShift,
} from './recurrence.ts';

const ROOM_PREFIX = 'meeting-';
export const roomOf = (meetingId: string): string => `${ROOM_PREFIX}${meetingId}`;
export const meetingOfRoom = (room: string): string | undefined =>
  room.startsWith(ROOM_PREFIX) ? room.slice(ROOM_PREFIX.length) : undefined;

const CODE_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const joinCode = (): string =>
  Array.from({ length: 10 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');

function checkSchedule(startsAt: string | null, endsAt: string | null): void {
  if (startsAt !== null && endsAt !== null && endsAt <= startsAt) throw badRequest('endsAt must be after startsAt');
}

/** The stored rule of a series starting at `startsAt`; the start must be one of its occurrences. */
function seriesRule(recurrence: Recurrence, startsAt: string | null, timeZone: string): string {
  if (startsAt === null)
    throw badRequest('a recurring meeting needs a start', [{ path: 'startsAt', message: 'required' }]);
  const first = Date.parse(startsAt);
  const rule = ruleOf(recurrence, first, timeZone);
  if (!startsOnRule(rule, first, timeZone))
    throw badRequest('the first occurrence must be one of the series: pick a start on one of its days', [
      { path: 'recurrence', message: 'the start does not fall on the series' },
    ]);
  return rule;
}

const iso = (instant: number): string => new Date(instant).toISOString();
/** How many abandoned lobby entries one run of the sweep takes out (the rest wait for the next). */
const ABANDONED_AT_ONCE = 200;

const without = (ids: readonly string[], gone: readonly string[]): string[] => ids.filter((id) => !gone.includes(id));

/**
 * Meetings, their lobby and their LiveKit rooms. Every meeting is looked up through `access`
 * (`meetingAccess.ts`), which scopes it to the caller's organisation and to the caller's standing
 * in it: who may not see a meeting gets the 404 of one that does not exist.
 */
/** A knock by link needs a meeting that still takes people: not over, not locked. */
export function openForKnocks(meeting: Meeting): void {
  if (meeting.status === 'cancelled' || meeting.status === 'ended') throw conflict(`the meeting is ${meeting.status}`);
  if (meeting.locked) throw forbidden('the meeting is locked');
}

export function meetingService(
  store: Store,
  livekit: Livekit,
  realtime: Realtime,
  presence: PresenceService,
  access: MeetingAccess,
  audit: AuditService,
  /** After a schedule change or a cancellation: the linked meeting made from it follows (linked.ts `pushed`). */
  onScheduled: (change: ScheduleChange) => Promise<void> = async () => undefined,
) {
  /** A host's action on a meeting (lock, end, removal), for the audit log. */
  async function audited(
    caller: Caller,
    meeting: Meeting,
    action: 'meeting.locked' | 'meeting.unlocked' | 'meeting.ended' | 'meeting.participant_removed',
    removed?: User,
  ): Promise<void> {
    const target = { kind: 'meeting', id: meeting.id, label: meeting.title };
    await audit.record({
      organisationId: meeting.organisationId,
      action,
      actor: auditActor(caller),
      target: removed === undefined ? target : personTarget(removed),
      origin: caller.origin,
      detail: removed === undefined ? {} : { meetingId: meeting.id, meeting: meeting.title },
    });
  }

  /**
   * Invitees are people of the meeting's organisation other than its owner. Someone deactivated
   * cannot be newly invited, but may stay on a meeting they were invited to before, so the
   * meeting can still be edited after they left.
   */
  async function checkInvitees(meeting: Meeting, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    const people = new Map((await store.identity.usersIn(meeting.organisationId, ids)).map((u) => [u.id, u]));
    const issues = ids.flatMap((id, i) => {
      const person = people.get(id);
      const problem =
        person === undefined
          ? 'no such person in your organisation'
          : id === meeting.ownerId
            ? 'the organiser is not an invitee of their own meeting'
            : person.status !== 'active' && !meeting.invitees.includes(id)
              ? 'this person is deactivated'
              : undefined;
      return problem === undefined ? [] : [{ path: `invitees.${i}`, message: problem }];
    });
    if (issues.length > 0) throw badRequest('some of these people cannot be invited', issues);
  }

  /**
   * Tells the people a meeting concerns how it now stands and who changed it: its owner, its
   * invitees, whoever was just uninvited (so their clients drop it) and whoever joined it. Those
   * newly invited hear `meeting.invited` instead, with who invited them. Nobody else in the
   * organisation hears of it.
   */
  async function publish(before: Meeting | undefined, after: Meeting, by: Caller): Promise<void> {
    await publishAs(before, after, whoOf(by));
  }

  async function publishAs(
    before: Meeting | undefined,
    after: Meeting,
    who: { readonly id: string; readonly name: string },
  ): Promise<void> {
    const invited = without(after.invitees, before?.invitees ?? []);
    const joined = (await store.meetings.listEntries(after.id, 'admitted')).map((e) => e.userId);
    const told = new Set([after.ownerId, ...after.invitees, ...(before?.invitees ?? []), ...joined]);
    for (const id of invited) told.delete(id);
    realtime.toUsers(told, { type: 'meeting.changed', meeting: after, changedBy: who });
    if (invited.length > 0)
      realtime.toUsers(new Set(invited), { type: 'meeting.invited', meeting: after, invitedBy: who });
  }

  /**
   * Puts the caller in the lobby (again); hosts hear of a new arrival, or of one under another name
   * now. Undefined when a host decided since `entry` was read (the caller is to join again).
   */
  async function wait(
    caller: Caller,
    meeting: Meeting,
    entry: LobbyEntry | undefined,
    displayName: string | null,
  ): Promise<JoinResult | undefined> {
    const waiting = await store.meetings.putEntry(
      entry?.id ?? newId(),
      meeting.id,
      caller.user.id,
      'waiting',
      nowIso(),
      displayName,
      ['waiting'],
    );
    // Admitted (or refused) between the read and this write: the decision stands.
    if (waiting.status !== 'waiting') return undefined;
    if (entry?.status !== 'waiting' || entry.name !== (displayName ?? caller.user.name))
      await announce(meeting, [waiting]);
    return { status: 'waiting', meeting, entry: waiting };
  }

  /** A new meeting and its chat conversation, not stored yet. */
  function draft(
    owner: { readonly organisationId: string; readonly id: string },
    title: string,
    personal: boolean,
    fields: Pick<Meeting, 'startsAt' | 'endsAt' | 'settings' | 'invitees' | 'timeZone' | 'rrule' | 'type'>,
  ): { meeting: Meeting; conversation: Conversation } {
    const now = nowIso();
    const id = newId();
    const conversationId = newId();
    const meeting: Meeting = {
      id,
      organisationId: owner.organisationId,
      title,
      ownerId: owner.id,
      personal,
      status: 'scheduled',
      locked: false,
      joinCode: joinCode(),
      joinUrl: '',
      webJoinUrl: '',
      conversationId,
      recording: null,
      recurrence: null,
      webinar: fields.type === 'webinar' ? { liveSince: null, promoted: [] } : null,
      createdAt: now,
      updatedAt: now,
      ...fields,
    };
    const conversation: Conversation = {
      id: conversationId,
      organisationId: meeting.organisationId,
      kind: 'meeting',
      meetingId: id,
      name: title,
      private: false,
      archivedAt: null,
      memberIds: null,
      createdBy: null,
      latestSeq: 0,
      createdAt: now,
    };
    return { meeting, conversation };
  }

  async function create(
    caller: Caller,
    title: string,
    personal: boolean,
    req: Omit<CreateMeetingRequest, 'title'>,
  ): Promise<Meeting> {
    const startsAt = req.startsAt ?? null;
    const timeZone = req.timeZone ?? 'UTC';
    const { meeting, conversation } = draft(caller.user, title, personal, {
      startsAt,
      endsAt: req.endsAt ?? null,
      settings: { ...DEFAULT_MEETING_SETTINGS, ...req.settings },
      invitees: req.invitees ?? [],
      timeZone,
      rrule: req.recurrence === undefined ? null : seriesRule(req.recurrence, startsAt, timeZone),
      type: personal ? 'meeting' : (req.type ?? 'meeting'),
    });
    checkSchedule(meeting.startsAt, meeting.endsAt);
    await checkInvitees({ ...meeting, invitees: [] }, meeting.invitees);
    await store.meetings.insert(meeting, conversation);
    const stored = found(await store.meetings.get(meeting.organisationId, meeting.id), 'meeting');
    await publish(undefined, stored, caller);
    return stored;
  }

  const { asHost } = access;

  async function cancel(caller: Caller, meetingId: string): Promise<Meeting> {
    const meeting = await asHost(caller, meetingId);
    if (meeting.personal) throw conflict('a personal room cannot be cancelled');
    await livekit.endRoom(roomOf(meeting.id));
    const cancelled = await change(caller, meeting, { status: 'cancelled' });
    await onScheduled({ kind: 'meeting', meeting: cancelled });
    return cancelled;
  }

  async function change(
    caller: Caller,
    meeting: Meeting,
    patch: Parameters<Store['meetings']['update']>[2],
  ): Promise<Meeting> {
    const updated = found(
      await store.meetings.update(caller.user.organisationId, meeting.id, patch, nowIso()),
      'meeting',
    );
    await publish(meeting, updated, caller);
    return updated;
  }

  async function announce(meeting: Meeting, entries: readonly LobbyEntry[]): Promise<void> {
    const hosts = await access.hosts(meeting);
    for (const entry of entries) realtime.toUsers(new Set([...hosts, entry.userId]), { type: 'lobby.entry', entry });
  }

  /** `userId` stops waiting in the meeting's lobby: their entry goes, and hosts hear it as `removed`. */
  async function leftLobby(meeting: Meeting, userId: string): Promise<void> {
    const left = await store.meetings.dropWaiting(meeting.id, userId);
    if (left !== undefined) await announce(meeting, [{ ...left, status: 'removed', updatedAt: nowIso() }]);
  }

  /**
   * `name` is what others see (the display name chosen at join); the identity stays the user id.
   * `hidden`: a webinar's attendee, whom nobody in the room sees.
   */
  async function mint(
    caller: Caller,
    meeting: Meeting,
    role: ParticipantRole,
    name: string,
    hidden: boolean,
  ): Promise<JoinResult> {
    const room = roomOf(meeting.id);
    await livekit.ensureRoom(room);
    const { token, expiresAt } = await livekit.mint({
      room,
      identity: caller.user.id,
      name,
      role,
      attendeesMayShareScreen: meeting.settings.screenShare === 'everyone',
      attributes: { userId: caller.user.id, role, orgRole: caller.user.role, displayName: name },
      hidden,
    });
    return {
      status: 'joined',
      meeting,
      livekit: { url: livekit.wsUrl, token, room, identity: caller.user.id, role, expiresAt: expiresAt.toISOString() },
    };
  }

  async function participant(meeting: Meeting, userId: string): Promise<Participant> {
    const inRoom = (await livekit.participants(roomOf(meeting.id))).find((p) => p.identity === userId);
    if (inRoom === undefined) throw notFound('participant');
    return inRoom;
  }

  /**
   * Hosts get a token straight away. Others need an unlocked, running meeting, and with the
   * lobby on an admitted entry. A guest always needs an admitted entry, lobby or not, and a
   * guest without standing cannot knock (404). `denied` and `removed` are final: no token is
   * minted again. The display name asked for is kept on the entry, so the lobby shows it to hosts.
   * A host's decision made while the caller joins stands: the join is judged again on it.
   */
  async function join(caller: Caller, meetingId: string, req: JoinRequest): Promise<JoinResult> {
    const meeting = await access.known(caller, meetingId);
    if (meeting.status === 'cancelled' || meeting.status === 'ended')
      throw conflict(`the meeting is ${meeting.status}`);
    const host = access.isHost(caller.user, meeting);
    // A webinar's attendee watches hidden, and waits while its panelists are in the backstage.
    const audience = meeting.type === 'webinar' && webinarSeat(meeting, caller.user.id, host) === 'attendee';
    const role: ParticipantRole = req.viewOnly === true || audience ? 'viewer' : host ? 'host' : 'attendee';
    const displayName = req.displayName ?? null;
    const name = displayName ?? caller.user.name;
    const entry = await store.meetings.entryOf(meeting.id, caller.user.id);
    if (!host) {
      if (entry?.status === 'denied' || entry?.status === 'removed')
        throw forbidden(`you were ${entry.status} from this meeting`);
      if (meeting.locked && entry?.status !== 'admitted') throw forbidden('the meeting is locked');
      // While breakout rooms are open, an assigned attendee's place is their room, not the main one.
      if ((await store.collab.breakouts.openRoomOf(meeting.id, caller.user.id)) !== undefined)
        throw conflict('you are in a breakout room; GET /meetings/:meetingId/breakouts/me answers its connection');
      const backstage = audience && meeting.webinar?.liveSince == null;
      if ((backstage || access.throughLobby(caller, meeting)) && entry?.status !== 'admitted') {
        return (await wait(caller, meeting, entry, displayName)) ?? join(caller, meetingId, req);
      }
    }
    if (entry?.status !== 'admitted' || entry.name !== name) {
      const admitted = await store.meetings.putEntry(
        entry?.id ?? newId(),
        meeting.id,
        caller.user.id,
        'admitted',
        nowIso(),
        displayName,
        // A host's removal or refusal made since the read stands (hosts are never refused).
        host ? undefined : ['waiting', 'admitted'],
      );
      if (admitted.status !== 'admitted') return join(caller, meetingId, req);
    }
    return mint(caller, meeting, role, name, audience);
  }

  return {
    create: (caller: Caller, req: CreateMeetingRequest): Promise<Meeting> => {
      if (caller.user.role === 'guest') throw forbidden('guests cannot create meetings');
      return create(caller, req.title, false, req);
    },

    /**
     * Tells those the meeting concerns how it now stands, when something kept beside it changed
     * (a recording began or ended, its linked meeting was made or removed): `by` is who changed it.
     */
    republish: (meeting: Meeting, by: { readonly id: string; readonly name: string }): Promise<void> =>
      publishAs(meeting, meeting, by),

    /**
     * The meeting changed at the provider its linked meeting lives on (linked.ts, a Google
     * Calendar change), stored already: a cancelled one's room ends, and those it concerns are
     * told, `by` the person who changed it there. Nothing goes back to the provider.
     */
    async followed(before: Meeting, after: Meeting, by: { readonly id: string; readonly name: string }): Promise<void> {
      if (after.status === 'cancelled' && before.status !== 'cancelled') await livekit.endRoom(roomOf(after.id));
      await publishAs(before, after, by);
    },

    /**
     * A series carried on at the provider its linked meeting lives on ("this and following" in
     * Google Calendar: a new recurring event from the split on) becomes a meeting of its own: the
     * original's owner, invitees, settings and type, the far series' title and schedule, stored with
     * `link` (its far meeting) in one transaction and told to those it concerns, `by` the person
     * who split it there. Undefined, nothing stored, when that far meeting is linked already.
     */
    async carriedOn(
      original: Meeting,
      schedule: Pick<Meeting, 'title' | 'startsAt' | 'endsAt' | 'timeZone' | 'rrule'>,
      link: Omit<LinkedMeetingRecord, 'meetingId'>,
      by: { readonly id: string; readonly name: string },
    ): Promise<Meeting | undefined> {
      const { title, ...fields } = schedule;
      const { meeting, conversation } = draft(
        { organisationId: original.organisationId, id: original.ownerId },
        title,
        false,
        { ...fields, settings: original.settings, invitees: original.invitees, type: original.type },
      );
      const linked = await store.meetings.insert(meeting, conversation, (tx) =>
        store.linkedMeetings.linkNew(tx, meeting.organisationId, { ...link, meetingId: meeting.id }),
      );
      if (!linked) return undefined;
      const stored = found(await store.meetings.get(meeting.organisationId, meeting.id), 'meeting');
      await publishAs(undefined, stored, by);
      return stored;
    },

    /** A host's change of what is kept beside the meeting (a webinar's stage), told to those it concerns. */
    apply: change,

    /** The meeting itself: to a guest only while invited, waiting or admitted. */
    get: access.known,

    /** See `MeetingListQuerySchema`: one's own and invitations, or the whole organisation for its admins. */
    async list(caller: Caller, query: MeetingListQuery): Promise<Meeting[]> {
      const organisationId = caller.user.organisationId;
      if (query.scope === 'organisation') {
        if (!isOrgAdmin(caller)) throw forbidden("only owners and admins list the whole organisation's meetings");
        return store.meetings.list(organisationId);
      }
      if (caller.user.role !== 'guest') return store.meetings.listFor(organisationId, caller.user.id);
      // A guest sees the meetings it may read: invited, waiting or admitted; never denied or removed.
      return access.visible(caller, await store.meetings.list(organisationId));
    },

    /** A join code gives a guest no standing: it resolves only a meeting the guest may already see. */
    byCode: access.byCode,

    /** Created on first ask; the unique index makes a concurrent second creation fail, not duplicate. */
    async personal(caller: Caller): Promise<Meeting> {
      const existing = await store.meetings.personalOf(caller.user.id);
      if (existing !== undefined) return existing;
      try {
        return await create(caller, `${caller.user.name}'s room`, true, {});
      } catch (e) {
        const again = await store.meetings.personalOf(caller.user.id);
        if (again === undefined) throw e;
        return again;
      }
    },

    async update(caller: Caller, meetingId: string, req: UpdateMeetingRequest): Promise<Meeting> {
      const meeting = await asHost(caller, meetingId);
      if (meeting.status === 'cancelled') throw conflict('the meeting is cancelled');
      if (meeting.personal && req.invitees !== undefined && req.invitees.length > 0)
        throw conflict('a personal room invites nobody; share its link instead');
      if (req.type !== undefined && req.type !== meeting.type) {
        if (meeting.personal) throw conflict('a personal room is a meeting');
        if (meeting.status === 'live')
          throw conflict('a meeting becomes a webinar (or back) only when nobody is in it');
      }
      if (req.invitees !== undefined) await checkInvitees(meeting, req.invitees);
      // Those in the call set their media up encrypted or not when they joined (docs/e2ee.md).
      if (meeting.status === 'live' && req.settings?.e2ee !== undefined && req.settings.e2ee !== meeting.settings.e2ee)
        throw conflict(
          'end-to-end encryption cannot be turned on or off during the call: change it when nobody is in it',
        );
      const startsAt = req.startsAt === undefined ? meeting.startsAt : req.startsAt;
      checkSchedule(startsAt, req.endsAt === undefined ? meeting.endsAt : req.endsAt);
      const timeZone = req.timeZone ?? meeting.timeZone;
      const recurrence = req.recurrence === undefined ? meeting.recurrence : req.recurrence;
      // A new schedule of a series is a new rule: the occurrences changed under the old one go.
      const rescheduled =
        req.recurrence !== undefined ||
        (recurrence !== null && (req.startsAt !== undefined || req.timeZone !== undefined));
      const updated = await change(caller, meeting, {
        ...(req.timeZone === undefined ? {} : { timeZone }),
        ...(rescheduled ? { rrule: recurrence === null ? null : seriesRule(recurrence, startsAt, timeZone) } : {}),
        ...(req.title === undefined ? {} : { title: req.title }),
        ...(req.startsAt === undefined ? {} : { startsAt: req.startsAt }),
        ...(req.endsAt === undefined ? {} : { endsAt: req.endsAt }),
        ...(req.settings === undefined ? {} : { settings: { ...meeting.settings, ...req.settings } }),
        ...(req.invitees === undefined ? {} : { invitees: req.invitees }),
        ...(req.type === undefined || req.type === meeting.type ? {} : { type: req.type, liveSince: null }),
      });
      // Only what the provider keeps: the title, the schedule and who is invited.
      if (
        req.title !== undefined ||
        req.startsAt !== undefined ||
        req.endsAt !== undefined ||
        rescheduled ||
        req.invitees !== undefined
      )
        await onScheduled({ kind: 'meeting', meeting: updated });
      return updated;
    },

    cancel,

    /** The meeting's occurrences overlapping the window (a single meeting has one), moved ones where they now are. */
    async occurrences(caller: Caller, meetingId: string, query: OccurrenceQuery): Promise<Occurrence[]> {
      const meeting = await access.known(caller, meetingId);
      if (meeting.startsAt === null) return [];
      const changes = (await store.meetings.changesOf([meeting.id])).get(meeting.id) ?? [];
      return occurrencesOf(
        { ...meeting, startsAt: meeting.startsAt },
        changes,
        Date.parse(query.from),
        Date.parse(query.to),
      );
    },

    /**
     * Changes one occurrence of a series (`this`), it and those after it (`following`: the series
     * is split, a new meeting carries the rest), or the whole series (`series`: a moved time
     * moves every occurrence by as much on the wall clock, and drops the other changes).
     */
    async editOccurrence(
      caller: Caller,
      meetingId: string,
      occurrenceId: string,
      req: EditOccurrenceRequest,
    ): Promise<EditOccurrenceResult> {
      const meeting = await asHost(caller, meetingId);
      if (meeting.status === 'cancelled') throw conflict('the meeting is cancelled');
      if (meeting.rrule === null || meeting.recurrence === null || meeting.startsAt === null)
        throw conflict('the meeting is not a series: change it with PATCH /meetings/:meetingId');
      const { rrule, recurrence, timeZone } = meeting;
      const first = Date.parse(meeting.startsAt);
      const at = Date.parse(occurrenceId);
      if (!isRuleStart(rrule, first, timeZone, at)) throw notFound('occurrence');
      const id = iso(at);
      const existing = (await store.meetings.changesOf([meeting.id]))
        .get(meeting.id)
        ?.find((c) => c.occurrenceId === id);
      const length = meeting.endsAt === null ? DEFAULT_LENGTH_MS : Date.parse(meeting.endsAt) - first;
      const currentStart = Date.parse(existing?.startsAt ?? id);
      const currentEnd = existing?.endsAt == null ? currentStart + length : Date.parse(existing.endsAt);
      const start = req.startsAt === undefined ? currentStart : Date.parse(req.startsAt);
      const end =
        req.endsAt !== undefined
          ? Date.parse(req.endsAt)
          : req.startsAt === undefined
            ? currentEnd
            : start + currentEnd - currentStart;
      checkSchedule(iso(start), iso(end));
      const scope = req.scope === 'following' && at === first ? 'series' : req.scope;
      const now = nowIso();

      if (scope === 'this') {
        const moved = start !== at || end !== at + length;
        const updated = found(
          await store.meetings.changeOccurrence(
            meeting.organisationId,
            meeting.id,
            {
              occurrenceId: id,
              startsAt: moved ? iso(start) : null,
              endsAt: moved ? iso(end) : null,
              title: req.title ?? existing?.title ?? null,
              cancelled: req.cancelled === true,
            },
            now,
          ),
          'meeting',
        );
        await publish(meeting, updated, caller);
        await onScheduled({
          kind: 'occurrence',
          meeting: updated,
          occurrenceId: id,
          currentStart: iso(currentStart),
          startsAt: iso(start),
          endsAt: iso(end),
          title: req.title ?? existing?.title ?? meeting.title,
          cancelled: req.cancelled === true,
        });
        return { meeting: updated, split: null };
      }

      // The whole series, or the part from this occurrence on, moved by as much as it was.
      const shift = wallShift(at, start, timeZone);
      const newLength = end - start;
      const retimed = shift !== 0 || newLength !== length;
      if (scope === 'series') {
        if (req.cancelled === true) return { meeting: await cancel(caller, meeting.id), split: null };
        const newFirst = shiftedOnWall(first, shift, timeZone);
        const updated = await change(caller, meeting, {
          ...(req.title === undefined ? {} : { title: req.title }),
          ...(retimed
            ? {
                startsAt: iso(newFirst),
                endsAt: iso(newFirst + newLength),
                rrule: seriesRule(shiftedRecurrence(recurrence, shift), iso(newFirst), timeZone),
              }
            : {}),
        });
        if (req.title !== undefined || retimed) await onScheduled({ kind: 'meeting', meeting: updated });
        return { meeting: updated, split: null };
      }

      const split = { rule: ruleBefore(rrule, at, timeZone), at: id, now };
      if (req.cancelled === true) {
        const ended = found(await store.meetings.split(meeting.organisationId, meeting.id, split), 'meeting');
        await publish(meeting, ended, caller);
        await onScheduled({ kind: 'meeting', meeting: ended });
        return { meeting: ended, split: null };
      }
      const end_ = recurrence.end;
      const restRecurrence = shiftedRecurrence(
        end_.type === 'count'
          ? { ...recurrence, end: { type: 'count', count: end_.count - countBefore(rrule, first, timeZone, at) } }
          : recurrence,
        shift,
      );
      const rest = draft(
        { organisationId: meeting.organisationId, id: meeting.ownerId },
        req.title ?? meeting.title,
        false,
        {
          startsAt: iso(start),
          endsAt: iso(end),
          settings: meeting.settings,
          invitees: meeting.invitees,
          timeZone,
          rrule: seriesRule(restRecurrence, iso(start), timeZone),
          type: meeting.type,
        },
      );
      const ended = found(
        await store.meetings.split(meeting.organisationId, meeting.id, split, { ...rest, keepChanges: !retimed }),
        'meeting',
      );
      const continued = found(await store.meetings.get(meeting.organisationId, rest.meeting.id), 'meeting');
      await publish(meeting, ended, caller);
      await publish(undefined, continued, caller);
      await onScheduled({ kind: 'split', ended, continued, by: whoOf(caller) });
      return { meeting: ended, split: continued };
    },

    /**
     * Someone from outside knocks through the meeting's link (the link is their only standing):
     * they wait in the lobby whatever its setting, and its hosts hear of them.
     */
    async knockByLink(caller: Caller, meeting: Meeting, displayName: string): Promise<JoinResult> {
      openForKnocks(meeting);
      return (await wait(caller, meeting, undefined, displayName)) ?? join(caller, meeting.id, { displayName });
    },

    join,

    /**
     * The caller stops waiting in the lobby: their entry goes (hosts hear it as `removed`, their
     * lists drop it) and nothing is final, so they may knock again. Admitted or refused
     * meanwhile, the decision stands. Nothing to leave is no error.
     */
    async leaveLobby(caller: Caller, meetingId: string): Promise<void> {
      await leftLobby(await access.known(caller, meetingId), caller.user.id);
    },

    /**
     * Entries left waiting by someone offline for `graceMs` (their app or browser tab closed
     * without leaving the lobby) leave it as `leaveLobby` takes them: hosts hear `removed`, and
     * nothing is final (an app that comes back knocks again with its socket's `awaiting`). A job
     * of the server's own, under a lease; up to ABANDONED_AT_ONCE a run, the oldest first.
     */
    async expireAbandoned(graceMs: number): Promise<void> {
      const before = new Date(Date.now() - graceMs).toISOString();
      for (const entry of await store.meetings.abandonedEntries(before, ABANDONED_AT_ONCE)) {
        const meeting = await store.meetings.getForRoom(entry.meetingId);
        if (meeting !== undefined) await leftLobby(meeting, entry.userId);
      }
    },

    async lobby(caller: Caller, meetingId: string): Promise<LobbyEntry[]> {
      const meeting = await asHost(caller, meetingId);
      return store.meetings.listEntries(meeting.id, 'waiting');
    },

    async decide(
      caller: Caller,
      meetingId: string,
      entryId: string,
      verdict: 'admitted' | 'denied',
    ): Promise<LobbyEntry[]> {
      const meeting = await asHost(caller, meetingId);
      const entry = found(await store.meetings.entry(meeting.id, entryId), 'lobby entry');
      if (entry.status !== 'waiting') throw conflict(`the entry is ${entry.status}, not waiting`);
      const decided = await store.meetings.putEntry(entry.id, meeting.id, entry.userId, verdict, nowIso());
      await announce(meeting, [decided]);
      return store.meetings.listEntries(meeting.id, 'waiting');
    },

    /** Lets a waiting entry in on the server's own authority: someone a host had the meeting call (phone.ts). */
    async admitEntry(meeting: Meeting, entry: LobbyEntry): Promise<void> {
      const admitted = await store.meetings.putEntry(entry.id, meeting.id, entry.userId, 'admitted', nowIso());
      await announce(meeting, [admitted]);
    },

    /** Someone stopped waiting (a phone caller hung up): their entry leaves the hosts' lobby. */
    async withdraw(meeting: Meeting, userId: string): Promise<void> {
      const entry = await store.meetings.entryOf(meeting.id, userId);
      if (entry?.status !== 'waiting') return;
      const removed = await store.meetings.putEntry(entry.id, meeting.id, userId, 'removed', nowIso());
      await announce(meeting, [removed]);
    },

    async admitAll(caller: Caller, meetingId: string): Promise<LobbyEntry[]> {
      const meeting = await asHost(caller, meetingId);
      const admitted = await store.meetings.moveEntries(meeting.id, 'waiting', 'admitted', nowIso());
      await announce(meeting, admitted);
      return store.meetings.listEntries(meeting.id, 'waiting');
    },

    /**
     * Someone deactivated waits nowhere: each of their waiting lobby entries becomes `removed`,
     * and the meeting's hosts hear it, so their lobby lists drop the entry.
     */
    async deactivated(organisationId: string, userId: string): Promise<void> {
      for (const entry of await store.meetings.entriesOf(userId)) {
        if (entry.status !== 'waiting') continue;
        const meeting = await store.meetings.get(organisationId, entry.meetingId);
        if (meeting === undefined) continue;
        const removed = await store.meetings.putEntry(entry.id, meeting.id, userId, 'removed', nowIso());
        await announce(meeting, [removed]);
      }
    },

    /** A webinar's attendee sees who is on stage only, never the rest of the audience. */
    async participants(caller: Caller, meetingId: string): Promise<Participant[]> {
      const meeting = await access.meeting(caller, meetingId);
      const everyone = await livekit.participants(roomOf(meeting.id));
      if (
        meeting.type !== 'webinar' ||
        webinarSeat(meeting, caller.user.id, access.isHost(caller.user, meeting)) !== 'attendee'
      )
        return everyone;
      return everyone.filter((p) => p.role !== 'viewer');
    },

    async mute(caller: Caller, meetingId: string, userId: string, req: MuteRequest): Promise<void> {
      const meeting = await asHost(caller, meetingId);
      const p = await participant(meeting, userId);
      await livekit.muteTracks(roomOf(meeting.id), p.identity, req.kind ?? 'all');
    },

    async muteAll(caller: Caller, meetingId: string): Promise<void> {
      const meeting = await asHost(caller, meetingId);
      const room = roomOf(meeting.id);
      for (const p of await livekit.participants(room)) {
        if (p.role !== 'host') await livekit.muteTracks(room, p.identity, 'audio');
      }
    },

    /** The entry becomes `removed` before the participant is dropped, so a racing rejoin is refused. */
    async remove(caller: Caller, meetingId: string, userId: string): Promise<void> {
      const meeting = await asHost(caller, meetingId);
      if (userId === caller.user.id) throw badRequest('hosts leave; they do not remove themselves');
      const removed = found(await store.identity.getUser(meeting.organisationId, userId), 'user');
      const existing = await store.meetings.entryOf(meeting.id, userId);
      const entry = await store.meetings.putEntry(existing?.id ?? newId(), meeting.id, userId, 'removed', nowIso());
      await livekit.remove(roomOf(meeting.id), userId);
      await announce(meeting, [entry]);
      realtime.toUsers(new Set([userId]), { type: 'meeting.left', meetingId: meeting.id, userId, reason: 'removed' });
      await presence.leftMeeting(meeting.organisationId, userId, meeting.id);
      await audited(caller, meeting, 'meeting.participant_removed', removed);
    },

    async setPermissions(caller: Caller, meetingId: string, userId: string, req: PermissionsRequest): Promise<void> {
      const meeting = await asHost(caller, meetingId);
      const p = await participant(meeting, userId);
      await livekit.setPermissions(roomOf(meeting.id), p.identity, {
        canPublish: req.canPublish,
        canSubscribe: req.canSubscribe ?? true,
        canPublishData: req.canPublishData ?? req.canPublish,
      });
    },

    async lock(caller: Caller, meetingId: string, locked: boolean): Promise<Meeting> {
      const meeting = await change(caller, await asHost(caller, meetingId), { locked });
      await audited(caller, meeting, locked ? 'meeting.locked' : 'meeting.unlocked');
      return meeting;
    },

    /** Everyone is dropped; a personal room stays usable, any other meeting is over. */
    async end(caller: Caller, meetingId: string): Promise<Meeting> {
      const meeting = await asHost(caller, meetingId);
      const room = roomOf(meeting.id);
      const inRoom = await livekit.participants(room);
      // Ended before its room closes: LiveKit's room_finished, which may come back at once, then
      // finds it ended and leaves it so (and says so to the organisation's webhooks).
      const over = await change(caller, meeting, {
        status: meeting.personal ? 'scheduled' : 'ended',
        locked: false,
        ended: true,
      });
      await livekit.endRoom(room);
      for (const p of inRoom) {
        if (p.userId === null) continue;
        realtime.toUsers(new Set([p.userId]), {
          type: 'meeting.left',
          meetingId: meeting.id,
          userId: p.userId,
          reason: 'ended',
        });
        await presence.leftMeeting(meeting.organisationId, p.userId, meeting.id);
      }
      await audited(caller, over, 'meeting.ended');
      return over;
    },

    async attendance(caller: Caller, meetingId: string): Promise<AttendanceList> {
      const meeting = await access.meeting(caller, meetingId);
      return {
        attendance: await store.activity.attendance(meeting.id),
        lifecycle: await store.activity.roomEvents(meeting.id),
      };
    },
  };
}

export type MeetingService = ReturnType<typeof meetingService>;
