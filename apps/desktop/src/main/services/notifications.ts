import {
  conversationTitle,
  mentions,
  pageFieldLink,
  type ChatMessageView,
  type ConversationView,
  type LobbyEntry,
  type Meeting,
  type NotificationTarget,
  type ExpertAsk,
  type PageDelegation,
  type ServerMessage,
  type Settings,
  type ShippedLocale,
} from '@tandem/shared';
import { mainText, type MainText } from '../i18n/mainText.ts';
import type { NotificationSurface, ShownNotification } from '../platform/types.ts';
import type { Emit } from './events.ts';

/** What the renderer tells main about the user's attention (`ui:attention`). */
export type Attention = {
  /** The conversation on screen (its page, or the call's chat panel); null for none. */
  readonly viewing: string | null;
  /** Sharing a screen: nothing pops up where the audience could read it. */
  readonly presenting: boolean;
};

export type NotificationSettings = Pick<Settings, 'notifications' | 'notificationPreviews'>;

/** The longest message text a notification shows; the OS cuts it shorter anyway. */
const PREVIEW_CHARS = 180;

export type ChatNotificationInput = {
  readonly message: ChatMessageView;
  readonly conversation: ConversationView;
  readonly self: { readonly id: string; readonly name: string };
  readonly settings: NotificationSettings;
  readonly focused: boolean;
  readonly attention: Attention;
  /** Messages of this conversation already notified and not yet seen, this one excluded. */
  readonly unseenBefore: number;
  /** For a thread reply: the user takes part in its thread (wrote the root or a reply). */
  readonly inThread: boolean;
  /** The app's language; English when absent. */
  readonly text?: MainText;
};

function preview(body: string): string {
  const oneLine = body.replace(/\s+/g, ' ').trim();
  return oneLine.length <= PREVIEW_CHARS ? oneLine : `${oneLine.slice(0, PREVIEW_CHARS - 1)}…`;
}

/** A page's line with its note after it, when previews are on and there is one. */
function withNote(text: string, note: string, settings: NotificationSettings, t: MainText['t']): string {
  return settings.notificationPreviews && note !== '' ? t('notify.withNote', { text, note: preview(note) }) : text;
}

/**
 * The notification a new chat message deserves, or null. Nothing for one's own messages, edits
 * or deletions, while presenting, for the conversation the user is looking at, or when the user's
 * setting (or IT's policy) says off or mentions only. Texts never leave the app when previews are off.
 * A thread reply is not in the conversation's list, so it is news only to those who take part in
 * its thread (addressed to them, like a mention: "mentions only" keeps it) or whom it mentions.
 * An urgent message is addressed to the user too, and says so first; do not disturb does not hold
 * it back (see `createNotifications`).
 */
export function chatNotification(input: ChatNotificationInput): { title: string; body: string } | null {
  const { message, conversation, self, settings, attention } = input;
  if (settings.notifications === 'off' || attention.presenting) return null;
  if (message.authorId === self.id || message.deleted || message.status !== 'sent') return null;
  if (input.focused && attention.viewing === conversation.id) return null;
  const { t } = input.text ?? mainText('en');
  const mentioned = mentions(message.body, self.name);
  // A direct chat is the author's own: "in" it reads as "in a direct message".
  const name = conversation.kind === 'direct' ? '' : conversationTitle(conversation, self.id);
  const where =
    conversation.kind === 'direct'
      ? t('notify.where.direct')
      : name === ''
        ? t('notify.where.group')
        : t('notify.where.named', { name });
  const author = message.authorName;
  const text = settings.notificationPreviews ? preview(message.body) : t('notify.hidden');
  if (message.urgent) return { title: t('notify.urgent', { author, where }), body: text };
  if (message.threadOf !== null) {
    if (mentioned) return { title: t('notify.threadMention', { author, where }), body: text };
    if (!input.inThread) return null;
    return { title: t('notify.threadReply', { author, where }), body: text };
  }
  if (settings.notifications === 'mentions' && !mentioned) return null;
  // A mention keeps its own title; otherwise a notification still on screen turns into a count.
  if (mentioned) return { title: t('notify.mention', { author, where }), body: text };
  if (input.unseenBefore > 0) {
    return {
      title: t('notify.count', { count: input.unseenBefore + 1, where }),
      body: t('notify.withAuthor', { author, text }),
    };
  }
  return { title: conversation.kind === 'direct' ? author : t('notify.from', { author, where }), body: text };
}

