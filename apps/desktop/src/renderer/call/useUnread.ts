import { useEffect, useState } from 'react';
import { useAppStore } from '../store/appStore.ts';

/**
 * Messages from others that arrived in the conversation since the chat panel was last open, for
 * the badge on the Chat button, plus what waits elsewhere for the user while the call is on:
 * unread direct and group messages and private channels, and mentions in the rest. While the
 * panel is open the meeting's own count is read.
 */
export function useUnread(conversationId: string, open: boolean): number {
  const fromOthers = useAppStore((s) => {
    const me = s.session.status === 'signedIn' ? s.session.info.user.id : undefined;
    return (s.messages[conversationId] ?? []).filter((m) => m.authorId !== me).length;
  });
  const elsewhere = useAppStore((s) =>
    s.conversations
      .filter((c) => c.id !== conversationId && c.archivedAt === null && !c.left)
      .reduce((sum, c) => sum + (c.private ? c.unread : c.mentions), 0),
  );
  const [seen, setSeen] = useState(fromOthers);
  useEffect(() => {
    if (open) setSeen(fromOthers);
  }, [open, fromOthers]);
  return (open ? 0 : Math.max(0, fromOthers - seen)) + elsewhere;
}
