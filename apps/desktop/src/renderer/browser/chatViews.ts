import type { ChatEvent, ChatMessageView } from '@tandem/shared';

/**
 * Folds server chat events into message views, as the desktop's cache does in SQL: a `message`
 * makes a view, an `edit` changes its body, a `delete` empties it. Views are by client id; events
 * for messages not held (older than what was paged) are skipped. Pure: the browser client keeps
 * the result in memory only.
 */
export function foldChatEvents(
  views: ReadonlyMap<string, ChatMessageView>,
  events: readonly ChatEvent[],
  nameOf: (userId: string) => string,
): { readonly views: Map<string, ChatMessageView>; readonly changed: ChatMessageView[] } {
  const next = new Map(views);
  const changed = new Map<string, ChatMessageView>();
  for (const event of events) {
    const held = next.get(event.messageId);
    let view: ChatMessageView | undefined;
    switch (event.type) {
      case 'message':
        if (held !== undefined && held.seq !== null) continue;
        view = {
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
        };
        break;
      case 'edit':
        if (held === undefined || held.deleted) continue;
        view = { ...held, body: event.body, editedAt: event.createdAt };
        break;
      case 'delete':
        if (held === undefined) continue;
        view = { ...held, body: '', deleted: true };
        break;
      default: {
        const never: never = event;
        throw new Error(`unknown chat event ${JSON.stringify(never)}`);
      }
    }
    next.set(view.clientId, view);
    changed.set(view.clientId, view);
  }
  return { views: next, changed: [...changed.values()] };
}
