import { useAppStore } from '../store/appStore.ts';
import { ChatPanel } from './ChatPanel.tsx';
import { titleOf } from './chats.ts';

/**
 * The call's chat panel: the meeting's chat, or a direct chat started from the people in the
 * call (the call stays on screen), with the way back.
 */
export function CallChat({ meetingConversationId }: { readonly meetingConversationId: string | null }) {
  const shown = useAppStore((s) => s.callChat);
  const conversation = useAppStore((s) => s.conversations.find((c) => c.id === shown));
  const selfId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const back = useAppStore((s) => s.showInCallChat);
  if (shown === null) return <ChatPanel conversationId={meetingConversationId} />;
  return (
    <div className="call-side-chat">
      <button type="button" className="link-button" onClick={() => back(null)}>
        ← Back to the meeting chat
      </button>
      <ChatPanel key={shown} conversationId={shown} title={titleOf(conversation, selfId)} />
    </div>
  );
}
