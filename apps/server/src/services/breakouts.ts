import {
  autoAssign,
  type AssignBreakoutsRequest,
  type BreakoutAssignment,
  type BreakoutRoom,
  type BreakoutSession,
  type BreakoutStatus,
  type HelpRequest,
  type LivekitConnection,
  type Meeting,
  type User,
} from '@tandem/shared';
import type { Livekit } from '../livekit/index.ts';
import type { AssignmentChange } from '../store/collab.ts';
import type { Store } from '../store/index.ts';
import { type Caller, newId, nowIso } from './context.ts';
import { badRequest, conflict, forbidden, found, notFound } from './errors.ts';
import type { MeetingAccess } from './meetingAccess.ts';
import { roomOf } from './meetings.ts';
import type { Log, Realtime } from './realtime.ts';

/** Breakout LiveKit rooms carry both ids, so no two meetings (or sets of rooms) ever share one. */
const BREAKOUT_PREFIX = 'breakout-';
export const breakoutRoomName = (meetingId: string, roomId: string): string =>
  `${BREAKOUT_PREFIX}${meetingId}-${roomId}`;
/** The meeting of a breakout room's name: ids are UUIDs, so the meeting's is the first 36 characters. */
export const meetingOfBreakoutRoom = (room: string): string | undefined =>
  room.startsWith(BREAKOUT_PREFIX) ? room.slice(BREAKOUT_PREFIX.length, BREAKOUT_PREFIX.length + 36) : undefined;

/**
 * How long moved people may stay in the room they leave. A client connects to its target before
 * it leaves (two rooms for a moment, so that media never stops), and on a loaded machine twelve
 * handshakes at once take seconds (BENCHMARKS.md B6). Within the grace they leave by themselves;
 * only then does the server act: stragglers are removed from the main room, and the breakout rooms
 * of a closed session are ended. Removing or ending earlier would cut people off mid-move.
 */
export const BREAKOUT_GRACE = { leaveMainMs: 10_000, endRoomsMs: 10_000 } as const;

/** Who sits where: user id → room id. */
const seats = (s: BreakoutSession | undefined): Map<string, string> =>
  new Map((s?.rooms ?? []).flatMap((r) => r.participantIds.map((u): [string, string] => [u, r.id])));

/**
 * Breakout rooms. Self-hosted LiveKit cannot move a participant, so a move is a `breakout.move`
 * message carrying a token minted here for the target room only; the client joins that one, then
 * leaves its room (BREAKOUT_GRACE). Nobody gets a breakout token the rules do not allow, and while the rooms are
 * open an assigned attendee gets no main-room token (see meetings.join).
 */
