import type { ChosenStatus, Presence, PresenceList, PresenceStatus, SetPresenceRequest } from '@tandem/shared';
import type { ManualPresence, PresenceRow } from '../store/activity.ts';
import type { Store } from '../store/index.ts';
import { type Caller, nowIso } from './context.ts';
import { badRequest } from './errors.ts';
import type { Realtime } from './realtime.ts';
import type { Cluster } from '../cluster/cluster.ts';

type Seen = PresenceRow['status'];

/** In a call, whether presenting or not: what the app says (active, idle) waits until they leave it. */
const inCall = (status: Seen | undefined): boolean => status === 'in_meeting' || status === 'presenting';

/** Longer waits than a timer holds (about 24.8 days) are told when the server next starts. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

/** What a person chose, by weight against what the server saw (see `PresenceStatusSchema`). */
function shown(seen: Seen, chosen: ChosenStatus): PresenceStatus {
  if (seen === 'offline' || seen === 'presenting') return seen;
  if (chosen === 'dnd') return 'dnd';
  if (seen === 'in_meeting') return seen;
  return chosen === 'available' ? seen : chosen;
}

/**
 * What others see: the status the person chose (until its time) weighed against what the server
 * saw: offline and presenting outweigh any choice, do not disturb a call, a call busy or away.
 */
export function presenceView(row: PresenceRow, now: string): Presence {
  const chosen = row.chosenUntil === null || row.chosenUntil > now ? row.chosen : 'available';
  return {
    userId: row.userId,
    status: shown(row.status, chosen),
    meetingId: row.meetingId,
    chosen,
    chosenUntil: chosen === 'available' ? null : row.chosenUntil,
    statusText: row.statusText,
    updatedAt: row.updatedAt,
  };
}

/**
 * Presence rules: a person is `offline` with no open WebSocket, `in_meeting` while LiveKit says
 * they are in a room, else what their app last said (`online` or `away`). A status (busy, do not
 * disturb, away) and a message are set by hand; the status shows by its weight (`presenceView`)
 * until it is changed or its time comes, which everyone hears of like any other change. Every
 * change goes to those who watch the person (`presence.watch`) and to older clients that never
 * said whom they watch, across the organisation (realtime.ts `presence`).
 */
