import type { ConversationSummary, IpcEvent } from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import type { BadgeSurface } from '../platform/types.ts';

/**
 * What the dock or taskbar counts, as Teams and Slack count: every unread message in a direct or
 * group chat, and elsewhere (channels, meetings' chats) only the messages that mention the person.
 * A conversation left or archived counts nothing.
 */
export function badgeCount(
  conversations: readonly Pick<ConversationSummary, 'kind' | 'unread' | 'mentions' | 'left' | 'archivedAt'>[],
): number {
  let count = 0;
  for (const c of conversations) {
    if (c.left || c.archivedAt !== null) continue;
    count += c.kind === 'direct' || c.kind === 'group' ? c.unread : c.mentions;
  }
  return count;
}

/** The events after which the count may have changed: messages in, reads, conversations gone, sign-out. */
const RECOUNT_ON: ReadonlySet<IpcEvent> = new Set<IpcEvent>([
  'chat:messages',
  'conversations:changed',
  'conversations:removed',
  'auth:ended',
]);
/** Counts once for a burst of events (a page of history, a resume). */
const SETTLE_MS = 100;

export type Badge = { onEvent(event: IpcEvent): void; stop(): void };

/** Keeps the OS's badge on the cache's count; says it only when it changes. */
export function createBadge(deps: {
  readonly surface: BadgeSurface;
  readonly db: DbClient;
  /** The signed-in user (their own messages are never unread); null when signed out, which counts 0. */
  readonly selfId: () => string | null;
  readonly onError: (error: unknown) => void;
}): Badge {
  let shown = 0;
  let timer: NodeJS.Timeout | null = null;

  async function recount(): Promise<void> {
    const selfId = deps.selfId();
    const count = selfId === null ? 0 : badgeCount(await deps.db.read('allConversations', { selfId }));
    if (count === shown) return;
    shown = count;
    deps.surface.set(count);
  }

  return {
    onEvent(event) {
      if (!RECOUNT_ON.has(event) || timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        recount().catch(deps.onError);
      }, SETTLE_MS);
    },
    stop() {
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}
