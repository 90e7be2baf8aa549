import {
  RESUME_LIMITS,
  type ChatEvent,
  type Conversation,
  type Presence,
  type ServerMessage,
  type User,
} from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';
import { badRequest } from './errors.ts';
import type { ConversationAccess, Reach } from './conversationAccess.ts';
import { guestRules } from './guests.ts';

export type Send = (message: ServerMessage) => void;
export type Log = (message: string, error: unknown) => void;
/**
 * Why the server ends a live connection: its session was signed out or revoked, the account was
 * deactivated (the client must not come back), or the person's role changed (a new connection
 * is authenticated with the new role, so a new guest stops hearing organisation-wide news).
 */
export type EndReason = 'session_ended' | 'deactivated' | 'role_changed';

/** Who is writing, as typing signals name them. */
export type Writer = Pick<User, 'id' | 'name'>;

/**
 * Whose access ends: one session, or every session of a person; `everyone`: word of endings may
 * have been lost (the cluster's bus was away), so what was believed of anyone is checked again.
 */
export type Ended = { readonly sessionId: string } | { readonly userId: string } | 'everyone';

/**
 * A connection's place in its organisation's change stream, once it resumed: every offset up to
 * `last` was sent or judged not the caller's (while the connection is in step, its organisation's
 * `head` is its place instead: `OrgStream`). All chat delivery to the connection runs on `chain`,
 * where `pending` pieces of work wait or run.
 */
type Stream = { last: number; chain: Promise<void>; pending: number };

/** A committed chat event as `chat` heard it; `rosterRead`: its conversation's roster was read for it. */
type Heard = {
  readonly conversation: Conversation;
  readonly event: ChatEvent;
  readonly offset: number;
  readonly rosterVersion: number;
  readonly message: ServerMessage;
  rosterRead: boolean;
};

/**
 * An organisation's resumed connections on this instance, split so that an event of a private
 * conversation visits its members' connections only, not the whole organisation's, and so that
 * events heard out of order (several instances commit into one organisation; each hears the
 * others' over the bus) are put in order once for all of them, not read again from the database
 * by each. `inStep`: those with nothing waiting whose place is `head` (their own `last` is not
 * kept current meanwhile: `leave` writes it); `outOfStep`: the others (replaying, waiting, or ahead
 * of `head`), each on its own chain as before. `ahead`: events past `head` not delivered yet,
 * held until the ones before them arrive; `gap`: the wait for those, which gives up after
 * GAP_WAIT_MS (a message the bus lost) and has every in-step connection read them from the
 * database. `reading`: the next event's conversation roster is being read, once for all (its
 * first event, or one written under a newer roster): everything after it waits meanwhile.
 */
type OrgStream = {
  head: number;
  readonly inStep: Set<Connection>;
  readonly outOfStep: Set<Connection>;
  readonly ahead: Map<number, Heard>;
  gap: { readonly upTo: number; readonly timer: NodeJS.Timeout } | undefined;
  reading: boolean;
};

/**
 * How long in-step connections wait for an event heard of but not yet heard (another instance's,
 * committed before one heard already, still on the bus) before each reads it from the database.
 */
const GAP_WAIT_MS = 250;

type Connection = {
  readonly caller: Caller;
  readonly send: Send;
  /** Resolves once the socket's unsent bytes are below RESUME_LIMITS.bufferedBytes. */
  readonly drained: () => Promise<void>;
  /** Ends the connection from the server's side. */
  readonly end: (reason: EndReason) => void;
  /** Checks the connection's credentials again (and ends it if they no longer hold). */
  readonly recheck: () => void;
  stream: Stream | null;
  /** Whose presence the connection hears (`presence.watch`); null: everyone's in its organisation (older clients). */
  watching: ReadonlySet<string> | null;
};

export type RealtimeConnection = {
  /** Starts the change stream after `cursor`, or at the newest event for null (see packages/shared ws.ts). */
  resume(cursor: number | null): Promise<void>;
  /** From now on hears the presence of these people only (and its own person's), not the whole organisation's. */
  watch(userIds: readonly string[]): void;
  close(): void;
};

const PAGE = 500;