/** A host hears of someone waiting in the lobby when the app is not in front (it shows them in the call). */
export function lobbyNotification(input: {
  readonly entry: LobbyEntry;
  /** The meeting's title; null when the cache does not know the meeting. */
  readonly meetingTitle: string | null;
  readonly selfId: string;
  readonly settings: NotificationSettings;
  readonly focused: boolean;
  readonly attention: Attention;
  readonly text?: MainText;
}): { title: string; body: string } | null {
  const { entry, settings } = input;
  const { t } = input.text ?? mainText('en');
  if (settings.notifications === 'off' || input.attention.presenting || input.focused) return null;
  if (entry.status !== 'waiting' || entry.userId === input.selfId) return null;
  return { title: t('notify.lobby', { name: entry.name }), body: input.meetingTitle ?? t('notify.lobby.yourMeeting') };
}

/**
 * Someone invited the user to a meeting: who, what and when. Like a mention, it is addressed to
 * the user, so "mentions only" keeps it; off, or presenting, shows nothing.
 */
export function invitationNotification(input: {
  readonly invitation: Extract<ServerMessage, { type: 'meeting.invited' }>;
  readonly selfId: string;
  readonly settings: NotificationSettings;
  readonly attention: Attention;
  readonly now: Date;
  readonly text?: MainText;
}): { title: string; body: string } | null {
  const { meeting, invitedBy } = input.invitation;
  const { t, dates } = input.text ?? mainText('en');
  if (input.settings.notifications === 'off' || input.attention.presenting) return null;
  if (invitedBy.id === input.selfId || !meeting.invitees.includes(input.selfId)) return null;
  if (meeting.status !== 'scheduled' && meeting.status !== 'live') return null;
  return {
    title: t('notify.invited', { name: invitedBy.name, meeting: meeting.title }),
    body: dates.meetingWhen(meeting, input.now),
  };
}

/**
 * A meeting the user is (or was) invited to changed: someone else cancelled it, or took the user
 * off its invitees. Addressed to the user like an invitation, so "mentions only" keeps it; off,
 * or presenting, shows nothing. `before` is how the cache had the meeting before this change
 * (null when it did not have it): only then is an uninvitation told apart from news to someone
 * who merely joined, and a cancellation heard once.
 */
export function meetingChangeNotification(input: {
  readonly change: Extract<ServerMessage, { type: 'meeting.changed' }>;
  readonly before: Meeting | null;
  readonly selfId: string;
  readonly settings: NotificationSettings;
  readonly attention: Attention;
  readonly now: Date;
  readonly text?: MainText;
}): { title: string; body: string } | null {
  const { meeting, changedBy } = input.change;
  const { t, dates } = input.text ?? mainText('en');
  const { before, selfId } = input;
  if (input.settings.notifications === 'off' || input.attention.presenting) return null;
  if (changedBy.id === selfId || meeting.ownerId === selfId) return null;
  const when = dates.meetingWhen(meeting, input.now);
  if (meeting.invitees.includes(selfId)) {
    if (meeting.status !== 'cancelled' || before?.status === 'cancelled') return null;
    return { title: t('notify.cancelled', { name: changedBy.name, meeting: meeting.title }), body: when };
  }
  if (before === null || !before.invitees.includes(selfId) || meeting.status === 'cancelled') return null;
  return { title: t('notify.removed', { name: changedBy.name, meeting: meeting.title }), body: when };
}

/**
 * A field of a business app's page was delegated to the user (issue 18): who, which field of which
 * page, and the note. Addressed to the user like an invitation, so "mentions only" keeps it; off,
 * or presenting, shows nothing; nor does news of a delegation finished or of one they gave.
 */
export function delegationNotification(input: {
  readonly delegation: PageDelegation;
  readonly selfId: string;
  readonly settings: NotificationSettings;
  readonly attention: Attention;
  readonly text?: MainText;
}): { title: string; body: string } | null {
  const d = input.delegation;
  const { t } = input.text ?? mainText('en');
  if (input.settings.notifications === 'off' || input.attention.presenting) return null;
  if (d.status !== 'open' || d.delegate.id !== input.selfId || d.delegatedBy.id === input.selfId) return null;
  const page = d.dueDate === null ? d.title : t('notify.due', { page: d.title, due: d.dueDate });
  return {
    title: t('notify.delegated', { name: d.delegatedBy.name, field: d.fieldLabel }),
    body: withNote(page, d.note, input.settings, t),
  };
}

/**
 * An ask for an expert ringing the user (the window shows it with Answer and Decline): who asks,
 * about what, on which page. Nothing once it stopped ringing, for the asker, or while presenting.
 */
export function expertAskNotification(input: {
  readonly ask: ExpertAsk;
  readonly selfId: string;
  readonly settings: NotificationSettings;
  readonly attention: Attention;
  readonly text?: MainText;
}): { title: string; body: string } | null {
  const a = input.ask;
  const { t } = input.text ?? mainText('en');
  if (input.settings.notifications === 'off' || input.attention.presenting) return null;
  if (a.status !== 'ringing' || a.askedBy.id === input.selfId || !a.rung.some((p) => p.id === input.selfId))
    return null;
  return {
    title: t('notify.expertAsk', { name: a.askedBy.name, skill: a.skill }),
    body: withNote(a.title, a.note, input.settings, t),
  };
}

