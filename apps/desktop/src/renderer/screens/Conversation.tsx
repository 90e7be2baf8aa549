import { useAppStore } from '../store/appStore.ts';
import { ChatPanel } from './ChatPanel.tsx';

export function Conversation({ conversationId }: { readonly conversationId: string }) {
  const title = useAppStore((s) => s.conversations.find((c) => c.id === conversationId)?.name ?? 'Chat');
  return (
    <main className="conversation-screen" aria-label={title}>
      <ChatPanel conversationId={conversationId} title={title} asPage />
    </main>
  );
}
