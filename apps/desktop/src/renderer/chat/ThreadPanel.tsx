import type { ChatMessageView, MentionPerson } from '@tandem/shared';
import { useEffect, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { ChatMessage } from './ChatMessage.tsx';
import { Composer } from './Composer.tsx';
import { useT } from '../i18n/useT.ts';

/**
 * A thread beside its conversation: the root, its replies (from the cache, live as they arrive)
 * and a composer that replies in it. Opening moves focus to its heading; Escape or Close shuts it
 * and the conversation gets focus back (`onClose`).
 */
export function ThreadPanel({
  conversationId,
  rootId,
  people,
  selfId,
  offline,
  onClose,
}: {
  readonly conversationId: string;
  readonly rootId: string;
  readonly people: readonly MentionPerson[];
  readonly selfId: string | undefined;
  readonly offline: boolean;
  readonly onClose: () => void;
}) {
  const t = useT();
  const controller = useController();
  const heading = useRef<HTMLHeadingElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const thread = useAppStore(
    useShallow((s) => (s.messages[conversationId] ?? []).filter((m) => m.clientId === rootId || m.threadOf === rootId)),
  );
  const root: ChatMessageView | undefined = thread.find((m) => m.clientId === rootId);
  const replies = useMemo(() => thread.filter((m) => m.threadOf === rootId), [thread, rootId]);

  useEffect(() => {
    void controller.loadThread(conversationId, rootId).catch(() => undefined);
    heading.current?.focus();
  }, [controller, conversationId, rootId]);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [replies.length]);

  const now = new Date();
  const replyCount = replies.filter((m) => !m.deleted).length;
  return (
    <aside
      className="thread-panel"
      aria-labelledby={`thread-heading-${rootId}`}
      onKeyDown={(e) => {
        // Escape closes the thread unless something inside (a menu, the mention list) took it.
        if (e.key === 'Escape' && !e.defaultPrevented) {
          e.preventDefault();
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <div className="thread-header">
        <h2 id={`thread-heading-${rootId}`} className="panel-title" tabIndex={-1} ref={heading}>
          {t('chat.thread')}
        </h2>
        <button type="button" className="button" onClick={onClose}>
          {t('chat.thread.close')}
        </button>
      </div>
      {root === undefined ? (
        <p className="empty">{t('chat.thread.loading')}</p>
      ) : (
        <>
          <ol className="messages thread-root" aria-label={t('chat.thread.start')}>
            <ChatMessage
              message={root}
              mine={root.authorId === selfId}
              offline={offline}
              now={now}
              people={people}
              selfId={selfId}
            />
          </ol>
          <p className="thread-count">{t('chat.replies', { count: replyCount })}</p>
          <ol
            className="messages thread-replies"
            aria-label={t('chat.thread.replies')}
            ref={list}
            aria-live="polite"
            aria-relevant="additions"
          >
            {replies.map((m) => (
              <ChatMessage
                key={m.clientId}
                message={m}
                mine={m.authorId === selfId}
                offline={offline}
                now={now}
                people={people}
                selfId={selfId}
              />
            ))}
          </ol>
          {root.deleted ? null : <Composer key={rootId} conversationId={conversationId} threadOf={rootId} />}
        </>
      )}
    </aside>
  );
}