/**
 * Fan-out to WebSocket connections. Chat delivery per connection runs on one promise chain over
 * its organisation's change stream and only ever moves to offset `last + 1`: a replay, live
 * events that arrive during it, and any event that overtakes another are all put in order from
 * the database, so a client sees every event it follows once, in offset order, with no gap.
 * Every event is checked against the caller's access when it is sent (`conversationAccess.ts`),
 * by a roster at least as new as the one the event was written under (its `rosterVersion`), so a
 * guest whose admission ended, or a member removed from a private conversation, hears nothing
 * written after that committed, however late this instance hears of the change itself. The
 * connections with nothing waiting move together (`OrgStream`), so the next event of a private
 * conversation visits its members' connections, not all of a large organisation's.
 */
export function createRealtime(store: Store, log: Log, access: ConversationAccess) {
  // Connections by organisation and by person: fan-out visits only the connections it may reach.
  const byOrg = new Map<string, Set<Connection>>();
  const byUser = new Map<string, Set<Connection>>();
  // Presence: connections that never watched, by organisation; those that did, by person watched.
  const unwatchedByOrg = new Map<string, Set<Connection>>();
  const watchersOf = new Map<string, Set<Connection>>();
  const none: ReadonlySet<Connection> = new Set();
  const inOrg = (organisationId: string): ReadonlySet<Connection> => byOrg.get(organisationId) ?? none;
  const ofUser = (userId: string): ReadonlySet<Connection> => byUser.get(userId) ?? none;
  const indexed = (index: Map<string, Set<Connection>>, key: string, c: Connection, add: boolean): void => {
    const set = index.get(key) ?? new Set<Connection>();
    if (add) set.add(c);
    else set.delete(c);
    if (set.size === 0) index.delete(key);
    else index.set(key, set);
  };
  /** Puts the connection in, or takes it out of, the presence indexes its watched set places it in. */
  const trackWatching = (c: Connection, add: boolean): void => {
    if (c.watching === null) indexed(unwatchedByOrg, c.caller.user.organisationId, c, add);
    else for (const userId of c.watching) indexed(watchersOf, userId, c, add);
  };
  const track = (c: Connection, add: boolean): void => {
    if (!add) {
      const org = orgStreams.get(c.caller.user.organisationId);
      org?.inStep.delete(c);
      org?.outOfStep.delete(c);
      if (org !== undefined && org.inStep.size + org.outOfStep.size === 0) {
        clearTimeout(org.gap?.timer);
        orgStreams.delete(c.caller.user.organisationId);
      }
    }
    indexed(byOrg, c.caller.user.organisationId, c, add);
    indexed(byUser, c.caller.user.id, c, add);
    trackWatching(c, add);
  };
  const orgStreams = new Map<string, OrgStream>();
  const orgStreamOf = (organisationId: string): OrgStream => {
    let org = orgStreams.get(organisationId);
    if (org === undefined) {
      org = { head: 0, inStep: new Set(), outOfStep: new Set(), ahead: new Map(), gap: undefined, reading: false };
      orgStreams.set(organisationId, org);
    }
    return org;
  };
  /** Takes an in-step connection out of step, at its place: `head`. */
  const leave = (org: OrgStream, c: Connection): void => {
    if (c.stream === null || !org.inStep.delete(c)) return;
    c.stream.last = org.head;
    org.outOfStep.add(c);
  };
  /** Puts a connection with nothing waiting back in step when it stands at `head` (or no one is in step). */
  const rejoin = (org: OrgStream, c: Connection): void => {
    const stream = c.stream;
    if (stream === null || stream.pending > 0 || !org.outOfStep.has(c)) return;
    if (org.inStep.size === 0) org.head = stream.last;
    else if (stream.last !== org.head) return;
    org.outOfStep.delete(c);
    org.inStep.add(c);
  };
  const guests = guestRules(store);
  const endListeners = new Set<(ended: Ended) => void>();
  const chatListeners = new Set<(conversation: Conversation, event: ChatEvent) => void>();

  /**
   * How far the caller follows the conversation (see `conversationAccess.ts`), asked at every
   * delivery, by its roster at `rosterVersion` or newer (an event's: the one it was written under).
   */
  const follows = (c: Connection, conversation: Conversation, rosterVersion = 0): Promise<Reach> =>
    access.follows(c.caller, conversation, rosterVersion);

  const delivers = (reach: Reach, event: ChatEvent): boolean => reach !== null && event.seq > reach;

  /** Sends what the connection follows with offsets in (`last`, `upTo`], paging the database. */
  async function replay(c: Connection, stream: Stream, upTo: number): Promise<void> {
    while (stream.last < upTo) {
      const { user } = c.caller;
      const changes = await store.chat.changes(user.organisationId, stream.last, upTo, PAGE);
      // The page's conversations and the caller's rows in them in one query, judged together.
      const ids = [...new Set(changes.map((change) => change.event.conversationId))];
      const listed = await store.conversations.listFor(user.organisationId, user.id, ids);
      const reaches = await access.followsIn(c.caller, listed);
      const followed = new Map(listed.map((l, i) => [l.conversation.id, reaches[i] ?? null]));
      for (const { event, offset } of changes) {
        if (delivers(followed.get(event.conversationId) ?? null, event)) c.send({ type: 'chat.event', event, offset });
        stream.last = offset;
      }
      if (changes.length < PAGE) return;
      await c.drained();
    }
  }

  /** Work on the connection's chain; it is out of step until the chain has nothing waiting. */
  function enqueue(c: Connection, stream: Stream, work: () => Promise<void>): void {
    const org = orgStreamOf(c.caller.user.organisationId);
    leave(org, c);
    org.outOfStep.add(c);
    stream.pending += 1;
    stream.chain = stream.chain
      .then(work)
      .catch((e: unknown) => log('chat delivery failed', e))
      .finally(() => {
        stream.pending -= 1;
        if (c.stream === stream) rejoin(org, c);
      });
  }

  /**
   * The in-step connections an event may reach: a private conversation's members' where its
   * roster (at `rosterVersion` or newer) is known without the database, else every one.
   */
  function audienceOf(org: OrgStream, conversation: Conversation, rosterVersion: number): Iterable<Connection> {
    const members = access.membersNow(conversation, rosterVersion);
    if (members === undefined) return org.inStep;
    const audience: Connection[] = [];
    for (const userId of members) for (const c of ofUser(userId)) if (org.inStep.has(c)) audience.push(c);
    return audience;
  }

  /**
   * `heard` to an out-of-step connection: sent at once when it is the connection's next event, has
   * nothing waiting and its access is known without the database (the chain would send the same,
   * later and at more cost; true then), else put on its chain, after a replay of what it missed.
   */
  function deliverOrQueue(c: Connection, heard: Heard): boolean {
    const stream = c.stream;
    if (stream === null) return false;
    const { conversation, event, offset, rosterVersion, message } = heard;
    const now =
      stream.pending === 0 && stream.last === offset - 1
        ? access.followsNow(c.caller, conversation, rosterVersion)
        : undefined;
    if (now !== undefined) {
      if (delivers(now, event)) c.send(message);
      stream.last = offset;
      return true;
    }
    enqueue(c, stream, async () => {
      if (offset <= stream.last) return;
      await replay(c, stream, offset - 1);
      if (delivers(await follows(c, conversation, rosterVersion), event)) c.send(message);
      stream.last = offset;
    });
    return false;
  }

  /**
   * Delivers the held events that follow `head` to the in-step connections they reach, in order,
   * reading an event's conversation roster first where it is not kept (once, for all of them); a
   * connection whose access still needs the database (a guest in a meeting's chat, a roster that
   * could not be read) leaves the step and has the event on its chain. What is still held waits
   * for the events before it (`gap`).
   */
  function advance(org: OrgStream): void {
    if (org.reading) return;
    // Those that left the step here: the held events after the one they left at go on their chains.
    const left: Connection[] = [];
    for (let next = org.ahead.get(org.head + 1); next !== undefined; next = org.ahead.get(org.head + 1)) {
      // With no one in step there is no one to judge it for: it only moves `head`.
      const reading =
        next.rosterRead || org.inStep.size === 0 ? undefined : access.rosterRead(next.conversation, next.rosterVersion);
      if (reading !== undefined) {
        next.rosterRead = true;
        org.reading = true;
        const read = (): void => {
          org.reading = false;
          advance(org);
        };
        void reading.then(read, read);
        return;
      }
      org.ahead.delete(next.offset);
      for (const c of left) deliverOrQueue(c, next);
      for (const c of audienceOf(org, next.conversation, next.rosterVersion)) {
        const now = access.followsNow(c.caller, next.conversation, next.rosterVersion);
        if (now === undefined) {
          leave(org, c);
          deliverOrQueue(c, next);
          left.push(c);
        } else if (delivers(now, next.event)) c.send(next.message);
      }
      org.head = next.offset;
    }
    // Held events the in-step connections passed meanwhile (one rejoined ahead of them).
    for (const offset of org.ahead.keys()) if (offset <= org.head) org.ahead.delete(offset);
    if (org.gap !== undefined && org.head >= org.gap.upTo) {
      clearTimeout(org.gap.timer);
      org.gap = undefined;
    }
    if (org.ahead.size > 0) awaitGap(org, Math.max(...org.ahead.keys()));
  }

  /** In-step connections wait up to GAP_WAIT_MS for the events up to `upTo` (or a wait already begun). */
  function awaitGap(org: OrgStream, upTo: number): void {
    if (org.head >= upTo || org.gap !== undefined) return;
    const timer = setTimeout(() => giveUp(org), GAP_WAIT_MS);
    timer.unref();
    org.gap = { upTo, timer };
  }

  /** The wait is over: every in-step connection reads what it has not heard from the database. */
  function giveUp(org: OrgStream): void {
    const upTo = Math.max(org.gap?.upTo ?? 0, ...org.ahead.keys());
    org.gap = undefined;
    org.ahead.clear();
    for (const c of org.inStep) {
      const stream = c.stream;
      if (stream !== null) enqueue(c, stream, () => replay(c, stream, upTo));
    }
    org.head = Math.max(org.head, upTo);
  }

  return {
    connect(
      caller: Caller,
      send: Send,
      end: (reason: EndReason) => void,
      drained: () => Promise<void>,
      recheck: () => void,
    ): RealtimeConnection {
      const c: Connection = { caller, send, drained, end, recheck, stream: null, watching: null };
      track(c, true);
      return {
        async resume(cursor) {
          if (c.stream !== null) throw badRequest('this connection has resumed already');
          const latest = await store.chat.latestOffset(caller.user.organisationId);
          // A cursor ahead of the server (a restored server) would silence every event up to it,
          // and a long way behind costs the server more than paging costs the client: reset both.
          const from = cursor ?? latest;
          const reset = from > latest || latest - from > RESUME_LIMITS.maxReplayEvents;
          const stream: Stream = { last: reset ? latest : from, chain: Promise.resolve(), pending: 0 };
          c.stream = stream;
          enqueue(c, stream, async () => {
            await replay(c, stream, Number.MAX_SAFE_INTEGER);
            send({ type: 'resumed', cursor: stream.last, reset });
          });
        },
        watch(userIds) {
          trackWatching(c, false);
          c.watching = new Set(userIds);
          trackWatching(c, true);
        },
        close() {
          track(c, false);
        },
      };
    },

    /**
     * A committed chat event at `offset` of its organisation's stream, to every connection
     * following it; `rosterVersion`: the conversation's roster version it was written under
     * (store/chat.ts `AppendOutcome`).
     */
    chat(conversation: Conversation, event: ChatEvent, offset: number, rosterVersion: number): void {
      for (const listener of chatListeners) listener(conversation, event);
      const org = orgStreams.get(conversation.organisationId);
      if (org === undefined) return;
      const heard: Heard = {
        conversation,
        event,
        offset,
        rosterVersion,
        message: { type: 'chat.event', event, offset },
        rosterRead: false,
      };
      const caughtUp: Connection[] = [];
      for (const c of org.outOfStep) if (deliverOrQueue(c, heard)) caughtUp.push(c);
      if (offset > org.head) {
        org.ahead.set(offset, heard);
        advance(org);
      }
      for (const c of caughtUp) rejoin(org, c);
    },

    /**
     * Someone writing (or no longer) in a conversation: to the other people whose connections
     * follow it in its organisation, never back to the writer. The guest rules are checked on every
     * signal, since a guest's admission can end while the socket stays, and, as for chat events,
     * by a roster at least as new as `rosterVersion` (the one committed when the signal was sent).
     */
    async typing(conversation: Conversation, from: Writer, typing: boolean, rosterVersion: number): Promise<void> {
      const message: ServerMessage = {
        type: 'typing',
        conversationId: conversation.id,
        userId: from.id,
        name: from.name,
        typing,
      };
      const audience = [...inOrg(conversation.organisationId)].filter(
        (c) => c.caller.user.id !== from.id && c.stream !== null,
      );
      const allowed = await Promise.all(audience.map((c) => follows(c, conversation, rosterVersion)));
      audience.forEach((c, i) => {
        if (typeof allowed[i] === 'number') c.send(message);
      });
    },

    /** Organisation-wide news; guests hear only what is addressed to them (see guests.ts). */
    toOrg(organisationId: string, message: ServerMessage): void {
      for (const c of inOrg(organisationId)) if (!guests.isGuest(c.caller)) c.send(message);
    },

    /**
     * A person's presence changed: to the connections watching them, their own (other devices),
     * and those of the organisation that never watched (older clients); guests hear only their
     * own (see guests.ts). Visits only those connections, however large the organisation.
     */
    presence(organisationId: string, presence: Presence): void {
      const message: ServerMessage = { type: 'presence', presence };
      const audience = new Set(ofUser(presence.userId));
      const mayHear = (c: Connection): boolean =>
        c.caller.user.organisationId === organisationId && !guests.isGuest(c.caller);
      for (const c of unwatchedByOrg.get(organisationId) ?? none) if (mayHear(c)) audience.add(c);
      for (const c of watchersOf.get(presence.userId) ?? none) if (mayHear(c)) audience.add(c);
      for (const c of audience) c.send(message);
    },

    toUsers(userIds: ReadonlySet<string>, message: ServerMessage): void {
      for (const userId of userIds) for (const c of ofUser(userId)) c.send(message);
    },

    /** A signed-out or revoked session keeps no live connection. */
    endSession(sessionId: string, reason: EndReason): void {
      for (const listener of endListeners) listener({ sessionId });
      for (const connections of byUser.values())
        for (const c of connections) if (c.caller.sessionId === sessionId) c.end(reason);
    },

    endUser(userId: string, reason: EndReason): void {
      for (const listener of endListeners) listener({ userId });
      for (const c of [...ofUser(userId)]) c.end(reason);
    },

    /**
     * Hears every committed chat event this instance fans out, its own and those other instances
     * published (pages show their threads' new messages live).
     */
    onChat(listener: (conversation: Conversation, event: ChatEvent) => void): void {
      chatListeners.add(listener);
    },

    /**
     * A conversation's record or membership changed (renamed, archived, people added, removed or
     * gone): deliveries and writes read it again from now on (clustered: on every instance).
     */
    conversationChanged(conversationId: string): void {
      access.forget(conversationId);
    },

    /** Hears every session or person whose access ends, before their connections close (auth's cache). */
    onEnd(listener: (ended: Ended) => void): void {
      endListeners.add(listener);
    },

    /**
     * Brings every resumed connection up to its organisation's newest committed event, from the
     * database: after events from other instances may have been lost on the way (see cluster/).
     * `lostWord`: their word of changed conversations and ended sessions may have been lost too
     * (the bus was away): every conversation is read again, and every connection's credentials
     * are checked again, past the token cache (a revocation missed meanwhile ends it). Not on the periodic catch-up: delivery judges each event
     * by a roster at least as new as its own (conversationAccess.ts) whatever is kept, and
     * forgetting everything every few seconds made each organisation's next event read its rosters
     * again for every connection.
     */
    async catchUp(lostWord: boolean): Promise<void> {
      if (lostWord) {
        access.forgetAll();
        for (const listener of endListeners) listener('everyone');
        for (const connections of byUser.values()) for (const c of connections) c.recheck();
      }
      const resumed = [...byOrg]
        .filter(([, connections]) => [...connections].some((c) => c.stream !== null))
        .map(([organisationId]) => organisationId);
      const latestOf = await store.chat.latestOffsets(resumed);
      for (const [organisationId, latest] of latestOf) {
        const org = orgStreams.get(organisationId);
        if (org === undefined) continue;
        // In step: what the bus has not brought yet is waited for together, then read by each.
        awaitGap(org, latest);
        for (const c of org.outOfStep) {
          const stream = c.stream;
          if (stream === null || stream.last >= latest) continue;
          enqueue(c, stream, () => replay(c, stream, latest));
        }
      }
    },

    isConnected(userId: string): boolean {
      return ofUser(userId).size > 0;
    },
  };
}

export type Realtime = ReturnType<typeof createRealtime>;
