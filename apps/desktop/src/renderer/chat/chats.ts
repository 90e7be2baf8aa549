import {
  CONVERSATION_LIMITS,
  conversationTitle,
  type ChatMessageView,
  type ConversationSummary,
  type ReadReceiptView,
  type User,
} from '@tandem/shared';
import { localeNow, translateNow } from '../i18n/current.ts';
import type { Translate } from '../i18n/useT.ts';

/** When a conversation last saw something happen: its newest message, or its creation. */
const activityOf = (c: ConversationSummary): number => Date.parse(c.lastMessage?.sentAt ?? c.createdAt ?? '') || 0;

/** Shown in the lists: not archived, not a public channel the user left. */
export const isActive = (c: ConversationSummary): boolean => c.archivedAt === null && !c.left;

/** The user's direct chats or groups (`kind`), newest activity first; archived ones aside. */
export function chatsOf(all: readonly ConversationSummary[], kind: 'direct' | 'group'): ConversationSummary[] {
  return all.filter((c) => c.kind === kind && isActive(c)).sort((a, b) => activityOf(b) - activityOf(a));
}

/** Channels and groups that are archived, or public channels the user left: listed apart, to reopen or rejoin. */
export function setAside(all: readonly ConversationSummary[]): ConversationSummary[] {
  return all
    .filter((c) => (c.kind === 'channel' || c.kind === 'group') && !isActive(c))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The user's direct chat with `userId`, if the cache holds it. */
export const directWith = (
  all: readonly ConversationSummary[],
  selfId: string,
  userId: string,
): ConversationSummary | undefined =>
  all.find(
    (c) =>
      c.kind === 'direct' &&
      c.members !== null &&
      c.members.some((m) => m.id === userId) &&
      c.members.some((m) => m.id === selfId),
  );

/** Direct chats and groups small enough show who has read the newest message (the server's rule). */
export const showsReceipts = (c: ConversationSummary): boolean =>
  (c.kind === 'direct' || c.kind === 'group') && (c.members?.length ?? 0) <= CONVERSATION_LIMITS.receiptsUpTo;

/**
 * "Seen by" under the newest message: the others who read at least up to it (never its author).
 * Nothing while it is not sent.
 */
export function seenBy(last: ChatMessageView | undefined, receipts: readonly ReadReceiptView[]): string[] {
  if (last?.seq == null) return [];
  const seq = last.seq;
  return receipts.filter((r) => r.seq >= seq && r.userId !== last.authorId).map((r) => r.name);
}

/** "Seen by Grace", "Seen by Grace and Linus", "Seen by everyone" in a direct chat or when all have. */
export function seenByText(names: readonly string[], others: number, t: Translate = translateNow): string | null {
  if (names.length === 0) return null;
  if (names.length === others && others > 1) return t('chat.seenBy.everyone');
  if (names.length === 1) return t('chat.seenBy.one', { name: names[0] ?? '' });
  return t('chat.seenBy.many', { names: names.slice(0, -1).join(t('chat.listSeparator')), last: names.at(-1) ?? '' });
}

/** What the user may do to a conversation, so the screen offers nothing the server would refuse on sight. */
export function permissions(
  c: ConversationSummary,
  me: Pick<User, 'id' | 'role'>,
): {
  readonly rename: boolean;
  readonly archive: boolean;
  readonly members: boolean;
  readonly invite: boolean;
  readonly remove: boolean;
  readonly leave: boolean;
  readonly join: boolean;
} {
  const admin = me.role === 'owner' || me.role === 'admin';
  const owner = c.role === 'owner';
  const active = c.archivedAt === null;
  switch (c.kind) {
    case 'group':
      return { rename: active, archive: false, members: true, invite: active, remove: true, leave: true, join: false };
    case 'channel': {
      const manages = c.private ? owner : owner || admin;
      return {
        rename: manages && active,
        archive: manages,
        members: c.private,
        invite: c.private && active,
        remove: c.private && owner,
        leave: !c.left,
        join: !c.private && c.left,
      };
    }
    case 'direct':
    case 'meeting':
      return { rename: false, archive: false, members: false, invite: false, remove: false, leave: false, join: false };
    default: {
      const unreachable: never = c.kind;
      throw new Error(`unknown conversation kind ${String(unreachable)}`);
    }
  }
}

/** The title a conversation shows (its name, the other person, the group's people). */
export const titleOf = (c: ConversationSummary | undefined, selfId: string | undefined): string =>
  (c === undefined ? '' : conversationTitle(c, selfId ?? null, localeNow())) || translateNow('chat.title');