export type NotificationsDeps = {
  /** The OS's notifications and the window's focus; null where there are none. */
  readonly surface: NotificationSurface | null;
  readonly self: () => { readonly id: string; readonly name: string } | null;
  readonly settings: () => Promise<NotificationSettings>;
  readonly message: (clientId: string) => Promise<ChatMessageView | null>;
  /** Whether the user wrote the thread's root or a reply in it (the reply just arrived counts too). */
  readonly inThread: (rootId: string, userId: string) => Promise<boolean>;
  readonly conversation: (conversationId: string) => Promise<ConversationView | null>;
  /** The cached meeting; a read issued before the cache applies a change answers how it was. */
  readonly meeting: (meetingId: string) => Promise<Meeting | null>;
  /** The user set do not disturb: nothing pops up until it ends (the app still shows unread), but urgent messages. */
  readonly doNotDisturb?: () => boolean;
  /**
   * An urgent message's notification comes back every `everyMs`, `times` times over, until the
   * user looks at its conversation (as Teams repeats one for 20 minutes).
   */
  readonly urgentRepeat?: { readonly everyMs: number; readonly times: number };
  readonly emit: Emit;
  /** The app's language as the settings (or the OS) choose it: the notifications' words. */
  readonly locale?: () => ShippedLocale;
  /** Opens a business app's page at a field in the system browser (a delegation's deep link). */
  readonly openPage: (url: string) => void;
};

export type Notifications = {
  /**
   * Call for every server message as it arrives, in order (whether it is live or replayed history
   * is decided here, synchronously); run what it answers once the cache has applied the message.
   */
  arrived(message: ServerMessage): (() => Promise<void>) | null;
  /** A new WebSocket connection: what it replays before `resumed` is history, not news. */
  connectionStarted(): void;
  setAttention(attention: Attention): void;
  /** A meeting is about to start (reminders.ts): not while presenting; clicking opens it. */
  remind(key: string, text: { title: string; body: string }, meetingId: string): void;
  /** Sign-out: nothing of the last user stays on screen. */
  clear(): void;
};

type Shown = { readonly handle: ShownNotification; readonly count: number; readonly repeat?: NodeJS.Timeout };

const URGENT_REPEAT = { everyMs: 2 * 60_000, times: 10 } as const;
const urgentKey = (conversationId: string, clientId: string) => `urgent:${conversationId}:${clientId}`;

/**
 * Desktop notifications for new chat messages, lobby arrivals, invitations and their
 * cancellation or withdrawal (one notification per meeting: the newest news replaces). Only live
 * events count: the replay after (re)connecting ends with `resumed`, and
 * messages before it are history the user sees as unread, not a burst of pop-ups. One notification per
 * conversation at a time; a newer message replaces it with a count. Clicking brings the window
 * forward and tells the renderer where to go (`notification:open`).
 */
