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

/** Who belongs to a conversation, as delivery needs it: members (private) and who left (public). */
type Roster = { readonly members: ReadonlyMap<string, number>; readonly left: ReadonlySet<string> };

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
 * Delivery asks on every event, so rosters are kept in memory per conversation and forgotten on
 * every change of membership (`forget`, called by the service that changed it, before it
 * answers): a removed member hears nothing from that moment.
 */
export function conversationAccess(store: Store) {
  const guests = guestRules(store);
  const rosters = new Map<string, Promise<Roster>>();

  async function load(conversationId: string): Promise<Roster> {
    const rows = await store.conversations.rows(conversationId);
    return {
      members: new Map(rows.filter((r) => isMemberRole(r.role)).map((r) => [r.userId, r.visibleFromSeq])),
      left: new Set(rows.filter((r) => r.leftAt !== null).map((r) => r.userId)),
    };
  }

  function roster(conversationId: string): Promise<Roster> {
    let found = rosters.get(conversationId);
    if (found === undefined) {
      const loading = load(conversationId);
      found = loading;
      rosters.set(conversationId, loading);
      loading.catch(() => {
        if (rosters.get(conversationId) === loading) rosters.delete(conversationId);
      });
    }
    return found;
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
    const visibleFrom = conversation.private ? (await roster(conversation.id)).members.get(caller.user.id) : undefined;
    return reachWith(caller, conversation, visibleFrom);
  }

  /** A public channel the caller left is not followed, though still readable. */
  const unlessLeft = (conversation: Conversation, from: Reach, left: boolean): Reach =>
    !conversation.private && conversation.kind === 'channel' && left ? null : from;

  async function reachIn(caller: Caller, listed: readonly Listed[]): Promise<Reach[]> {
    return Promise.all(
      listed.map(({ conversation, row }) =>
        reachWith(caller, conversation, row !== undefined && isMemberRole(row.role) ? row.visibleFromSeq : undefined),
      ),
    );
  }

  return {
    reach,

    /** What the change stream delivers: what the caller reads, less public channels they left. */
    async follows(caller: Caller, conversation: Conversation): Promise<Reach> {
      const from = await reach(caller, conversation);
      if (from === null || conversation.private) return from;
      return unlessLeft(conversation, from, (await roster(conversation.id)).left.has(caller.user.id));
    },

    /** `follows` for many at once, judged by the caller's own rows (a replay's page: one query, not one per conversation). */
    async followsIn(caller: Caller, listed: readonly Listed[]): Promise<Reach[]> {
      const reaches = await reachIn(caller, listed);
      return listed.map(({ conversation, row }, i) =>
        unlessLeft(conversation, reaches[i] ?? null, row?.leftAt != null),
      );
    },

    /** The conversation and the caller's reach in it; one they may not read answers 404, like one that does not exist. */
    async readable(caller: Caller, conversationId: string): Promise<{ conversation: Conversation; from: number }> {
      const conversation = await store.chat.get(caller.user.organisationId, conversationId);
      const from = conversation === undefined ? null : await reach(caller, conversation);
      if (conversation === undefined || from === null) throw notFound('conversation');
      return { conversation, from };
    },

    /**
     * The caller's reach in each listed conversation, judged by the caller's own row (which the
     * list read with it) instead of each whole roster.
     */
    reachIn,

    /** The conversation's membership changed: the next delivery reads it again. */
    forget(conversationId: string): void {
      rosters.delete(conversationId);
    },
  };
}

export type ConversationAccess = ReturnType<typeof conversationAccess>;
