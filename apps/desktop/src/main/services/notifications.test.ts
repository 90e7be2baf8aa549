import type { ChatEvent, ChatMessageView, ConversationView, IpcEvent, LobbyEntry, ServerMessage } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { notificationCentre } from '../platform/headless.ts';
import {
  chatNotification,
  createNotifications,
  lobbyNotification,
  type Attention,
  type NotificationSettings,
} from './notifications.ts';

const SELF = { id: 'u-grace', name: 'Grace Hopper' };
const ALL: NotificationSettings = { notifications: 'all', notificationPreviews: true };
const AWAY: Attention = { viewing: null, presenting: false };
const T = '2026-11-26T10:00:00.000Z';

/** Someone waiting in the lobby of a meeting Grace hosts. */
const WAITING: LobbyEntry = {
  id: 'l-1',
  meetingId: 'm-1',
  userId: 'u-guest',
  name: 'Visitor',
  status: 'waiting',
  createdAt: T,
  updatedAt: T,
};

const conversation = (id = 'c-general', name = 'General'): ConversationView => ({
  id,
  kind: 'channel',
  name,
  meetingId: null,
  syncedSeq: 1,
  lastOpenedAt: null,
});

const message = (over: Partial<ChatMessageView> = {}): ChatMessageView => ({
  conversationId: 'c-general',
  clientId: 'm-1',
  seq: 1,
  authorId: 'u-ada',
  authorName: 'Ada Lovelace',
  body: 'Release notes are in the doc',
  sentAt: T,
  editedAt: null,
  deleted: false,
  status: 'sent',
  failure: null,
  ...over,
});

const base = {
  message: message(),
  conversation: conversation(),
  self: SELF,
  settings: ALL,
  focused: false,
  attention: AWAY,
  unseenBefore: 0,
};

describe('chatNotification', () => {
  it('names the author and the conversation, with the message as the body', () => {
    expect(chatNotification(base)).toEqual({ title: 'Ada Lovelace in General', body: 'Release notes are in the doc' });
  });

  it('never notifies one’s own, unsent, deleted messages, or anything while presenting', () => {
    expect(chatNotification({ ...base, message: message({ authorId: SELF.id }) })).toBeNull();
    expect(chatNotification({ ...base, message: message({ status: 'pending', seq: null }) })).toBeNull();
    expect(chatNotification({ ...base, message: message({ deleted: true, body: '' }) })).toBeNull();
    expect(chatNotification({ ...base, attention: { viewing: null, presenting: true } })).toBeNull();
  });

  it('stays quiet for the conversation on screen, but not for one in a window behind others', () => {
    const looking = { viewing: 'c-general', presenting: false };
    expect(chatNotification({ ...base, focused: true, attention: looking })).toBeNull();
    expect(chatNotification({ ...base, focused: false, attention: looking })).not.toBeNull();
    expect(
      chatNotification({ ...base, focused: true, attention: { viewing: 'c-other', presenting: false } }),
    ).not.toBeNull();
  });

  it('follows the setting: off, mentions only, previews off', () => {
    expect(chatNotification({ ...base, settings: { ...ALL, notifications: 'off' } })).toBeNull();
    const mentionsOnly = { ...base, settings: { ...ALL, notifications: 'mentions' as const } };
    expect(chatNotification(mentionsOnly)).toBeNull();
    expect(chatNotification({ ...mentionsOnly, message: message({ body: '@Grace ready?' }) })).toEqual({
      title: 'Ada Lovelace mentioned you in General',
      body: '@Grace ready?',
    });
    expect(chatNotification({ ...base, settings: { ...ALL, notificationPreviews: false } })).toEqual({
      title: 'Ada Lovelace in General',
      body: 'New message',
    });
  });

  it('counts what is still unseen, and shortens long messages to one line', () => {
    const long = `${'word '.repeat(60)}\n\nend`;
    const text = chatNotification({ ...base, unseenBefore: 2, message: message({ body: long }) });
    expect(text?.title).toBe('3 new messages in General');
    expect(text?.body.startsWith('Ada Lovelace: word word')).toBe(true);
    expect(text?.body.endsWith('…')).toBe(true);
    expect(text?.body).not.toContain('\n');
  });

  it('a mention keeps its title even when other messages are unseen', () => {
    expect(chatNotification({ ...base, unseenBefore: 3, message: message({ body: '@grace look' }) })).toEqual({
      title: 'Ada Lovelace mentioned you in General',
      body: '@grace look',
    });
  });
});

describe('lobbyNotification', () => {
  const entry = WAITING;
  const input = {
    entry,
    meetingTitle: 'Design review',
    selfId: SELF.id,
    settings: ALL,
    focused: false,
    attention: AWAY,
  };

  it('tells a host who waits, only while the app is not in front', () => {
    expect(lobbyNotification(input)).toEqual({ title: 'Visitor is waiting in the lobby', body: 'Design review' });
    expect(lobbyNotification({ ...input, focused: true })).toBeNull();
    expect(lobbyNotification({ ...input, entry: { ...entry, status: 'admitted' } })).toBeNull();
    expect(lobbyNotification({ ...input, entry: { ...entry, userId: SELF.id } })).toBeNull();
    expect(lobbyNotification({ ...input, settings: { ...ALL, notifications: 'off' } })).toBeNull();
  });
});

