import type { ConversationSummary } from '@tandem/shared';
import { useAppStore } from '../store/appStore.ts';
import { previewOf } from '../store/conversations.ts';
import { BusyStatus, PresenceDot } from '../presence/PresenceDot.tsx';
import { Icon } from '../ui/Icon.tsx';
import { titleOf } from './chats.ts';
import { useT } from '../i18n/useT.ts';

/** One conversation in a list: its title (a lock for a private channel), newest message, unread and mentions. */
export function ChatRow({ conversation }: { readonly conversation: ConversationSummary }) {
  const t = useT();
  const navigate = useAppStore((s) => s.navigate);
  const selfId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const { unread, mentions } = conversation;
  const locked = conversation.kind === 'channel' && conversation.private;
  return (
    <li>
      <button
        type="button"
        className="conversation"
        onClick={() => navigate({ name: 'conversation', conversationId: conversation.id })}
      >
        <span className="conversation-title">
          {locked ? (
            <span className="conversation-lock" role="img" aria-label={t('chat.private')}>
              <Icon name="lock" size={14} />
            </span>
          ) : null}
          {titleOf(conversation, selfId)}
          {conversation.kind === 'direct' ? (
            <>
              <PresenceDot userId={conversation.members?.find((m) => m.id !== selfId)?.id} />
              <BusyStatus userId={conversation.members?.find((m) => m.id !== selfId)?.id} />
            </>
          ) : null}
        </span>
        <span className="conversation-last">{previewOf(conversation.lastMessage)}</span>
        {unread === 0 ? null : (
          <span className="unread-count">
            <span aria-hidden="true">
              {unread}
              {mentions > 0 ? ' @' : ''}
            </span>
            <span className="visually-hidden">{t('chat.unread', { unread, mentions })}</span>
          </span>
        )}
      </button>
    </li>
  );
}