export function createNotifications(deps: NotificationsDeps): Notifications {
  const { surface } = deps;
  /** The connection's replay is over: chat events are news now. */
  let live = false;
  const shown = new Map<string, Shown>();
  let attention: Attention = { viewing: null, presenting: false };
  /** The words of the app's language as it is now. */
  const words = () => mainText(deps.locale?.() ?? 'en');

  function show(
    key: string,
    text: { title: string; body: string },
    /** Where the app goes when clicked, or what main does instead (a page opens in the browser). */
    target: NotificationTarget | (() => void),
    count: number,
    urgent = false,
  ) {
    if (surface === null || (!urgent && deps.doNotDisturb?.() === true)) return;
    dismiss(key);
    const open = () => {
      dismiss(key);
      if (typeof target === 'function') {
        target();
        return;
      }
      surface.focusWindow();
      deps.emit('notification:open', { target });
    };
    const handle = surface.show(text, open);
    if (!urgent) {
      shown.set(key, { handle, count });
      return;
    }
    const { everyMs, times } = deps.urgentRepeat ?? URGENT_REPEAT;
    let left = times;
    const repeat = setInterval(() => {
      const current = shown.get(key);
      if (current === undefined || left-- <= 0) {
        dismiss(key);
        return;
      }
      current.handle.close();
      shown.set(key, { ...current, handle: surface.show(text, open) });
    }, everyMs);
    repeat.unref();
    shown.set(key, { handle, count, repeat });
  }

  function dismiss(key: string) {
    const current = shown.get(key);
    if (current === undefined) return;
    clearInterval(current.repeat);
    current.handle.close();
    shown.delete(key);
  }

  async function onChat(event: Extract<ServerMessage, { type: 'chat.event' }>['event']) {
    const self = deps.self();
    if (self === null || surface === null) return;
    const [message, conversation, settings] = await Promise.all([
      deps.message(event.clientId),
      deps.conversation(event.conversationId),
      deps.settings(),
    ]);
    if (message === null || conversation === null) return;
    const inThread = message.threadOf !== null && (await deps.inThread(message.threadOf, self.id));
    const unseenBefore = shown.get(conversation.id)?.count ?? 0;
    const text = chatNotification({
      message,
      conversation,
      self,
      settings,
      focused: surface.windowFocused(),
      attention,
      unseenBefore,
      inThread,
      text: words(),
    });
    if (text === null) return;
    const target: NotificationTarget =
      message.threadOf === null
        ? { kind: 'conversation', conversationId: conversation.id }
        : { kind: 'conversation', conversationId: conversation.id, threadOf: message.threadOf };
    // Each urgent message keeps its own notification (and its repeats) until its conversation is seen.
    if (message.urgent) show(urgentKey(conversation.id, message.clientId), text, target, 1, true);
    else show(conversation.id, text, target, unseenBefore + 1);
  }

  async function onLobby(entry: LobbyEntry) {
    const self = deps.self();
    if (self === null || surface === null) return;
    const key = `lobby:${entry.id}`;
    if (entry.status !== 'waiting') {
      dismiss(key);
      return;
    }
    const [settings, meeting] = await Promise.all([deps.settings(), deps.meeting(entry.meetingId)]);
    const text = lobbyNotification({
      entry,
      meetingTitle: meeting?.title ?? null,
      selfId: self.id,
      settings,
      focused: surface.windowFocused(),
      attention,
      text: words(),
    });
    if (text !== null) show(key, text, { kind: 'meeting', meetingId: entry.meetingId }, 1);
  }

  return {
    arrived(message) {
      switch (message.type) {
        case 'resumed':
          live = true;
          return null;
        case 'chat.event': {
          const { event } = message;
          if (event.type !== 'message' || !live) return null;
          return () => onChat(event);
        }
        case 'lobby.entry':
          return () => onLobby(message.entry);
        case 'meeting.invited':
          return async () => {
            const self = deps.self();
            if (self === null) return;
            const settings = await deps.settings();
            const text = invitationNotification({
              invitation: message,
              selfId: self.id,
              settings,
              attention,
              now: new Date(),
              text: words(),
            });
            if (text !== null) show(`meeting:${message.meeting.id}`, text, { kind: 'home' }, 1);
          };
        case 'meeting.changed': {
          // Asked now, before the cache applies the change (it answers in order): how it stood.
          const before = deps.meeting(message.meeting.id).catch(() => null);
          return async () => {
            const self = deps.self();
            if (self === null) return;
            const [settings, was] = await Promise.all([deps.settings(), before]);
            const text = meetingChangeNotification({
              change: message,
              before: was,
              selfId: self.id,
              settings,
              attention,
              now: new Date(),
              text: words(),
            });
            if (text !== null) show(`meeting:${message.meeting.id}`, text, { kind: 'home' }, 1);
          };
        }
        case 'page.delegation':
          return async () => {
            const self = deps.self();
            if (self === null) return;
            const text = delegationNotification({
              delegation: message.delegation,
              selfId: self.id,
              settings: await deps.settings(),
              attention,
              text: words(),
            });
            const d = message.delegation;
            if (text !== null) show(`page:${d.id}`, text, () => deps.openPage(pageFieldLink(d.url, d.field)), 1);
          };
        case 'expert.ask':
          return async () => {
            const self = deps.self();
            if (self === null) return;
            const text = expertAskNotification({
              ask: message.ask,
              selfId: self.id,
              settings: await deps.settings(),
              attention,
              text: words(),
            });
            if (text !== null) show(`ask:${message.ask.id}`, text, { kind: 'home' }, 1);
          };
        default:
          return null;
      }
    },
    connectionStarted() {
      live = false;
    },
    remind(key, text, meetingId) {
      if (!attention.presenting) show(`reminder:${key}`, text, { kind: 'meeting', meetingId }, 1);
    },
    setAttention(next) {
      attention = next;
      // Looking at a conversation reads what its notifications announced, urgent ones too.
      const viewing = next.viewing;
      if (viewing === null) return;
      dismiss(viewing);
      for (const key of [...shown.keys()]) if (key.startsWith(urgentKey(viewing, ''))) dismiss(key);
    },
    clear() {
      for (const key of [...shown.keys()]) dismiss(key);
      live = false;
    },
  };
}
