import type { ChatMessageView } from '@tandem/shared';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useViewingConversation } from '../ui/useAttention.ts';
import { ChatMessage } from './ChatMessage.tsx';

const NONE: readonly ChatMessageView[] = [];

/** A conversation's messages from the cache and a composer; used in calls and on its own. */
export function ChatPanel({
  conversationId,
  title = 'Chat',
  asPage = false,
}: {
  readonly conversationId: string | null;
  readonly title?: string;
  /** On its own screen the title is the page's heading; in a call it heads a side panel. */
  readonly asPage?: boolean;
}) {
  const Heading = asPage ? 'h1' : 'h2';
  const controller = useController();
  const messages = useAppStore((s) => (conversationId === null ? NONE : (s.messages[conversationId] ?? NONE)));
  const userId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const offline = useAppStore((s) => s.connection !== 'online');
  const [draft, setDraft] = useState('');
  const [send, sending] = useAsyncAction(controller.sendMessage);
  const list = useRef<HTMLOListElement>(null);
  useViewingConversation(conversationId);

  useEffect(() => {
    if (conversationId !== null) void controller.openConversation(conversationId).catch(() => undefined);
  }, [controller, conversationId]);

  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  if (conversationId === null) {
    return (
      <section className="chat" aria-label={title}>
        <Heading className="panel-title">{title}</Heading>
        <p className="empty">Chat is off for this meeting.</p>
      </section>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = draft.trim();
    if (body === '') return;
    if (await send(conversationId, body)) setDraft('');
  };
  const now = new Date();

  return (
    <section className="chat" aria-label={title}>
      <Heading className="panel-title">{title}</Heading>
      {messages.length === 0 ? <p className="empty">No messages yet. Say hello.</p> : null}
      <ol className="messages" ref={list} aria-live="polite" aria-relevant="additions">
        {messages.map((m) => (
          <ChatMessage key={m.clientId} message={m} mine={m.authorId === userId} offline={offline} now={now} />
        ))}
      </ol>
      <form className="composer" onSubmit={(e) => void submit(e)}>
        <label htmlFor={`composer-${conversationId}`} className="visually-hidden">
          Message
        </label>
        <textarea
          id={`composer-${conversationId}`}
          rows={2}
          value={draft}
          placeholder={offline ? 'Offline: messages are sent when you reconnect' : 'Write a message'}
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
        />
        <button type="submit" className="button button-primary" disabled={sending.busy || draft.trim() === ''}>
          {sending.busy ? 'Sending…' : 'Send'}
        </button>
      </form>
      {sending.error === undefined ? null : (
        <p className="error" role="alert">
          Not sent: {sending.error}
        </p>
      )}
    </section>
  );
}
