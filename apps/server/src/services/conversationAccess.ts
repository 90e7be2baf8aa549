import type { Conversation } from '@tandem/shared';
import { MEMBER_ROLES } from '../store/chat.ts';
import type { Listed } from '../store/conversations.ts';
import type { Store } from '../store/index.ts';
import type { Caller } from './context.ts';
import { notFound } from './errors.ts';
import { guestRules } from './guests.ts';

/**
 * How far a caller reads a conversation: every event with a seq above it (0: the whole history),
 * or nothing at all (null).
 */
export type Reach = number | null;

/** A conversation the caller reads, and from which seq on. */
export type Readable = { readonly conversation: Conversation; readonly from: number };

/**
 * Who belongs to a conversation, as delivery needs it: members (private) and who left (public), at
 * the conversation's roster `version` or newer (store/conversations.ts `roster`).
 */
type Roster = {
  readonly version: number;
  readonly members: ReadonlyMap<string, number>;
  readonly left: ReadonlySet<string>;
};

/** A value being read for one organisation, and the value itself once it is. */
type Kept<V> = { readonly organisationId: string; readonly promise: Promise<V>; value?: V };

/** Conversations whose roster, and whose record, are kept in memory at most (the oldest read go first). */
const MAX_KEPT = 10_000;

const isMemberRole = (role: string): boolean => (MEMBER_ROLES as readonly string[]).includes(role);

/**
 * Who may read which conversation: the one rule, used by every read, write, list and live
 * delivery (and by any search: judge what it finds with `reach` or `reachIn`).
 *
 * - A private conversation (direct, group, private channel) is its members' only, from the seq
 *   they were added at when added without history. Guests are never members (and a member who
 *   became a guest reads nothing more).
 * - A public channel is the organisation's (not guests'); one the caller left is still readable
 *   but no longer followed (the change stream skips it until they join again).
 * - A meeting's chat follows its meeting's rules (see `guests.ts`).
 *
 * Delivery asks on every event, and every write asks too, so rosters and conversation records are
 * kept in memory per conversation and forgotten on every change of membership, name or archiving
 * (`forget`, called through realtime's `conversationChanged` by the service that changed it,
 * before it answers, and on every other instance). That word can come late (another instance's,
 * over the bus, behind events written after the change), so it is not what makes delivery exact:
 * every event carries the roster version it was written under, and delivery judges it by a roster
 * at least that new, reading it again when the one kept is older (`follows`, `followsNow`). A
 * removed member hears nothing written after the removal committed, on any instance. Writes are
 * judged again inside the append's transaction (store/chat.ts), so what is kept here only has to
 * be fast, not current: an archived channel takes no new event.
 */
