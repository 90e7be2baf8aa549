import { type ChatMessageView, LIMITS, type MentionPerson, mentionSegments, type SendFailure } from '@tandem/shared';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useController } from '../store/ControllerContext.ts';
import { errorText } from '../ui/errorText.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { ActionsMenu } from '../ui/ActionsMenu.tsx';
import { MessageFiles } from './MessageFiles.tsx';
import { MessageReactions } from './MessageReactions.tsx';
import './chat.css';
import { useT } from '../i18n/useT.ts';
import { useDates } from '../i18n/useDates.ts';

/** What the message shows: its text, an inline editor, or the question whether to delete it. */
type Mode = 'view' | 'edit' | 'confirmDelete';

/** The server's reason in the same words as any other failed action. */
const failureText = (failure: SendFailure): string =>
  errorText(Object.assign(new Error(failure.message), { code: failure.code }));

/**
 * One chat message. Mentions of people stand out, and one of the user most (the whole message
 * too). The author's own sent messages have an actions menu (edit inline, delete after a
 * confirmation); a message the server refused for good says so, with Retry and Discard. Every
 * sent message takes reactions; a top-level one in the conversation's list shows its thread (reply
 * count and last reply) and opens it with `onOpenThread`.
 */
export function ChatMessage({
  message: m,
  mine,
  offline,
  now,
  people,
  selfId,
  onOpenThread,
}: {
  readonly message: ChatMessageView;
  readonly mine: boolean;
  readonly offline: boolean;
  readonly now: Date;
  /** Who can be mentioned, the user included. */
  readonly people: readonly MentionPerson[];
  readonly selfId: string | undefined;
  /** In the conversation's list: opens this message's thread beside it. Absent inside a thread. */
  readonly onOpenThread?: ((rootId: string) => void) | undefined;
}) {
  const t = useT();
  const { when: formatWhen } = useDates();
  const controller = useController();
  const [mode, setMode] = useState<Mode>('view');
  const [draft, setDraft] = useState(m.body);
  const [edit, editing] = useAsyncAction(controller.editMessage);
  const [remove, removing] = useAsyncAction(controller.deleteMessage);
  const [retry, retrying] = useAsyncAction(controller.retryMessage);
  const [discard, discarding] = useAsyncAction(controller.discardMessage);
  const actionsButton = useRef<HTMLButtonElement>(null);
  const item = useRef<HTMLLIElement>(null);
  /** Set when an edit or delete ends, so focus goes back where it came from, not to the page. */
  const [refocus, setRefocus] = useState(false);
  const bodyId = useId();
  const failureId = useId();

  useEffect(() => {
    if (!refocus || mode !== 'view') return;
    setRefocus(false);
    (actionsButton.current ?? item.current)?.focus();
  }, [refocus, mode]);

  const finish = () => {
    setMode('view');
    setRefocus(true);
  };
  const save = async () => {
    const body = draft.trim();
    if (body === m.body) return finish();
    if (await edit(m.conversationId, m.clientId, body)) finish();
  };
  const canChange = mine && m.status === 'sent' && !m.deleted && mode === 'view';
  // An edit's or delete's failure shows while it can still be tried again; Retry's and Discard's stay.
  const shown = { view: [], edit: [editing], confirmDelete: [removing] }[mode];
  const error = [...shown, retrying, discarding].find((state) => state.error !== undefined)?.error;
  const excerpt = m.body.length > 40 ? `${m.body.slice(0, 40)}…` : m.body;
  const segments = useMemo(() => (m.deleted ? [] : mentionSegments(m.body, people)), [m.body, m.deleted, people]);
  const isMe = (userIds: readonly string[]) => selfId !== undefined && userIds.includes(selfId);
  const mentionsMe = !mine && segments.some((s) => s.kind === 'mention' && isMe(s.userIds));

  return (
    <li
      ref={item}
      tabIndex={-1}
      className="message"
      data-mine={mine}
      data-status={m.status}
      data-deleted={m.deleted}
      data-mentions-me={mentionsMe || undefined}
      data-urgent={m.urgent || undefined}
      aria-describedby={m.status === 'failed' ? failureId : undefined}
    >
      <div className="message-meta">
        <span className="message-author">{mine ? t('chat.you') : m.authorName}</span>
        {mentionsMe ? <span className="visually-hidden">{t('chat.mentionedYou')}</span> : null}
        {m.urgent ? <span className="message-urgent">{t('chat.urgent')}</span> : null}
        <time dateTime={m.sentAt}>{formatWhen(new Date(m.sentAt), now)}</time>
        {m.editedAt !== null && !m.deleted ? (
          <span className="message-edited" title={t('chat.editedAt', { when: formatWhen(new Date(m.editedAt), now) })}>
            {t('chat.edited')}
          </span>
        ) : null}
        {m.status === 'pending' ? (
          <span className="message-pending">{t(offline ? 'chat.waiting' : 'chat.sending')}</span>
        ) : null}
        {canChange ? (
          <ActionsMenu
            label={t('chat.actions', { excerpt })}
            button={actionsButton}
            actions={[
              {
                label: t('chat.edit'),
                run: () => {
                  setDraft(m.body);
                  setMode('edit');
                },
              },
              { label: t('chat.delete'), run: () => setMode('confirmDelete') },
            ]}
          />
        ) : null}
      </div>

      {mode === 'edit' ? (
        <form
          className="message-edit"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label htmlFor={`${bodyId}-edit`} className="visually-hidden">
            {t('chat.edit.label')}
          </label>
          <textarea
            id={`${bodyId}-edit`}
            rows={2}
            value={draft}
            maxLength={LIMITS.chatBodyChars}
            autoFocus
            aria-describedby={`${bodyId}-hint`}
            onChange={(e) => setDraft(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              } else if (e.key === 'Escape') {
                e.preventDefault();
                finish();
              }
            }}
          />
          <p id={`${bodyId}-hint`} className="hint message-edit-hint">
            {t('chat.edit.hint')}
          </p>
          <div className="row">
            <button type="submit" className="button button-primary" disabled={editing.busy || draft.trim() === ''}>
              {t(editing.busy ? 'ui.saving' : 'ui.save')}
            </button>
            <button type="button" className="button" onClick={finish}>
              {t('chat.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p id={bodyId} className="message-body">
          {m.deleted ? (
            <em>{t('chat.deleted')}</em>
          ) : (
            segments.map((segment, i) =>
              segment.kind === 'text' ? (
                segment.text
              ) : (
                <span key={i} className="mention" data-me={isMe(segment.userIds) || undefined}>
                  {segment.text}
                </span>
              ),
            )
          )}
        </p>
      )}

      {m.deleted ? null : <MessageFiles conversationId={m.conversationId} files={m.files} />}

      {mode === 'confirmDelete' ? (
        <div className="message-confirm" role="group" aria-label={t('chat.delete.question')}>
          <p>{t('chat.delete.confirm')}</p>
          <div className="row">
            <button
              type="button"
              className="button button-danger"
              disabled={removing.busy}
              onClick={() => void remove(m.conversationId, m.clientId).then((ok) => ok && finish())}
            >
              {t(removing.busy ? 'chat.deleting' : 'chat.delete')}
            </button>
            <button type="button" className="button" autoFocus onClick={finish}>
              {t('chat.cancel')}
            </button>
          </div>
        </div>
      ) : null}

      {m.status === 'failed' ? (
        <div className="message-failed">
          <p id={failureId}>
            <strong>{t('chat.notSent')}</strong> {m.failure === null ? null : failureText(m.failure)}
          </p>
          <div className="row">
            <button type="button" className="button" disabled={retrying.busy} onClick={() => void retry(m.clientId)}>
              {t('chat.retry')}
            </button>
            <button
              type="button"
              className="button"
              disabled={discarding.busy}
              onClick={() => {
                // The message leaves the list: keyboard focus goes to its neighbour, not to the page.
                const neighbour = item.current?.nextElementSibling ?? item.current?.previousElementSibling;
                void discard(m.conversationId, m.clientId).then((ok) => {
                  if (ok && neighbour instanceof HTMLElement) neighbour.focus();
                });
              }}
            >
              {t('chat.discard')}
            </button>
          </div>
        </div>
      ) : null}

      {mode === 'view' ? (
        <div className="message-extras">
          <MessageReactions
            message={m}
            selfId={selfId}
            offline={offline}
            canReact={m.status === 'sent' && !m.deleted}
          />
          {onOpenThread !== undefined &&
          m.threadOf === null &&
          m.status === 'sent' &&
          (m.replyCount > 0 || !m.deleted) ? (
            <button
              type="button"
              className="thread-link"
              data-thread-root={m.clientId}
              // The visible words start the accessible name (WCAG 2.5.3); what the button does follows.
              aria-label={m.replyCount === 0 ? t('chat.replyTo', { mine, name: m.authorName }) : undefined}
              onClick={() => onOpenThread(m.clientId)}
            >
              {m.replyCount === 0 ? (
                t('chat.reply')
              ) : (
                <>
                  <strong>{t('chat.replies', { count: m.replyCount })}</strong>
                  {m.lastReplyAt === null ? null : (
                    <span className="thread-last">
                      {` · ${t('chat.lastReply')} `}
                      <time dateTime={m.lastReplyAt}>{formatWhen(new Date(m.lastReplyAt), now)}</time>
                    </span>
                  )}
                  <span className="visually-hidden">{t('chat.openThread')}</span>
                </>
              )}
            </button>
          ) : null}
        </div>
      ) : null}

      {error === undefined ? null : (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}