/** As core does: note the message on arrival, then act once the cache has applied it. */
async function deliver(notifications: ReturnType<typeof createNotifications>, message: ServerMessage): Promise<void> {
  await notifications.arrived(message)?.();
}

describe('createNotifications', () => {
  function setup(settings: NotificationSettings = ALL) {
    const centre = notificationCentre();
    centre.setWindowFocused(false);
    const messages = new Map<string, ChatMessageView>();
    const opened: unknown[] = [];
    const notifications = createNotifications({
      surface: centre,
      self: () => SELF,
      settings: async () => settings,
      message: async (clientId) => messages.get(clientId) ?? null,
      conversation: async (id) => (id === 'c-general' ? conversation() : null),
      meetingTitle: async () => 'Design review',
      emit: (event: IpcEvent, payload: unknown) => void opened.push({ event, payload }),
    });
    let seq = 0;
    /** A message from Ada reaches the cache and then the notifications, as core sends it on. */
    async function arrives(body: string) {
      seq += 1;
      const view = message({ clientId: `m-${seq}`, seq, body });
      messages.set(view.clientId, view);
      const event: ChatEvent = {
        type: 'message',
        conversationId: view.conversationId,
        seq,
        clientId: view.clientId,
        messageId: view.clientId,
        authorId: view.authorId,
        createdAt: T,
        body,
      };
      await deliver(notifications, { type: 'chat.event', event });
    }
    return { centre, notifications, opened, arrives };
  }

  it('replayed history is not news: only messages after `subscribed` notify, again after a reconnect', async () => {
    const { centre, notifications, arrives } = setup();
    await arrives('sent while we were away');
    expect(centre.shown).toEqual([]);
    await deliver(notifications, { type: 'subscribed', conversationId: 'c-general', seq: 1 });
    await arrives('live one');
    expect(centre.shown.map((n) => n.body)).toEqual(['live one']);
    notifications.connectionStarted();
    await arrives('replayed after reconnecting');
    expect(centre.shown).toHaveLength(1);
  });

  it('history applied after `subscribed` arrived is still history: liveness is decided on arrival', async () => {
    const { centre, notifications } = setup();
    const replayed = notifications.arrived({
      type: 'chat.event',
      event: {
        type: 'message',
        conversationId: 'c-general',
        seq: 1,
        clientId: 'm-old',
        messageId: 'm-old',
        authorId: 'u-ada',
        createdAt: T,
        body: 'old',
      },
    });
    // The cache is still writing the replayed event when `subscribed` is handled.
    await deliver(notifications, { type: 'subscribed', conversationId: 'c-general', seq: 1 });
    expect(replayed).toBeNull();
    expect(centre.shown).toEqual([]);
  });

  it('one notification per conversation: a newer message replaces it with a count', async () => {
    const { centre, notifications, arrives } = setup();
    await deliver(notifications, { type: 'subscribed', conversationId: 'c-general', seq: 0 });
    await arrives('first');
    await arrives('second');
    expect(centre.shown).toEqual([
      { title: 'Ada Lovelace in General', body: 'first', open: false },
      { title: '2 new messages in General', body: 'Ada Lovelace: second', open: true },
    ]);
  });

  it('a click brings the window forward and opens the conversation; looking at it dismisses the rest', async () => {
    const { centre, notifications, opened, arrives } = setup();
    await deliver(notifications, { type: 'subscribed', conversationId: 'c-general', seq: 0 });
    await arrives('click me');
    expect(centre.click('General')).toBe(true);
    expect(centre.windowFocused()).toBe(true);
    expect(opened).toEqual([
      { event: 'notification:open', payload: { target: { kind: 'conversation', conversationId: 'c-general' } } },
    ]);
    centre.setWindowFocused(false);
    await arrives('later');
    notifications.setAttention({ viewing: 'c-general', presenting: false });
    expect(centre.shown.at(-1)).toMatchObject({ body: 'later', open: false });
  });

  it('a lobby arrival notifies the host and goes away once decided', async () => {
    const { centre, notifications, opened } = setup();
    const entry = WAITING;
    await deliver(notifications, { type: 'lobby.entry', entry });
    expect(centre.shown).toEqual([{ title: 'Visitor is waiting in the lobby', body: 'Design review', open: true }]);
    await deliver(notifications, { type: 'lobby.entry', entry: { ...entry, status: 'admitted' } });
    expect(centre.shown[0]?.open).toBe(false);
    expect(opened).toEqual([]);
  });

  it('sign-out takes every notification of the last user off the screen', async () => {
    const { centre, notifications, arrives } = setup();
    await deliver(notifications, { type: 'subscribed', conversationId: 'c-general', seq: 0 });
    await arrives('private');
    notifications.clear();
    expect(centre.shown.every((n) => !n.open)).toBe(true);
    await arrives('after sign-out, before the socket closed');
    expect(centre.shown.filter((n) => n.open)).toEqual([]);
  });
});
