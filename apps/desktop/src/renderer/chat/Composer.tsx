import { URGENT_CONVERSATION_KINDS, type MentionPerson } from '@tandem/shared';
import {
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type ClipboardEvent,
  type DragEvent,
  type FormEvent,
  type KeyboardEvent,
} from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../store/appStore.ts';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { AttachmentList } from './AttachmentList.tsx';
import { draftAfterSend } from './draft.ts';
import { insertMention, matchPeople, mentionQueryAt } from './mentionQuery.ts';
import { createTypingSignal } from './typing.ts';
import { useAttachments } from './useAttachments.ts';
import { useT } from '../i18n/useT.ts';

/**
 * The message composer of one conversation. Writing `@` and letters opens a list of the
 * organisation's people (a combobox on the textarea: Up and Down move, Enter or Tab insert
 * `@Full Name `, Escape closes; a click inserts too). While the draft changes the others are told
 * someone is typing, and told it stopped when the draft is sent or cleared.
 */
export function Composer({
  conversationId,
  threadOf,
}: {
  readonly conversationId: string;
  /** A thread's composer: what is sent replies to this root message. */
  readonly threadOf?: string | undefined;
}) {
  const t = useT();
  const controller = useController();
  const offline = useAppStore((s) => s.connection !== 'online');
  const selfId = useAppStore((s) => (s.session.status === 'signedIn' ? s.session.info.user.id : undefined));
  const others = useAppStore(useShallow((s) => s.people.filter((p) => p.id !== selfId)));
  const kind = useAppStore((s) => s.conversations.find((c) => c.id === conversationId)?.kind);
  /** Marked urgent: it reaches the others through do not disturb (direct and group chats only). */
  const [urgent, setUrgent] = useState(false);
  const canBeUrgent = kind !== undefined && URGENT_CONVERSATION_KINDS.has(kind);
  const [draft, setDraft] = useState('');
  const [caret, setCaret] = useState(0);
  /** The highlighted suggestion, for the mention starting at `start` (a new mention starts at the top). */
  const [active, setActive] = useState({ start: -1, index: 0 });
  /** Where the mention Escape closed starts; it stays closed until another one starts. */
  const [dismissed, setDismissed] = useState<number | null>(null);
  const [send, sending] = useAsyncAction(controller.sendMessage);
  const files = useAttachments(conversationId);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);
  const textarea = useRef<HTMLTextAreaElement>(null);
  /** Where the caret goes after an inserted mention, once React has rendered the new text. */
  const placeCaret = useRef<number | null>(null);
  const id = useId();
  const inputId = threadOf === undefined ? `composer-${conversationId}` : `composer-${conversationId}-thread`;
  const listId = `${id}-mentions`;

  const typing = useMemo(
    () => createTypingSignal((isTyping) => controller.sendTyping(conversationId, isTyping)),
    [controller, conversationId],
  );
  // Leaving the conversation with a draft half-written: the others stop seeing "typing".
  useEffect(() => () => typing.stop(), [typing]);

  const mention = mentionQueryAt(draft, caret);
  const suggestions: readonly MentionPerson[] = mention === null ? [] : matchPeople(others, mention.query);
  const open = mention !== null && suggestions.length > 0 && dismissed !== mention.start;
  const activeIndex = active.start === mention?.start ? Math.min(active.index, suggestions.length - 1) : 0;
  const selected = open ? suggestions[activeIndex] : undefined;
  const optionId = (person: MentionPerson) => `${listId}-${person.id}`;

  // A new mention lists the people the cache knows now (it learns them at each connect).
  const mentionStart = mention?.start ?? null;
  useEffect(() => {
    if (mentionStart !== null) void controller.loadPeople().catch(() => undefined);
  }, [controller, mentionStart]);

  useLayoutEffect(() => {
    const at = placeCaret.current;
    if (at === null || textarea.current === null) return;
    placeCaret.current = null;
    textarea.current.setSelectionRange(at, at);
  }, [draft]);

  /** The draft as last written, for a send that finishes after more was typed. */
  const written = useRef('');
  const change = (text: string, at: number) => {
    written.current = text;
    setDraft(text);
    setCaret(at);
    if (mentionQueryAt(text, at) === null) setDismissed(null);
    typing.draftChanged(text);
  };

  const choose = (person: MentionPerson) => {
    if (mention === null) return;
    const next = insertMention(draft, caret, mention, person);
    placeCaret.current = next.caret;
    change(next.text, next.caret);
    textarea.current?.focus();
  };

  const attached = files.ready();
  const canSend = !files.uploading && (draft.trim() !== '' || attached.length > 0);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = draft.trim();
    if (!canSend) return;
    typing.stop();
    if (await send(conversationId, body, threadOf, attached, canBeUrgent && urgent)) {
      // What was typed while it was sending (the next message) stays.
      const next = draftAfterSend(written.current, body);
      if (next !== written.current) change(next, 0);
      files.clear();
      setUrgent(false);
    }
  };

  /** Files dropped on the composer or pasted into it are attached like picked ones. */
  const onDrop = (e: DragEvent<HTMLFormElement>) => {
    if (e.dataTransfer.files.length === 0) return;
    e.preventDefault();
    setDragging(false);
    files.add(e.dataTransfer.files);
  };
  const onPaste = (e: ClipboardEvent<HTMLTextAreaElement>) => {
    if (e.clipboardData.files.length === 0) return;
    e.preventDefault();
    files.add(e.clipboardData.files);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (open && selected !== undefined && mention !== null) {
      const move = (by: number) =>
        setActive({ start: mention.start, index: (activeIndex + by + suggestions.length) % suggestions.length });
      switch (e.key) {
        case 'ArrowDown':
          e.preventDefault();
          return move(1);
        case 'ArrowUp':
          e.preventDefault();
          return move(-1);
        case 'Enter':
        case 'Tab':
          e.preventDefault();
          return choose(selected);
        case 'Escape':
          // Closes the list only: a call's side panel must not close with it.
          e.preventDefault();
          e.stopPropagation();
          return setDismissed(mention.start);
      }
    }
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      e.currentTarget.form?.requestSubmit();
    }
  };

  return (
    <>
      <form
        className="composer"
        data-dragging={dragging || undefined}
        onSubmit={(e) => void submit(e)}
        onDragOver={(e) => {
          if (!e.dataTransfer.types.includes('Files')) return;
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId} className="visually-hidden">
          {t(threadOf === undefined ? 'call.message' : 'chat.reply')}
        </label>
        <div className="composer-input">
          <textarea
            id={inputId}
            ref={textarea}
            rows={2}
            value={draft}
            placeholder={
              offline
                ? t('chat.composer.offline')
                : threadOf === undefined
                  ? t('chat.composer.placeholder')
                  : t('chat.composer.reply')
            }
            role="combobox"
            aria-autocomplete="list"
            aria-haspopup="listbox"
            aria-expanded={open}
            aria-controls={listId}
            aria-activedescendant={selected === undefined ? undefined : optionId(selected)}
            onChange={(e) => change(e.target.value, e.target.selectionStart)}
            onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyDown={onKeyDown}
            onPaste={onPaste}
          />
          <ul
            id={listId}
            role="listbox"
            aria-label={t('chat.composer.mentions')}
            className="mention-list"
            hidden={!open}
          >
            {open
              ? suggestions.map((person) => (
                  <li
                    key={person.id}
                    id={optionId(person)}
                    role="option"
                    aria-selected={person === selected}
                    className="mention-option"
                    // The textarea keeps the focus (and the caret) while the mouse picks.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => choose(person)}
                  >
                    {person.name}
                  </li>
                ))
              : null}
          </ul>
        </div>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          onChange={(e) => {
            if (e.target.files !== null) files.add(e.target.files);
            e.target.value = '';
          }}
        />
        <button
          type="button"
          className="button composer-attach"
          disabled={offline}
          title={offline ? t('chat.composer.attachOffline') : undefined}
          onClick={() => picker.current?.click()}
        >
          {t('chat.composer.attach')}
        </button>
        {canBeUrgent ? (
          <button
            type="button"
            className="button composer-urgent"
            aria-pressed={urgent}
            title={t('chat.composer.urgentHint')}
            onClick={() => setUrgent((u) => !u)}
          >
            {t('chat.urgent')}
          </button>
        ) : null}
        <button type="submit" className="button button-primary" disabled={sending.busy || !canSend}>
          {t(sending.busy ? 'chat.sending' : 'chat.send')}
        </button>
      </form>
      <AttachmentList attachments={files.attachments} onRemove={files.remove} onRetry={files.retry} />
      {sending.error === undefined ? null : (
        <p className="error" role="alert">
          {t('chat.notSentBecause', { reason: sending.error })}
        </p>
      )}
    </>
  );
}
