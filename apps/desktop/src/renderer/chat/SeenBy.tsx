import type { ChatMessageView } from '@tandem/shared';
import { useEffect, useMemo } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { seenBy, seenByText, showsReceipts } from './chats.ts';
import { useChatsController } from './chatsController.ts';
import { useT } from '../i18n/useT.ts';

const NONE: readonly never[] = [];

/**
 * "Seen by …" under the newest message of a direct chat or small group: the others who read up
 * to it, as main last heard (so offline too); main pushes changes.
 */
export function SeenBy({
  conversationId,
  messages,
}: {
  readonly conversationId: string;
  readonly messages: readonly ChatMessageView[];
}) {
  const t = useT();
  const controller = useChatsController();
  const conversation = useAppStore((s) => s.conversations.find((c) => c.id === conversationId));
  const receipts = useAppStore((s) => s.receipts[conversationId] ?? NONE);
  const shows = conversation !== undefined && showsReceipts(conversation);
  useEffect(() => {
    if (shows) void controller.loadReceipts(conversationId).catch(() => undefined);
  }, [controller, conversationId, shows]);
  const text = useMemo(() => {
    const others = (conversation?.members?.length ?? 1) - 1;
    return seenByText(seenBy(messages.at(-1), receipts), others, t);
  }, [messages, receipts, conversation, t]);
  if (!shows || text === null) return null;
  return (
    <p className="seen-by" aria-live="polite">
      {text}
    </p>
  );
}
