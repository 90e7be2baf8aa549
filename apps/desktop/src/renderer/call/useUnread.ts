import { useEffect, useState } from 'react';
import { useAppStore } from '../store/appStore.ts';

/**
 * Messages from others that arrived in the conversation since the chat panel was last open, for
 * the badge on the Chat button. While the panel is open everything counts as read.
 */
export function useUnread(conversationId: string, open: boolean): number {
  const fromOthers = useAppStore((s) => {
    const me = s.session.status === 'signedIn' ? s.session.info.user.id : undefined;
    return (s.messages[conversationId] ?? []).filter((m) => m.authorId !== me).length;
  });
  const [seen, setSeen] = useState(fromOthers);
  useEffect(() => {
    if (open) setSeen(fromOthers);
  }, [open, fromOthers]);
  return open ? 0 : Math.max(0, fromOthers - seen);
}
