import { ConversationActions } from './ConversationActions.tsx';
import { titleOf } from './chats.ts';
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
  const conversation = useAppStore((s) => s.conversations.find((c) => c.id === conversationId));
  const selfId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const title = titleOf(conversation, selfId);
  return (
    <main className="conversation-screen" aria-label={title}>
      <ChatPanel
        conversationId={conversationId}
        title={title}
        asPage
        openThread={threadOf}
        actions={conversation === undefined ? null : <ConversationActions conversation={conversation} />}
      />
    </main>
  );
}
