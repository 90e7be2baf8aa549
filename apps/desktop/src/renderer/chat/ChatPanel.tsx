import type { ChatMessageView, MentionPerson } from '@tandem/shared';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { SeenBy } from './SeenBy.tsx';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useViewingConversation } from '../ui/useAttention.ts';
import { ChatMessage } from './ChatMessage.tsx';
import { Composer } from './Composer.tsx';
import { ThreadPanel } from './ThreadPanel.tsx';
import { TypingIndicator } from './TypingIndicator.tsx';
import { useT } from '../i18n/useT.ts';

const NONE: readonly ChatMessageView[] = [];

/**
 * A conversation's messages from the cache (top-level ones: replies live in their thread), who
 * else is typing, and a composer; used in calls and on its own. A thread opens beside it.
 */
export function ChatPanel({
  conversationId,
  title,
  asPage = false,
  openThread,
  actions,
}: {
  readonly conversationId: string | null;
  /** What the user may do with the conversation (members, rename, archive, leave), beside its title. */
  readonly actions?: ReactNode;
  readonly title?: string;
  /** On its own screen the title is the page's heading; in a call it heads a side panel. */
  readonly asPage?: boolean;
  /** Open this root's thread beside the conversation when it shows, or when this changes. */
  readonly openThread?: string | undefined;
}) {
  const t = useT();
  const heading = title ?? t('chat.title');
  const Heading = asPage ? 'h1' : 'h2';
  const controller = useController();
  const all = useAppStore((s) => (conversationId === null ? NONE : (s.messages[conversationId] ?? NONE)));
  const messages = useMemo(() => all.filter((m) => m.threadOf === null), [all]);
  /** The root of the thread open beside the conversation. */
  const [thread, setThread] = useState<string | null>(openThread ?? null);
  const userId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const userName = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.name : undefined));
  const known = useAppStore((s) => s.people);
  // The user is mentionable before the cache has the people list (it learns it at connect).
  const people = useMemo<readonly MentionPerson[]>(
    () =>
      userId === undefined || userName === undefined || known.some((p) => p.id === userId)
        ? known
        : [...known, { id: userId, name: userName }],
    [known, userId, userName],
  );
  const offline = useAppStore((s) => s.connection !== 'online');
  const archived = useAppStore(
    (s) => conversationId !== null && s.conversations.some((c) => c.id === conversationId && c.archivedAt !== null),
  );
  const list = useRef<HTMLOListElement>(null);
  useViewingConversation(conversationId);

  useEffect(() => {
    setThread(openThread ?? null);
    if (conversationId !== null) void controller.openConversation(conversationId).catch(() => undefined);
  }, [controller, conversationId, openThread]);

  const closeThread = () => {
    const root = thread;
    setThread(null);
    // Back to where the thread was opened from, not to the top of the page.
    if (root !== null) {
      requestAnimationFrame(() =>
        list.current?.querySelector<HTMLElement>(`[data-thread-root="${CSS.escape(root)}"]`)?.focus(),
      );
    }
  };

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  if (conversationId === null) {
    return (
      <section className="chat" aria-label={heading}>
        <Heading className="panel-title">{heading}</Heading>
        <p className="empty">{t('chat.off')}</p>
      </section>
    );
  }

  const now = new Date();

  return (
    <div className="chat-layout" data-thread-open={thread !== null}>
      <section className="chat" aria-label={heading}>
        <Heading className="panel-title">{heading}</Heading>
        {actions}
        {messages.length === 0 ? <p className="empty">{t('chat.empty')}</p> : null}
        <ol className="messages" ref={list} aria-live="polite" aria-relevant="additions">
          {messages.map((m) => (
            <ChatMessage
              key={m.clientId}
              message={m}
              mine={m.authorId === userId}
              offline={offline}
              now={now}
              people={people}
              selfId={userId}
              onOpenThread={setThread}
            />
          ))}
        </ol>
        <SeenBy conversationId={conversationId} messages={messages} />
        <TypingIndicator conversationId={conversationId} />
        {archived ? (
          <p className="archived-notice">{t('chat.archivedNotice')}</p>
        ) : (
          <Composer key={conversationId} conversationId={conversationId} />
        )}
      </section>
      {thread === null ? null : (
        <ThreadPanel
          key={thread}
          conversationId={conversationId}
          rootId={thread}
          people={people}
          selfId={userId}
          offline={offline}
          onClose={closeThread}
        />
      )}
    </div>
  );
}
