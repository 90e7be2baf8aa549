import { useAppStore } from '../store/appStore.ts';
import { ChatPanel } from './ChatPanel.tsx';

export function Conversation({
  conversationId,
  threadOf,
}: {
  readonly conversationId: string;
  /** A thread to open beside it (a notification about a reply, a search hit in a thread). */
  readonly threadOf?: string | undefined;
}) {
  const title = useAppStore((s) => s.conversations.find((c) => c.id === conversationId)?.name ?? 'Chat');
  return (
    <main className="conversation-screen" aria-label={title}>
      <ChatPanel conversationId={conversationId} title={title} asPage openThread={threadOf} />
    </main>
  );
}