export function breakoutService(store: Store, livekit: Livekit, realtime: Realtime, access: MeetingAccess, log: Log) {
  const timers = new Map<string, NodeJS.Timeout>();
  /** Removals and room ends waiting for their grace (BREAKOUT_GRACE). */
  const graceTimers = new Set<NodeJS.Timeout>();

  /** Runs `then` after `ms`, unless the server stops first (LiveKit ends rooms left empty by itself). */
  function afterGrace(ms: number, what: string, then: () => Promise<void>): void {
    const timer = setTimeout(() => {
      graceTimers.delete(timer);
      then().catch((e: unknown) => log(`${what} failed`, e));
    }, ms);
    timer.unref();
    graceTimers.add(timer);
  }

  /** Hosts may visit any room at any time; others only their own, while open: why not, or null. */
  async function refusalToEnter(
    meeting: Meeting,
    user: User,
    session: BreakoutSession,
    room: BreakoutRoom,
  ): Promise<string | null> {
    if (access.isHost(user, meeting)) return null;
    if (await access.barred(meeting, user)) return "you may not enter this meeting's rooms";
    if (session.status !== 'open') return 'the breakout rooms are not open';
    if (!room.participantIds.includes(user.id)) return 'you are not assigned to this room';
    return null;
  }

  /** A token for `room`, which must exist (ensureRoom). */
  async function tokenFor(meeting: Meeting, user: User, room: string): Promise<LivekitConnection> {
    const role = access.isHost(user, meeting) ? 'host' : 'attendee';
    // The name chosen when joining the meeting follows the person into its rooms.
    const name = (await store.meetings.entryOf(meeting.id, user.id))?.name ?? user.name;
    const { token, expiresAt } = await livekit.mint({
      room,
      identity: user.id,
      name,
      role,
      attendeesMayShareScreen: meeting.settings.screenShare === 'everyone',
      attributes: { userId: user.id, role, orgRole: user.role, displayName: name },
    });
    return { url: livekit.wsUrl, token, room, identity: user.id, role, expiresAt: expiresAt.toISOString() };
  }

  async function connect(meeting: Meeting, user: User, room: string): Promise<LivekitConnection> {
    await livekit.ensureRoom(room);
    return tokenFor(meeting, user, room);
  }

  /**
   * Sends each person in `moves` a token for their target: a breakout room, or the main room (null).
   * Each target room is made once, before the first message: twelve people moving must not wait
   * for twelve calls to LiveKit one after the other.
   */
  async function move(meeting: Meeting, moves: ReadonlyMap<string, BreakoutRoom | null>): Promise<void> {
    const target = (room: BreakoutRoom | null) => room?.livekitRoom ?? roomOf(meeting.id);
    await Promise.all([...new Set([...moves.values()].map(target))].map((room) => livekit.ensureRoom(room)));
    for (const [userId, room] of moves) {
      const user = await store.identity.getUser(meeting.organisationId, userId);
      if (user === undefined || (await access.barred(meeting, user))) continue;
      realtime.toUsers(new Set([userId]), {
        type: 'breakout.move',
        meetingId: meeting.id,
        room,
        livekit: await tokenFor(meeting, user, target(room)),
      });
    }
  }

  async function announce(meeting: Meeting): Promise<BreakoutSession> {
    const session = found(await store.collab.breakouts.session(meeting.id), 'breakout rooms');
    realtime.toUsers(await access.audience(meeting), { type: 'breakout.changed', session });
    return session;
  }

  /**
   * Everyone assigned goes back to the main room, and the breakout LiveKit rooms are ended once
   * they had time to (BREAKOUT_GRACE.endRoomsMs). The session is closed at once, so nobody gets a
   * new token for a breakout room meanwhile; a room opened again by then is left alone. When the
   * meeting is over nobody goes back: the rooms end at once.
   */
  async function closeNow(meeting: Meeting): Promise<BreakoutSession | undefined> {
    clearTimeout(timers.get(meeting.id));
    timers.delete(meeting.id);
    const before = await store.collab.breakouts.session(meeting.id);
    if (!(await store.collab.breakouts.transition(meeting.id, ['open'], 'closed', null, nowIso()))) return undefined;
    const livekitRooms = (before?.rooms ?? []).map((r) => r.livekitRoom);
    // An ended or cancelled meeting has no main room to go back to.
    if (meeting.status === 'ended' || meeting.status === 'cancelled') {
      for (const room of livekitRooms) await livekit.endRoom(room);
    } else {
      const back = new Map<string, null>();
      for (const [userId] of seats(before)) back.set(userId, null);
      await move(meeting, back);
      afterGrace(BREAKOUT_GRACE.endRoomsMs, 'ending the closed breakout rooms', async () => {
        // Opened again meanwhile: the rooms of the open session are in use again.
        const now = await store.collab.breakouts.session(meeting.id);
        const inUse = new Set(now?.status === 'open' ? now.rooms.map((r) => r.livekitRoom) : []);
        for (const room of livekitRooms) if (!inUse.has(room)) await livekit.endRoom(room);
      });
    }
    return announce(meeting);
  }

  /** Removes from the main room whoever still holds a breakout seat there after the grace. */
  function removeStragglers(meeting: Meeting, userIds: readonly string[]): void {
    afterGrace(BREAKOUT_GRACE.leaveMainMs, 'removing moved people from the main room', async () => {
      const session = await store.collab.breakouts.session(meeting.id);
      if (session?.status !== 'open') return;
      const seated = seats(session);
      for (const userId of userIds) if (seated.has(userId)) await livekit.remove(roomOf(meeting.id), userId);
    });
  }

  function schedule(meeting: Meeting, endsAt: string | null): void {
    clearTimeout(timers.get(meeting.id));
    timers.delete(meeting.id);
    if (endsAt === null) return;
    const timer = setTimeout(
      () => {
        timers.delete(meeting.id);
        // The meeting as it is when the time is up, not as it was when the countdown started.
        store.meetings
          .get(meeting.organisationId, meeting.id)
          .then((now) => (now === undefined ? undefined : closeNow(now)))
          .catch((e: unknown) => log('closing breakout rooms at the end of the countdown failed', e));
      },
      Math.max(0, Date.parse(endsAt) - Date.now()),
    );
    // A countdown must not keep the process alive; after a restart `current` closes late rooms.
    timer.unref();
    timers.set(meeting.id, timer);
  }

  /** The session as it stands, closing it first if its countdown ran out (e.g. while the server was down). */
  async function current(meeting: Meeting): Promise<BreakoutSession | undefined> {
    const session = await store.collab.breakouts.session(meeting.id);
    if (session?.status === 'open' && session.endsAt !== null && Date.parse(session.endsAt) <= Date.now()) {
      return (await closeNow(meeting)) ?? store.collab.breakouts.session(meeting.id);
    }
    return session;
  }

  async function existing(meeting: Meeting): Promise<BreakoutSession> {
    return found(await current(meeting), 'breakout rooms');
  }

  function inStatus(session: BreakoutSession, allowed: readonly BreakoutStatus[]): void {
    if (!allowed.includes(session.status)) throw conflict(`the breakout rooms are ${session.status}`);
  }

  /** Applies assignment changes; while open, whoever changed room is moved at once. */
  async function reassign(
    meeting: Meeting,
    session: BreakoutSession,
    changes: readonly AssignmentChange[],
    replaceAll: boolean,
  ): Promise<BreakoutSession> {
    await store.collab.breakouts.assign(meeting.id, changes, replaceAll, nowIso());
    const after = found(await store.collab.breakouts.session(meeting.id), 'breakout rooms');
    if (session.status === 'open') {
      const was = seats(session);
      const now = seats(after);
      const moves = new Map<string, BreakoutRoom | null>();
      for (const userId of new Set([...was.keys(), ...now.keys()])) {
        const target = now.get(userId);
        if (was.get(userId) === target) continue;
        moves.set(userId, after.rooms.find((r) => r.id === target) ?? null);
      }
      await move(meeting, moves);
      removeStragglers(
        meeting,
        [...moves].filter(([, room]) => room !== null).map(([userId]) => userId),
      );
    }
    return announce(meeting);
  }

  return {
    /**
     * Closes every session whose countdown ran out, whichever instance started it: with several
     * instances this runs on one of them (a leased job), so an instance that dies with a
     * countdown running does not leave its rooms open.
     */
    async closeOverdue(): Promise<void> {
      for (const { organisationId, meetingId } of await store.collab.breakouts.overdue(nowIso())) {
        const meeting = await store.meetings.get(organisationId, meetingId);
        if (meeting !== undefined) await closeNow(meeting);
      }
    },

    /** Shutdown: no timer may reach the store after it closed (a restart picks late countdowns up again). */
    stop(): void {
      for (const timer of [...timers.values(), ...graceTimers]) clearTimeout(timer);
      timers.clear();
      graceTimers.clear();
    },

    /** When a meeting ends or is cancelled its breakout rooms close too; nobody is moved anywhere. */
    async meetingOver(meeting: Meeting): Promise<void> {
      await closeNow(meeting);
    },

    async get(caller: Caller, meetingId: string): Promise<BreakoutSession> {
      return existing(await access.meeting(caller, meetingId));
    },

    async create(
      caller: Caller,
      meetingId: string,
      req: { readonly rooms: readonly { readonly name: string }[]; readonly allowChoose: boolean },
    ): Promise<BreakoutSession> {
      const meeting = await access.asHost(caller, meetingId);
      // Meeting keys are made per call (docs/e2ee.md): rooms of one meeting would keep replacing each other's.
      if (meeting.settings.e2ee) throw conflict('breakout rooms are not available in an end-to-end encrypted meeting');
      const session = await current(meeting);
      if (session?.status === 'open') throw conflict('close the open breakout rooms first');
      const rooms = req.rooms.map((r) => {
        const id = newId();
        return { id, name: r.name, livekitRoom: breakoutRoomName(meeting.id, id) };
      });
      await store.collab.breakouts.create(meeting.id, rooms, req.allowChoose, nowIso());
      return announce(meeting);
    },

    async assign(caller: Caller, meetingId: string, req: AssignBreakoutsRequest): Promise<BreakoutSession> {
      const meeting = await access.asHost(caller, meetingId);
      const session = await existing(meeting);
      inStatus(session, ['draft', 'open']);
      const roomIds = session.rooms.map((r) => r.id);
      const userIds = req.mode === 'auto' ? req.userIds : req.assignments.map((a) => a.userId);
      const people = new Set((await store.identity.usersIn(meeting.organisationId, userIds)).map((u) => u.id));
      const strangers = userIds.filter((id) => !people.has(id));
      if (strangers.length > 0) throw badRequest(`not people of this organisation: ${strangers.join(', ')}`);
      switch (req.mode) {
        case 'manual': {
          const unknown = req.assignments.filter((a) => a.roomId !== null && !roomIds.includes(a.roomId));
          if (unknown.length > 0) throw badRequest('roomId is not one of these breakout rooms');
          return reassign(meeting, session, req.assignments, false);
        }
        case 'auto':
          return reassign(meeting, session, autoAssign(req.userIds, roomIds, req.seed), true);
        default: {
          const never: never = req;
          throw new Error(`unhandled assignment ${JSON.stringify(never)}`);
        }
      }
    },

    async choose(caller: Caller, meetingId: string, roomId: string): Promise<BreakoutSession> {
      const meeting = await access.asParticipant(caller, meetingId);
      const session = await existing(meeting);
      if (!session.allowChoose) throw forbidden('the host assigns the rooms');
      inStatus(session, ['draft', 'open']);
      if (!session.rooms.some((r) => r.id === roomId)) throw notFound('breakout room');
      return reassign(meeting, session, [{ userId: caller.user.id, roomId }], false);
    },

    async open(caller: Caller, meetingId: string, durationSeconds: number | undefined): Promise<BreakoutSession> {
      const meeting = await access.asHost(caller, meetingId);
      const session = await existing(meeting);
      const endsAt = durationSeconds === undefined ? null : new Date(Date.now() + durationSeconds * 1000).toISOString();
      if (!(await store.collab.breakouts.transition(meeting.id, ['draft', 'closed'], 'open', endsAt, nowIso())))
        throw conflict(`the breakout rooms are ${session.status}`);
      const moves = new Map<string, BreakoutRoom>();
      for (const room of session.rooms) for (const userId of room.participantIds) moves.set(userId, room);
      await move(meeting, moves);
      // A main-room token minted before opening is still valid for a while; leaving must not be optional.
      removeStragglers(meeting, [...moves.keys()]);
      schedule(meeting, endsAt);
      return announce(meeting);
    },

    async close(caller: Caller, meetingId: string): Promise<BreakoutSession> {
      const meeting = await access.asHost(caller, meetingId);
      const session = await existing(meeting);
      inStatus(session, ['open']);
      return found(await closeNow(meeting), 'breakout rooms');
    },

    async countdown(caller: Caller, meetingId: string, seconds: number): Promise<BreakoutSession> {
      const meeting = await access.asHost(caller, meetingId);
      const session = await existing(meeting);
      const endsAt = new Date(Date.now() + seconds * 1000).toISOString();
      if (!(await store.collab.breakouts.transition(meeting.id, ['open'], 'open', endsAt, nowIso())))
        throw conflict(`the breakout rooms are ${session.status}`);
      schedule(meeting, endsAt);
      return announce(meeting);
    },

    async broadcast(caller: Caller, meetingId: string, message: string): Promise<void> {
      const meeting = await access.asHost(caller, meetingId);
      inStatus(await existing(meeting), ['open']);
      realtime.toUsers(await access.audience(meeting), {
        type: 'breakout.broadcast',
        meetingId: meeting.id,
        fromUserId: caller.user.id,
        fromName: caller.user.name,
        message,
        sentAt: nowIso(),
      });
    },

    /** Where the caller belongs now, with a fresh token while the rooms are open (to reconnect after a drop). */
    async mine(caller: Caller, meetingId: string): Promise<BreakoutAssignment> {
      const meeting = await access.asParticipant(caller, meetingId);
      const session = await current(meeting);
      const room = session?.rooms.find((r) => r.participantIds.includes(caller.user.id)) ?? null;
      const livekitConnection =
        session?.status === 'open' && room !== null ? await connect(meeting, caller.user, room.livekitRoom) : null;
      return { status: session?.status ?? null, room, livekit: livekitConnection };
    },

    async join(caller: Caller, meetingId: string, roomId: string): Promise<LivekitConnection> {
      const meeting = await access.meeting(caller, meetingId);
      const session = await existing(meeting);
      const room = found(
        session.rooms.find((r) => r.id === roomId),
        'breakout room',
      );
      const refusal = await refusalToEnter(meeting, caller.user, session, room);
      if (refusal !== null) throw forbidden(refusal);
      return connect(meeting, caller.user, room.livekitRoom);
    },

    /**
     * Whether the person LiveKit says joined breakout room `livekitRoom` may be there now. A
     * breakout token lives on after its room closed or its holder was moved, and LiveKit makes a
     * room again for whoever brings one: the webhook removes them. Identities that are not people
     * of the organisation (the server's own agents) are not ours to judge.
     */
    async admits(meeting: Meeting, identity: string, livekitRoom: string): Promise<boolean> {
      const user = await store.identity.getUser(meeting.organisationId, identity);
      if (user === undefined) return true;
      const session = await current(meeting);
      const room = session?.rooms.find((r) => r.livekitRoom === livekitRoom);
      if (session === undefined || room === undefined) return access.isHost(user, meeting);
      return (await refusalToEnter(meeting, user, session, room)) === null;
    },

    async askForHelp(caller: Caller, meetingId: string): Promise<HelpRequest> {
      const meeting = await access.asParticipant(caller, meetingId);
      inStatus(await existing(meeting), ['open']);
      const roomId = await store.collab.breakouts.openRoomOf(meeting.id, caller.user.id);
      if (roomId === undefined) throw forbidden('you are not in a breakout room');
      const request: HelpRequest = {
        id: newId(),
        roomId,
        userId: caller.user.id,
        name: caller.user.name,
        createdAt: nowIso(),
      };
      await store.collab.breakouts.addHelp(meeting.id, request);
      realtime.toUsers(await access.hosts(meeting), { type: 'breakout.help', meetingId: meeting.id, request });
      return request;
    },
  };
}

export type BreakoutService = ReturnType<typeof breakoutService>;
