import { type ChatMessageView, MESSAGE_REACTIONS, type MessageReaction } from '@tandem/shared';
import { useRef } from 'react';
import { useController } from '../store/ControllerContext.ts';
import { useAsyncAction } from '../ui/useAsyncAction.ts';
import { useMenuButton } from '../ui/useMenuButton.ts';
import { translateNow } from '../i18n/current.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import { useT, type Translate } from '../i18n/useT.ts';

/** Each reaction's name, for the ear and the tooltip. */
const REACTION_NAMES: Readonly<Record<MessageReaction, MessageId>> = {
  '👍': 'chat.reaction.thumbsUp',
  '❤️': 'chat.reaction.heart',
  '😂': 'chat.reaction.laughing',
  '🎉': 'chat.reaction.party',
  '😮': 'chat.reaction.surprised',
  '😢': 'chat.reaction.sad',
};

/** "Ada Demo", "Ada Demo and you", "Ada Demo, Grace Demo and you": who gave a reaction, the user last. */
export function reactedBy(
  users: readonly { id: string; name: string }[],
  selfId: string | undefined,
  t: Translate = translateNow,
): string {
  const names = [
    ...users.filter((u) => u.id !== selfId).map((u) => u.name),
    ...(users.some((u) => u.id === selfId) ? [t('chat.reaction.you')] : []),
  ];
  return names.length <= 1
    ? (names[0] ?? '')
    : t('chat.and', { names: names.slice(0, -1).join(t('chat.listSeparator')), last: names.at(-1) ?? '' });
}

/**
 * A message's reactions: one toggle per emoji given (its count; who gave it in the tooltip and
 * the accessible name; pressed when the user is among them), and a picker (a menu button: arrows,
 * Home, End, Escape) to give one. Reacting needs the server, so it is off while offline.
 */
export function MessageReactions({
  message: m,
  selfId,
  offline,
  canReact,
}: {
  readonly message: ChatMessageView;
  readonly selfId: string | undefined;
  readonly offline: boolean;
  /** Sent and not deleted: the server takes reactions to it. */
  readonly canReact: boolean;
}) {
  const t = useT();
  const controller = useController();
  const [react, reacting] = useAsyncAction(controller.reactToMessage);
  const pickerButton = useRef<HTMLButtonElement>(null);
  const { open, close, containerProps, buttonProps, menuProps } = useMenuButton<HTMLUListElement>(pickerButton);
  const mine = (emoji: MessageReaction) =>
    m.reactions.some((r) => r.emoji === emoji && r.users.some((u) => u.id === selfId));
  // While one toggle is on its way, another click waits for nothing: the controls stay enabled
  // (a disabled button would drop the keyboard focus), and the click is ignored.
  const toggle = (emoji: MessageReaction) => {
    if (!reacting.busy) void react(m.conversationId, m.clientId, emoji, !mine(emoji));
  };
  const disabled = offline;

  if (!canReact && m.reactions.length === 0) return null;
  return (
    <div className="reactions">
      {m.reactions.length > 0 ? (
        <ul className="reaction-list" aria-label={t('call.reactions')}>
          {m.reactions.map((r) => {
            const who = reactedBy(r.users, selfId, t);
            const name = t(REACTION_NAMES[r.emoji]);
            return (
              <li key={r.emoji}>
                <button
                  type="button"
                  className="reaction"
                  aria-pressed={mine(r.emoji)}
                  aria-label={`${name} ${r.emoji}, ${r.users.length}: ${who}`}
                  title={t('chat.reaction.who', { who, name })}
                  disabled={!canReact || disabled}
                  onClick={() => toggle(r.emoji)}
                >
                  <span aria-hidden="true">{r.emoji}</span>
                  <span aria-hidden="true" className="reaction-count">
                    {r.users.length}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      ) : null}
      {canReact ? (
        <div className="reaction-picker" {...containerProps}>
          <button
            type="button"
            className="reaction-add"
            aria-label={t('chat.reaction.add')}
            title={t(offline ? 'chat.reaction.offline' : 'chat.reaction.add')}
            disabled={disabled}
            {...buttonProps}
          >
            <span aria-hidden="true">☺+</span>
          </button>
          {open ? (
            <ul aria-label={t('chat.reaction.choices')} className="reaction-menu" {...menuProps}>
              {MESSAGE_REACTIONS.map((emoji) => (
                <li key={emoji} role="none">
                  <button
                    type="button"
                    role="menuitemcheckbox"
                    aria-checked={mine(emoji)}
                    aria-label={t(REACTION_NAMES[emoji])}
                    title={t(REACTION_NAMES[emoji])}
                    tabIndex={-1}
                    onClick={() => {
                      close(true);
                      toggle(emoji);
                    }}
                  >
                    {emoji}
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {reacting.error === undefined ? null : (
        <p className="error" role="alert">
          {reacting.error}
        </p>
      )}
    </div>
  );
}