export function conversationAccess(store: Store) {
  const guests = guestRules(store);
  const rosters = new Map<string, Kept<Roster>>();
  /** Conversation records as last read; their `latestSeq` is not kept current (see `known`). */
  const records = new Map<string, Kept<Conversation | undefined>>();

  /**
   * What `load` answers for `organisationId`, remembered under `key` until forgotten (or pushed out
   * by newer ones past MAX_KEPT), unless it fails or answers nothing. What is read for one
   * organisation is never answered to another, which reads for itself: a lookup from outside,
   * which finds nothing, must not answer the conversation's own people while it runs.
   */
  function cached<V>(
    cache: Map<string, Kept<V>>,
    key: string,
    organisationId: string,
    load: () => Promise<V>,
  ): Promise<V> {
    const kept = cache.get(key);
    if (kept !== undefined) return kept.organisationId === organisationId ? kept.promise : load();
    const entry: Kept<V> = { organisationId, promise: load() };
    cache.set(key, entry);
    if (cache.size > MAX_KEPT) cache.delete(cache.keys().next().value as string);
    const drop = (): void => {
      if (cache.get(key) === entry) cache.delete(key);
    };
    entry.promise.then((value) => {
      if (value === undefined) drop();
      else entry.value = value;
    }, drop);
    return entry.promise;
  }

  async function load(conversationId: string): Promise<Roster> {
    const { version, rows } = await store.conversations.roster(conversationId);
    return {
      version,
      members: new Map(rows.filter((r) => isMemberRole(r.role)).map((r) => [r.userId, r.visibleFromSeq])),
      left: new Set(rows.filter((r) => r.leftAt !== null).map((r) => r.userId)),
    };
  }

  const kept = (conversation: Conversation): Promise<Roster> =>
    cached(rosters, conversation.id, conversation.organisationId, () => load(conversation.id));

  /**
   * The conversation's roster at `version` or newer (0: any kept). One older than the event being
   * judged is read again: a read started now, after the event committed, finds its version or a
   * newer one.
   */
  async function roster(conversation: Conversation, version = 0): Promise<Roster> {
    const r = await kept(conversation);
    if (r.version >= version) return r;
    // Only the stale entry is dropped: a newer read started meanwhile is shared, not repeated.
    if (rosters.get(conversation.id)?.value === r) rosters.delete(conversation.id);
    const again = await kept(conversation);
    // A read shared from before the event committed may be stale too: this one starts after it.
    return again.version >= version ? again : load(conversation.id);
  }

  /** `visibleFrom`: the caller's membership of a private conversation, if they have one. */
  async function reachWith(
    caller: Caller,
    conversation: Conversation,
    visibleFrom: number | undefined,
  ): Promise<Reach> {
    if (conversation.private) return guests.isGuest(caller) ? null : (visibleFrom ?? null);
    return (await guests.mayReadConversation(caller, conversation)) ? 0 : null;
  }

  async function reach(caller: Caller, conversation: Conversation): Promise<Reach> {
    const visibleFrom = conversation.private ? (await roster(conversation)).members.get(caller.user.id) : undefined;
    return reachWith(caller, conversation, visibleFrom);
  }

  async function readableFrom(caller: Caller, found: Promise<Conversation | undefined>): Promise<Readable> {
    const conversation = await found;
    const from = conversation === undefined ? null : await reach(caller, conversation);
    if (conversation === undefined || from === null) throw notFound('conversation');
    return { conversation, from };
  }

  /** A public channel the caller left is not followed, though still readable. */
  const unlessLeft = (conversation: Conversation, from: Reach, left: boolean): Reach =>
    !conversation.private && conversation.kind === 'channel' && left ? null : from;

  /**
   * `follows` from the conversation's roster, where it alone decides: everywhere but where a
   * guest's standing in a meeting does (undefined there).
   */
  function followsBy(caller: Caller, conversation: Conversation, r: Roster): Reach | undefined {
    if (conversation.private) return guests.isGuest(caller) ? null : (r.members.get(caller.user.id) ?? null);
    if (guests.isGuest(caller)) return undefined;
    return unlessLeft(conversation, 0, r.left.has(caller.user.id));
  }

  async function reachIn(caller: Caller, listed: readonly Listed[]): Promise<Reach[]> {
    return Promise.all(
      listed.map(({ conversation, row }) =>
        reachWith(caller, conversation, row !== undefined && isMemberRole(row.role) ? row.visibleFromSeq : undefined),
      ),
    );
  }

  return {
    reach,

    /**
     * What the change stream delivers: what the caller reads, less public channels they left;
     * judged by the conversation's roster at `version` or newer (an event's, see `roster`).
     */
    async follows(caller: Caller, conversation: Conversation, version = 0): Promise<Reach> {
      const r = await roster(conversation, version);
      const decided = followsBy(caller, conversation, r);
      if (decided !== undefined) return decided;
      const reads = await guests.mayReadConversation(caller, conversation);
      return reads ? unlessLeft(conversation, 0, r.left.has(caller.user.id)) : null;
    },

    /**
     * `follows` at once, for a delivery that should not wait: undefined where it needs the
     * database (the roster is not read yet or older than `version`, or a guest's standing in a
     * meeting decides).
     */
    followsNow(caller: Caller, conversation: Conversation, version: number): Reach | undefined {
      const r = rosters.get(conversation.id)?.value;
      return r === undefined || r.version < version ? undefined : followsBy(caller, conversation, r);
    },

    /**
     * Undefined when the conversation's roster at `version` or newer is kept (`followsNow` judges
     * by it); else its read, after which it is kept (unless pushed out meanwhile).
     */
    rosterRead(conversation: Conversation, version: number): Promise<unknown> | undefined {
      const r = rosters.get(conversation.id)?.value;
      return r !== undefined && r.version >= version ? undefined : roster(conversation, version);
    },

    /**
     * Who may follow a private conversation, by its roster at `version` or newer as kept: its
     * members (`followsNow` judges each). Undefined where that needs the database, and for a
     * conversation that is not private, which anyone in the organisation may follow.
     */
    membersNow(conversation: Conversation, version: number): Iterable<string> | undefined {
      const r = conversation.private ? rosters.get(conversation.id)?.value : undefined;
      return r === undefined || r.version < version ? undefined : r.members.keys();
    },

    /** `follows` for many at once, judged by the caller's own rows (a replay's page: one query, not one per conversation). */
    async followsIn(caller: Caller, listed: readonly Listed[]): Promise<Reach[]> {
      const reaches = await reachIn(caller, listed);
      return listed.map(({ conversation, row }, i) =>
        unlessLeft(conversation, reaches[i] ?? null, row?.leftAt != null),
      );
    },

    /** The conversation and the caller's reach in it; one they may not read answers 404, like one that does not exist. */
    readable: (caller: Caller, conversationId: string): Promise<Readable> =>
      readableFrom(caller, store.chat.get(caller.user.organisationId, conversationId)),

    /**
     * `readable` from the record as last read: for writes, which ask who may write and not where the
     * conversation stands (its `latestSeq` is not current). Scoped like a read: a conversation of
     * another organisation answers 404.
     */
    known: (caller: Caller, conversationId: string): Promise<Readable> => {
      const { organisationId } = caller.user;
      return readableFrom(
        caller,
        cached(records, conversationId, organisationId, () => store.chat.get(organisationId, conversationId)),
      );
    },

    /**
     * The caller's reach in each listed conversation, judged by the caller's own row (which the
     * list read with it) instead of each whole roster.
     */
    reachIn,

    /** The conversation or its membership changed: the next delivery or write reads it again. */
    forget(conversationId: string): void {
      rosters.delete(conversationId);
      records.delete(conversationId);
    },

    /** Any conversation may have changed (another instance's word of it may have been lost): everything is read again. */
    forgetAll(): void {
      rosters.clear();
      records.clear();
    },
  };
}

export type ConversationAccess = ReturnType<typeof conversationAccess>;
