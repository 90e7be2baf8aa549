import type { ChatEvent, ChatMessageView } from '@tandem/shared';

/**
 * Folds server chat events into message views, as the desktop's cache does in SQL: a `message`
 * makes a view (a reply also counts in its root's thread), an `edit` changes its body, a
 * `delete` empties it, `react`/`unreact` add or take away one person's emoji. Views are by client
 * id; events about messages not held (older than what was paged) are skipped. Pure: the browser
 * client keeps the result in memory only.
 */
export function foldChatEvents(
  views: ReadonlyMap<string, ChatMessageView>,
  events: readonly ChatEvent[],
  nameOf: (userId: string) => string,
): { readonly views: Map<string, ChatMessageView>; readonly changed: ChatMessageView[] } {
  const next = new Map(views);
  const changed = new Map<string, ChatMessageView>();
  const put = (view: ChatMessageView) => {
    next.set(view.clientId, view);
    changed.set(view.clientId, view);
  };
  for (const event of events) {
    const held = next.get(event.messageId);
    switch (event.type) {
      case 'message': {
        if (held !== undefined && held.seq !== null) continue;
        const threadOf = event.threadOf ?? null;
        put({
          conversationId: event.conversationId,
          clientId: event.clientId,
          seq: event.seq,
          authorId: event.authorId,
          authorName: nameOf(event.authorId),
          body: event.body,
          sentAt: event.createdAt,
          editedAt: null,
          deleted: false,
          status: 'sent',
          failure: null,
          version: event.seq,
          threadOf,
          replyCount: 0,
          lastReplyAt: null,
          reactions: [],
          files: event.files ?? [],
          urgent: event.urgent === true,
        });
        const root = threadOf === null ? undefined : next.get(threadOf);
        if (root !== undefined)
          put({ ...root, replyCount: root.replyCount + 1, lastReplyAt: event.createdAt, version: event.seq });
        break;
      }
      case 'edit':
        if (held === undefined || held.deleted) continue;
        put({ ...held, body: event.body, editedAt: event.createdAt, version: event.seq });
        break;
      case 'delete':
        if (held === undefined) continue;
        put({ ...held, body: '', deleted: true, reactions: [], files: [], version: event.seq });
        break;
      case 'react':
      case 'unreact': {
        if (held === undefined) continue;
        const others = held.reactions.map((r) =>
          r.emoji === event.emoji ? { ...r, users: r.users.filter((u) => u.id !== event.authorId) } : r,
        );
        const reactions =
          event.type === 'unreact'
            ? others.filter((r) => r.users.length > 0)
            : others.some((r) => r.emoji === event.emoji)
              ? others.map((r) =>
                  r.emoji === event.emoji
                    ? { ...r, users: [...r.users, { id: event.authorId, name: nameOf(event.authorId) }] }
                    : r,
                )
              : [...others, { emoji: event.emoji, users: [{ id: event.authorId, name: nameOf(event.authorId) }] }];
        put({ ...held, reactions, version: event.seq });
        break;
      }
      default: {
        const never: never = event;
        throw new Error(`unknown chat event ${JSON.stringify(never)}`);
      }
    }
  }
  return { views: next, changed: [...changed.values()] };
}