export function presenceService(store: Store, realtime: Realtime, cluster: Cluster) {
  /** People this instance is in touch with without a socket (`hold`), by how many holds. */
  const held = new Map<string, number>();
  /** Whether the person has a connection (or a hold) on this instance or, with several, on any live one. */
  const connected = async (userId: string): Promise<boolean> =>
    realtime.isConnected(userId) || held.has(userId) || (await cluster.connectedAnywhere(userId));

  /** Ends of chosen statuses to announce, by person. */
  const endings = new Map<string, NodeJS.Timeout>();
  /** Sockets closed whose offline status is still being written. */
  const leaving = new Set<Promise<void>>();
  /** Others in this process who show people's status (the pages people are on). */
  const listeners = new Set<(organisationId: string, presence: Presence) => void>();

  async function announce(organisationId: string, userId: string): Promise<Presence | undefined> {
    const row = await store.activity.presenceOf(userId);
    if (row === undefined) return undefined;
    const presence = presenceView(row, nowIso());
    realtime.presence(organisationId, presence);
    for (const listener of listeners) listener(organisationId, presence);
    return presence;
  }

  function scheduleEnd(organisationId: string, userId: string, chosenUntil: string | null): void {
    clearTimeout(endings.get(userId));
    endings.delete(userId);
    if (chosenUntil === null) return;
    const wait = Date.parse(chosenUntil) - Date.now();
    if (wait > LONGEST_TIMER_MS) return;
    const timer = setTimeout(
      () => {
        endings.delete(userId);
        void announce(organisationId, userId).catch(() => undefined);
      },
      Math.max(0, wait) + 10,
    );
    timer.unref();
    endings.set(userId, timer);
  }

  async function set(organisationId: string, userId: string, status: Seen, meetingId: string | null): Promise<void> {
    await store.activity.setPresence(organisationId, { userId, status, meetingId, updatedAt: nowIso() });
    await announce(organisationId, userId);
  }

  async function cameOnline(caller: Caller): Promise<void> {
    const current = await store.activity.presenceOf(caller.user.id);
    if (current === undefined || current.status === 'offline')
      await set(caller.user.organisationId, caller.user.id, 'online', null);
  }

  /** A socket closed, or a hold ended; the server's own closing waits for this (`stop`) before the store closes. */
  async function wentAway(caller: Caller): Promise<void> {
    const work = (async () => {
      if (await connected(caller.user.id)) return;
      const current = await store.activity.presenceOf(caller.user.id);
      if (!inCall(current?.status)) await set(caller.user.organisationId, caller.user.id, 'offline', null);
    })();
    leaving.add(work);
    try {
      await work;
    } finally {
      leaving.delete(work);
    }
  }

  /** A count of the cluster's, whose failure it registers again itself once Redis answers. */
  const counted = (userId: string, delta: 1 | -1): Promise<void> =>
    cluster.connections(userId, delta).catch(() => undefined);

  return {
    /** Hears every change this instance announces; answers how to stop. */
    onChange(listener: (organisationId: string, presence: Presence) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    /**
     * At start: connections did not survive the restart (with several instances, the others'
     * connections did: nobody is reset); a chosen status still ends when it should.
     */
    async reset(): Promise<void> {
      if (!cluster.shared) await store.activity.resetConnected(nowIso());
      for (const { organisationId, userId, chosenUntil } of await store.activity.chosenEnding())
        scheduleEnd(organisationId, userId, chosenUntil);
    },

    /**
     * These people's presence (a watch's answer), of the caller's organisation: people of another
     * organisation or unknown are left out, and a guest sees only their own (see guests.ts).
     */
    async list(caller: Caller, userIds: readonly string[]): Promise<Presence[]> {
      const { id, organisationId, role } = caller.user;
      const only = role === 'guest' ? userIds.filter((userId) => userId === id) : userIds;
      const now = nowIso();
      return (await store.activity.listPresence(organisationId, only)).map((r) => presenceView(r, now));
    },

    /**
     * The caller's organisation's presence by person, a page of `limit` after `after` (GET
     * /presence), and the `after` of the next page (null after the last). A guest's one page holds
     * their own presence only.
     */
    async page(caller: Caller, after: string | null, limit: number): Promise<PresenceList> {
      const { id, organisationId, role } = caller.user;
      const now = nowIso();
      if (role === 'guest') {
        const own = after === null ? await store.activity.listPresence(organisationId, [id]) : [];
        return { presence: own.map((r) => presenceView(r, now)), next: null };
      }
      // One more than asked says whether another page follows.
      const rows = await store.activity.presencePage(organisationId, after, limit + 1);
      const presence = rows.slice(0, limit).map((r) => presenceView(r, now));
      return { presence, next: rows.length > limit ? (presence.at(-1)?.userId ?? null) : null };
    },

    /**
     * What the person says: active or idle (while in a meeting that stays visible until they leave
     * it), the status they choose, a status message.
     */
    async declare(caller: Caller, request: SetPresenceRequest): Promise<Presence> {
      const { organisationId, id: userId } = caller.user;
      const now = nowIso();
      if (request.chosenUntil != null && request.chosenUntil <= now)
        throw badRequest('a chosen status must end in the future');
      const current = await store.activity.presenceOf(userId);
      if (request.status !== undefined && !inCall(current?.status))
        await store.activity.setPresence(organisationId, {
          userId,
          status: request.status,
          meetingId: null,
          updatedAt: now,
        });
      if (request.chosen !== undefined || request.statusText !== undefined) {
        const manual: ManualPresence = {
          chosen: request.chosen ?? current?.chosen ?? 'available',
          chosenUntil: request.chosen === undefined ? (current?.chosenUntil ?? null) : (request.chosenUntil ?? null),
          statusText: request.statusText === undefined ? (current?.statusText ?? null) : request.statusText || null,
        };
        await store.activity.setManual(organisationId, userId, manual, now);
        if (request.chosen !== undefined) scheduleEnd(organisationId, userId, manual.chosenUntil);
      }
      const presence = await announce(organisationId, userId);
      if (presence === undefined) throw new Error('presence vanished');
      return presence;
    },

    connected: cameOnline,

    /**
     * Someone this instance is in touch with without a socket (a phone caller its agent answered)
     * counts as connected until the answer is called: online, and with several instances among
     * the people an instance that dies leaves (`sweepOrphans`), so a lobby entry left behind
     * expires as an app's does. Releasing twice is releasing once.
     */
    async hold(caller: Caller): Promise<() => Promise<void>> {
      const userId = caller.user.id;
      held.set(userId, (held.get(userId) ?? 0) + 1);
      await counted(userId, 1);
      let released = false;
      const release = async (): Promise<void> => {
        if (released) return;
        released = true;
        const left = (held.get(userId) ?? 1) - 1;
        if (left > 0) held.set(userId, left);
        else held.delete(userId);
        await counted(userId, -1);
        await wentAway(caller);
      };
      try {
        await cameOnline(caller);
      } catch (e) {
        await release();
        throw e;
      }
      return release;
    },

    /**
     * People whose connections an instance that died held (`people` of Cluster.orphans) go offline,
     * unless connected elsewhere or in a call (LiveKit tells when they leave it). Runs under a lease.
     */
    async sweepOrphans(people: readonly string[]): Promise<void> {
      for (const userId of people) {
        if (await connected(userId)) continue;
        const current = await store.activity.presenceOf(userId);
        if (current?.status === 'online' || current?.status === 'away')
          await set(current.organisationId, userId, 'offline', null);
      }
    },

    disconnected: wentAway,

    /** A deactivated person goes offline for those watching; the list leaves them out from now on. */
    async deactivated(organisationId: string, userId: string): Promise<void> {
      await set(organisationId, userId, 'offline', null);
    },

    async enteredMeeting(organisationId: string, userId: string, meetingId: string): Promise<void> {
      await set(organisationId, userId, 'in_meeting', meetingId);
    },

    /**
     * Sharing their screen in the meeting they are in (LiveKit's track webhooks): `presenting`
     * until they stop, then back to `in_meeting`. News about another meeting than theirs is old.
     */
    async presenting(organisationId: string, userId: string, meetingId: string, on: boolean): Promise<void> {
      const current = await store.activity.presenceOf(userId);
      if (current === undefined || !inCall(current.status) || current.meetingId !== meetingId) return;
      const next = on ? 'presenting' : 'in_meeting';
      if (current.status !== next) await set(organisationId, userId, next, meetingId);
    },

    /** Leaving a meeting (or being removed) goes back to online, or offline without a connection. */
    async leftMeeting(organisationId: string, userId: string, meetingId: string): Promise<void> {
      const current = await store.activity.presenceOf(userId);
      if (current !== undefined && current.meetingId !== meetingId) return;
      await set(organisationId, userId, (await connected(userId)) ? 'online' : 'offline', null);
    },

    /** Stops the timers and waits for the sockets that closed with the server (it is closing). */
    async stop(): Promise<void> {
      for (const timer of endings.values()) clearTimeout(timer);
      endings.clear();
      await Promise.allSettled(leaving);
    },
  };
}

export type PresenceService = ReturnType<typeof presenceService>;
