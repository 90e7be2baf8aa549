import type { ReactNode } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { ChatPanel } from './ChatPanel.tsx';
import { titleOf } from './chats.ts';
import { useT } from '../i18n/useT.ts';

/**
 * The call's chat panel: the meeting's chat, or a direct chat started from the people in the
 * call (the call stays on screen), with the way back. An end-to-end encrypted meeting brings its
 * own chat (`meetingChat`), which never goes through the server.
 */
export function CallChat({
  meetingConversationId,
  meetingChat,
}: {
  readonly meetingConversationId: string | null;
  readonly meetingChat?: ReactNode;
}) {
  const t = useT();
  const shown = useAppStore((s) => s.callChat);
  const conversation = useAppStore((s) => s.conversations.find((c) => c.id === shown));
  const selfId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const back = useAppStore((s) => s.showInCallChat);
  if (shown === null) return meetingChat ?? <ChatPanel conversationId={meetingConversationId} />;
  return (
    <div className="call-side-chat">
      <button type="button" className="link-button" onClick={() => back(null)}>
        {t('chat.backToMeetingChat')}
      </button>
      <ChatPanel key={shown} conversationId={shown} title={titleOf(conversation, selfId)} />
    </div>
  );
}
