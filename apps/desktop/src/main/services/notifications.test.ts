import {
  DEFAULT_MEETING_SETTINGS,
  type ExpertAsk,
  type PageDelegation,
  meetingWhen,
  type ChatEvent,
  type ChatMessageView,
  type ConversationView,
  type IpcEvent,
  type LobbyEntry,
  type Meeting,
  type ServerMessage,
} from '@tandem/shared';
import { describe, expect, it, vi } from 'vitest';
import { mainText } from '../i18n/mainText.ts';
import { notificationCentre } from '../platform/headless.ts';
import {
  chatNotification,
  delegationNotification,
  expertAskNotification,
  createNotifications,
  invitationNotification,
  lobbyNotification,
  meetingChangeNotification,
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
  external: true,
  status: 'waiting',
  createdAt: T,
  updatedAt: T,
};

/** Ada invites Grace to a meeting tomorrow at ten. */
const TOMORROW_TEN = new Date(Date.now() + 24 * 60 * 60_000);
TOMORROW_TEN.setHours(10, 0, 0, 0);
const INVITED: Extract<ServerMessage, { type: 'meeting.invited' }> = {
  type: 'meeting.invited',
  meeting: {
    id: 'm-2',
    organisationId: 'o-1',
    title: 'Quarterly planning',
    ownerId: 'u-ada',
    personal: false,
    startsAt: TOMORROW_TEN.toISOString(),
    endsAt: null,
    status: 'scheduled',
    locked: false,
    settings: DEFAULT_MEETING_SETTINGS,
    joinCode: 'abcd1234',
    joinUrl: 'tandem://join/abcd1234',
    webJoinUrl: 'https://tandem.example/j/abcd1234',
    conversationId: 'c-2',
    invitees: [SELF.id],
    recording: null,
    timeZone: 'UTC',
    recurrence: null,
    rrule: null,
    type: 'meeting',
    webinar: null,
    createdAt: T,
    updatedAt: T,
  },
  invitedBy: { id: 'u-ada', name: 'Ada Lovelace' },
};

const conversation = (id = 'c-general', name = 'General'): ConversationView => ({
  id,
  kind: 'channel',
  name,
  meetingId: null,
  syncedSeq: 1,
  lastOpenedAt: null,
  private: false,
  archivedAt: null,
  members: null,
  role: null,
  left: false,
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
  version: 0,
  threadOf: null,
  replyCount: 0,
  lastReplyAt: null,
  reactions: [],
  files: [],
  urgent: false,
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
  inThread: false,
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

describe('chatNotification for thread replies', () => {
  const reply = message({ clientId: 'm-2', threadOf: 'm-root', body: 'Friday works' });

  it('tells those who take part in the thread, even with mentions only, and nobody else', () => {
    const expected = { title: 'Ada Lovelace replied in a thread in General', body: 'Friday works' };
    expect(chatNotification({ ...base, message: reply, inThread: true })).toEqual(expected);
    expect(
      chatNotification({
        ...base,
        message: reply,
        inThread: true,
        settings: { notifications: 'mentions', notificationPreviews: true },
      }),
    ).toEqual(expected);
    expect(chatNotification({ ...base, message: reply, inThread: false })).toBeNull();
  });

  it('a reply mentioning the user tells them even outside the thread; off, presenting or own replies never', () => {
    const mention = message({ threadOf: 'm-root', body: '@Grace what do you think?' });
    expect(chatNotification({ ...base, message: mention })).toEqual({
      title: 'Ada Lovelace mentioned you in a thread in General',
      body: '@Grace what do you think?',
    });
    const off = { notifications: 'off', notificationPreviews: true } as const;
    expect(chatNotification({ ...base, message: reply, inThread: true, settings: off })).toBeNull();
    expect(
      chatNotification({ ...base, message: reply, inThread: true, attention: { viewing: null, presenting: true } }),
    ).toBeNull();
    expect(
      chatNotification({ ...base, message: message({ threadOf: 'm-root', authorId: SELF.id }), inThread: true }),
    ).toBeNull();
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

describe('notifications in the app’s language', () => {
  it('say who, where and what in German and Japanese, previews off included', () => {
    const mention = {
      ...base,
      message: message({ body: 'see @Grace Hopper' }),
      settings: { ...ALL, notificationPreviews: false },
    };
    expect(chatNotification({ ...mention, text: mainText('de') })).toEqual({
      title: 'Ada Lovelace hat dich in General erwähnt',
      body: 'Neue Nachricht',
    });
    expect(chatNotification({ ...mention, text: mainText('ja') })).toEqual({
      title: 'GeneralでAda Lovelaceさんがあなたをメンションしました',
      body: '新しいメッセージ',
    });
    expect(chatNotification({ ...base, unseenBefore: 2, text: mainText('de') })?.title).toBe(
      '3 neue Nachrichten in General',
    );
    const lobby = {
      entry: WAITING,
      meetingTitle: null,
      selfId: SELF.id,
      settings: ALL,
      focused: false,
      attention: AWAY,
    };
    expect(lobbyNotification({ ...lobby, text: mainText('de') })).toEqual({
      title: 'Visitor wartet im Wartebereich',
      body: 'Deine Besprechung',
    });
    expect(lobbyNotification({ ...lobby, text: mainText('ja') })?.title).toBe('Visitorさんがロビーで待っています');
  });

  it('follow the language the app has when each one shows', async () => {
    const surface = notificationCentre();
    surface.setWindowFocused(false);
    let locale: 'en' | 'de' = 'de';
    const notifications = createNotifications({
      surface,
      self: () => SELF,
      settings: async () => ALL,
      message: async () => null,
      inThread: async () => false,
      conversation: async () => null,
      meeting: async () => null,
      emit: () => undefined,
      openPage: () => undefined,
      locale: () => locale,
    });
    await notifications.arrived({ type: 'lobby.entry', entry: WAITING })?.();
    locale = 'en';
    await notifications.arrived({ type: 'lobby.entry', entry: { ...WAITING, id: 'l-2' } })?.();
    expect(surface.shown.map((n) => n.title)).toEqual([
      'Visitor wartet im Wartebereich',
      'Visitor is waiting in the lobby',
    ]);
  });
});

/** Ada changes the meeting she invited Grace to. */
const changed = (meeting: Partial<Meeting>): Extract<ServerMessage, { type: 'meeting.changed' }> => ({
  type: 'meeting.changed',
  meeting: { ...INVITED.meeting, ...meeting },
  changedBy: INVITED.invitedBy,
});
const CANCELLED = changed({ status: 'cancelled' });
const UNINVITED = changed({ invitees: ['u-linus'] });

describe('meetingChangeNotification', () => {
  const now = new Date();
  const before = INVITED.meeting;
  const input = { change: CANCELLED, before, selfId: SELF.id, settings: ALL, attention: AWAY, now };

  it('tells an invitee who cancelled what, and who took them off a meeting', () => {
    const when = meetingWhen(INVITED.meeting, now);
    expect(meetingChangeNotification(input)).toEqual({
      title: 'Ada Lovelace cancelled Quarterly planning',
      body: when,
    });
    expect(meetingChangeNotification({ ...input, before: null })?.title).toBe(
      'Ada Lovelace cancelled Quarterly planning',
    );
    expect(meetingChangeNotification({ ...input, change: UNINVITED })).toEqual({
      title: 'Ada Lovelace removed you from Quarterly planning',
      body: when,
    });
  });

  it('is addressed to the user, so mentions only keeps it; off or presenting shows nothing', () => {
    expect(meetingChangeNotification({ ...input, settings: { ...ALL, notifications: 'mentions' } })).not.toBeNull();
    expect(meetingChangeNotification({ ...input, settings: { ...ALL, notifications: 'off' } })).toBeNull();
    expect(meetingChangeNotification({ ...input, attention: { viewing: null, presenting: true } })).toBeNull();
    const uninvited = { ...input, change: UNINVITED };
    expect(meetingChangeNotification({ ...uninvited, settings: { ...ALL, notifications: 'off' } })).toBeNull();
    expect(meetingChangeNotification({ ...uninvited, attention: { viewing: null, presenting: true } })).toBeNull();
  });

  it('nothing for other changes, one’s own, a repeat, or news to someone who only joined', () => {
    expect(meetingChangeNotification({ ...input, change: changed({ title: 'Renamed' }) })).toBeNull();
    expect(meetingChangeNotification({ ...input, selfId: 'u-ada' })).toBeNull();
    const byGrace = { ...CANCELLED, changedBy: SELF };
    expect(meetingChangeNotification({ ...input, change: byGrace })).toBeNull();
    expect(meetingChangeNotification({ ...input, before: CANCELLED.meeting })).toBeNull();
    // Grace joined without an invitation: a change to the invitees is not about her.
    const joinedOnly = { ...before, invitees: [] };
    expect(meetingChangeNotification({ ...input, change: UNINVITED, before: joinedOnly })).toBeNull();
    expect(meetingChangeNotification({ ...input, change: UNINVITED, before: null })).toBeNull();
  });
});

describe('invitationNotification', () => {
  const now = new Date();
  const input = { invitation: INVITED, selfId: SELF.id, settings: ALL, attention: AWAY, now };

  it('says who invited the user to what, and when', () => {
    expect(invitationNotification(input)).toEqual({
      title: 'Ada Lovelace invited you: Quarterly planning',
      body: meetingWhen(INVITED.meeting, now),
    });
    expect(invitationNotification(input)?.body).toMatch(/^Tomorrow, /);
    const anyTime = { ...INVITED, meeting: { ...INVITED.meeting, startsAt: null } };
    expect(invitationNotification({ ...input, invitation: anyTime })?.body).toBe('Any time');
  });

  it('is addressed to the user, so mentions only keeps it; off or presenting shows nothing', () => {
    expect(invitationNotification({ ...input, settings: { ...ALL, notifications: 'mentions' } })).not.toBeNull();
    expect(invitationNotification({ ...input, settings: { ...ALL, notifications: 'off' } })).toBeNull();
    expect(invitationNotification({ ...input, attention: { viewing: null, presenting: true } })).toBeNull();
  });

  it('nothing for a meeting the user is not (or no longer) invited to, or one that is over', () => {
    const gone = { ...INVITED, meeting: { ...INVITED.meeting, invitees: ['u-linus'] } };
    expect(invitationNotification({ ...input, invitation: gone })).toBeNull();
    const cancelled = { ...INVITED, meeting: { ...INVITED.meeting, status: 'cancelled' as const } };
    expect(invitationNotification({ ...input, invitation: cancelled })).toBeNull();
    expect(invitationNotification({ ...input, selfId: 'u-ada' })).toBeNull();
  });
});

/** As core does: note the message on arrival, then act once the cache has applied it. */
async function deliver(notifications: ReturnType<typeof createNotifications>, message: ServerMessage): Promise<void> {
  await notifications.arrived(message)?.();
}

/** Ada delegated Grace (SELF) the Amount of a purchase order. */
const DELEGATION: PageDelegation = {
  id: '11111111-1111-4111-8111-111111111111',
  page: { app: 'procurement', view: 'PurchaseOrderView', recordId: '1' },
  url: 'http://127.0.0.1:5000/purchaseorderview/edit/1',
  title: 'PO-1001',
  field: 'amount',
  fieldLabel: 'Amount',
  delegate: { id: SELF.id, name: SELF.name },
  delegatedBy: { id: 'u-ada', name: 'Ada Lovelace' },
  note: 'Check the quote',
  dueDate: '2026-12-10',
  status: 'open',
  createdAt: T,
  finishedAt: null,
};

describe('createNotifications', () => {
  function setup(
    settings: NotificationSettings = ALL,
    dnd = { on: false },
    urgentRepeat = { everyMs: 1_000, times: 2 },
  ) {
    const centre = notificationCentre();
    centre.setWindowFocused(false);
    const messages = new Map<string, ChatMessageView>();
    const opened: unknown[] = [];
    /** Pages main opened in the system browser. */
    const pagesOpened: string[] = [];
    /** The cache's meetings. */
    const meetings = new Map<string, Meeting>([['m-1', { ...INVITED.meeting, id: 'm-1', title: 'Design review' }]]);
    const notifications = createNotifications({
      surface: centre,
      self: () => SELF,
      settings: async () => settings,
      message: async (clientId) => messages.get(clientId) ?? null,
      inThread: async (rootId, userId) =>
        messages.get(rootId)?.authorId === userId ||
        [...messages.values()].some((m) => m.threadOf === rootId && m.authorId === userId),
      conversation: async (id) => (id === 'c-general' ? conversation() : null),
      meeting: async (id) => meetings.get(id) ?? null,
      doNotDisturb: () => dnd.on,
      urgentRepeat,
      emit: (event: IpcEvent, payload: unknown) => void opened.push({ event, payload }),
      openPage: (url) => void pagesOpened.push(url),
    });
    let seq = 0;
    /** A message from Ada reaches the cache and then the notifications, as core sends it on. */
    async function arrives(body: string, over: Partial<ChatMessageView> = {}) {
      seq += 1;
      const view = message({ clientId: `m-${seq}`, seq, body, ...over });
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
        ...(view.threadOf === null ? {} : { threadOf: view.threadOf }),
        ...(view.urgent ? { urgent: true as const } : {}),
      };
      await deliver(notifications, { type: 'chat.event', event, offset: seq });
      return view;
    }
    return { centre, notifications, opened, pagesOpened, arrives, meetings, messages };
  }

  it('a delegation’s notification opens the page at the field in the system browser, not the app', async () => {
    const { centre, notifications, opened, pagesOpened } = setup();
    centre.setWindowFocused(false);
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    await deliver(notifications, { type: 'page.delegation', delegation: DELEGATION });
    expect(centre.click('Ada Lovelace delegated “Amount” to you')).toBe(true);
    expect(pagesOpened).toEqual(['http://127.0.0.1:5000/purchaseorderview/edit/1#tandem-field=amount']);
    expect(opened).toEqual([]);
  });

  it('a reply in a thread Grace started or replied in notifies her; one in another thread does not', async () => {
    const { centre, notifications, arrives, messages, opened } = setup();
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    messages.set('m-hers', message({ clientId: 'm-hers', authorId: SELF.id, authorName: SELF.name, body: 'Ship?' }));
    messages.set('m-others', message({ clientId: 'm-others', body: 'Lunch?' }));
    await arrives('Yes, Friday', { threadOf: 'm-hers' });
    await arrives('Pizza', { threadOf: 'm-others' });
    expect(centre.shown.map((n) => n.title)).toEqual(['Ada Lovelace replied in a thread in General']);
    // Once she replied in the other thread, she takes part in it.
    messages.set('m-mine', message({ clientId: 'm-mine', authorId: SELF.id, threadOf: 'm-others', body: 'Sure' }));
    await arrives('Noon then', { threadOf: 'm-others' });
    expect(centre.shown.map((n) => n.body)).toEqual(['Yes, Friday', 'Noon then']);
    // A click opens the conversation with the reply's thread beside it.
    expect(centre.click('replied in a thread')).toBe(true);
    expect(opened).toEqual([
      {
        event: 'notification:open',
        payload: { target: { kind: 'conversation', conversationId: 'c-general', threadOf: 'm-others' } },
      },
    ]);
  });

  it('replayed history is not news: only messages after `resumed` notify, again after a reconnect', async () => {
    const { centre, notifications, arrives } = setup();
    await arrives('sent while we were away');
    expect(centre.shown).toEqual([]);
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    await arrives('live one');
    expect(centre.shown.map((n) => n.body)).toEqual(['live one']);
    notifications.connectionStarted();
    await arrives('replayed after reconnecting');
    expect(centre.shown).toHaveLength(1);
  });

  it('history applied after `resumed` arrived is still history: liveness is decided on arrival', async () => {
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
      offset: 1,
    });
    // The cache is still writing the replayed event when `resumed` is handled.
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    expect(replayed).toBeNull();
    expect(centre.shown).toEqual([]);
  });

  it('do not disturb keeps every notification away, mentions and invitations too, until it ends', async () => {
    const dnd = { on: true };
    const { centre, notifications, arrives } = setup(ALL, dnd);
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    await arrives('quiet please');
    await arrives(`@${SELF.name} are you there?`);
    await deliver(notifications, INVITED);
    expect(centre.shown).toEqual([]);
    dnd.on = false;
    await arrives('back now');
    expect(centre.shown.map((n) => n.body)).toEqual(['back now']);
  });

  it('an urgent message comes through do not disturb and mentions only, says it is urgent, but never while presenting', async () => {
    const dnd = { on: true };
    const { centre, notifications, arrives } = setup({ ...ALL, notifications: 'mentions' }, dnd);
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    await arrives('quiet please');
    await arrives('The build is on fire', { urgent: true });
    expect(centre.shown).toEqual([
      { title: 'Urgent: Ada Lovelace in General', body: 'The build is on fire', open: true },
    ]);
    notifications.setAttention({ viewing: null, presenting: true });
    await arrives('Still on fire', { urgent: true });
    expect(centre.shown).toHaveLength(1);
  });

  it('an urgent notification comes back until its conversation is looked at, then stops', async () => {
    vi.useFakeTimers();
    try {
      const { centre, notifications, arrives } = setup(ALL, { on: true }, { everyMs: 1_000, times: 5 });
      await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
      await arrives('Call me now', { urgent: true });
      // A plain message after it does not replace it: each urgent one keeps its own.
      await vi.advanceTimersByTimeAsync(1_000);
      expect(centre.shown.map((n) => [n.body, n.open])).toEqual([
        ['Call me now', false],
        ['Call me now', true],
      ]);
      notifications.setAttention({ viewing: 'c-general', presenting: false });
      await vi.advanceTimersByTimeAsync(5_000);
      expect(centre.shown.filter((n) => n.open)).toEqual([]);
      expect(centre.shown).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('an urgent notification comes back a bounded number of times', async () => {
    vi.useFakeTimers();
    try {
      const { centre, notifications, arrives } = setup(ALL, { on: false }, { everyMs: 1_000, times: 2 });
      await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
      await arrives('Call me now', { urgent: true });
      await vi.advanceTimersByTimeAsync(10_000);
      // Shown, shown again twice, then taken away once the repeats are over.
      expect(centre.shown.map((n) => n.open)).toEqual([false, false, false]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('one notification per conversation: a newer message replaces it with a count', async () => {
    const { centre, notifications, arrives } = setup();
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    await arrives('first');
    await arrives('second');
    expect(centre.shown).toEqual([
      { title: 'Ada Lovelace in General', body: 'first', open: false },
      { title: '2 new messages in General', body: 'Ada Lovelace: second', open: true },
    ]);
  });

  it('a click brings the window forward and opens the conversation; looking at it dismisses the rest', async () => {
    const { centre, notifications, opened, arrives } = setup();
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
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

  it('an invitation pops up even with the app in front; a click opens Home', async () => {
    const { centre, notifications, opened } = setup();
    centre.setWindowFocused(true);
    await deliver(notifications, INVITED);
    expect(centre.shown).toEqual([
      {
        title: 'Ada Lovelace invited you: Quarterly planning',
        body: meetingWhen(INVITED.meeting, new Date()),
        open: true,
      },
    ]);
    expect(centre.click('invited you')).toBe(true);
    expect(opened).toEqual([{ event: 'notification:open', payload: { target: { kind: 'home' } } }]);
  });

  it('an invitation while presenting, or with notifications off, shows nothing', async () => {
    const presenting = setup();
    presenting.notifications.setAttention({ viewing: null, presenting: true });
    await deliver(presenting.notifications, INVITED);
    expect(presenting.centre.shown).toEqual([]);
    const off = setup({ ...ALL, notifications: 'off' });
    await deliver(off.notifications, INVITED);
    expect(off.centre.shown).toEqual([]);
  });

  it('a cancellation replaces the invitation on screen; a click opens Home', async () => {
    const { centre, notifications, opened, meetings } = setup();
    await deliver(notifications, INVITED);
    meetings.set(INVITED.meeting.id, INVITED.meeting);
    await deliver(notifications, CANCELLED);
    expect(centre.shown).toEqual([
      expect.objectContaining({ title: 'Ada Lovelace invited you: Quarterly planning', open: false }),
      {
        title: 'Ada Lovelace cancelled Quarterly planning',
        body: meetingWhen(CANCELLED.meeting, new Date()),
        open: true,
      },
    ]);
    expect(centre.click('cancelled')).toBe(true);
    expect(opened).toEqual([{ event: 'notification:open', payload: { target: { kind: 'home' } } }]);
  });

  it('an uninvitation is judged by the meeting as the cache had it when the change arrived', async () => {
    const { centre, notifications, meetings } = setup();
    meetings.set(INVITED.meeting.id, INVITED.meeting);
    const notify = notifications.arrived(UNINVITED);
    // The cache applies the change before the notification is decided, as core runs them.
    meetings.set(INVITED.meeting.id, UNINVITED.meeting);
    await notify?.();
    expect(centre.shown.map((n) => n.title)).toEqual(['Ada Lovelace removed you from Quarterly planning']);
    // The same news again (say, another edit without her) is not about her any more.
    await deliver(notifications, { ...UNINVITED, meeting: { ...UNINVITED.meeting, title: 'Renamed' } });
    expect(centre.shown).toHaveLength(1);
  });

  it('a cancellation while presenting, or with notifications off, shows nothing', async () => {
    const presenting = setup();
    presenting.notifications.setAttention({ viewing: null, presenting: true });
    await deliver(presenting.notifications, CANCELLED);
    expect(presenting.centre.shown).toEqual([]);
    const off = setup({ ...ALL, notifications: 'off' });
    await deliver(off.notifications, CANCELLED);
    expect(off.centre.shown).toEqual([]);
  });

  it('sign-out takes every notification of the last user off the screen', async () => {
    const { centre, notifications, arrives } = setup();
    await deliver(notifications, { type: 'resumed', cursor: 1, reset: false });
    await arrives('private');
    notifications.clear();
    expect(centre.shown.every((n) => !n.open)).toBe(true);
    await arrives('after sign-out, before the socket closed');
    expect(centre.shown.filter((n) => n.open)).toEqual([]);
  });
});

describe('a field delegated to the user (pages)', () => {
  const notify = (d: PageDelegation, settings: NotificationSettings = ALL, attention: Attention = AWAY) =>
    delegationNotification({ delegation: d, selfId: SELF.id, settings, attention });

  it('names who delegated which field of which page, with the due date and the note', () => {
    expect(notify(DELEGATION)).toEqual({
      title: 'Ada Lovelace delegated “Amount” to you',
      body: 'PO-1001 (due 2026-12-10): Check the quote',
    });
    expect(notify(DELEGATION, { notifications: 'mentions', notificationPreviews: false })?.body).toBe(
      'PO-1001 (due 2026-12-10)',
    );
  });

  it('says nothing of a finished DELEGATION, of one given to someone else, when off or while presenting', () => {
    expect(notify({ ...DELEGATION, status: 'done' })).toBeNull();
    expect(notify({ ...DELEGATION, delegate: { id: 'u-linus', name: 'Linus' } })).toBeNull();
    expect(notify(DELEGATION, { notifications: 'off', notificationPreviews: true })).toBeNull();
    expect(notify(DELEGATION, ALL, { viewing: null, presenting: true })).toBeNull();
  });
});

describe('an ask for an expert ringing the user (pages)', () => {
  const ask: ExpertAsk = {
    id: '22222222-2222-4222-8222-222222222222',
    skill: 'Customs',
    note: 'HS code for the pumps?',
    page: { app: 'procurement', view: 'PurchaseOrderView', recordId: '7' },
    url: 'http://127.0.0.1:5000/purchaseorderview/edit/7',
    title: 'PO-1007',
    askedBy: { id: 'u-ada', name: 'Ada Lovelace' },
    rung: [{ id: SELF.id, name: SELF.name }],
    declined: [],
    answeredBy: null,
    status: 'ringing',
    meeting: {
      id: '33333333-3333-4333-8333-333333333333',
      joinCode: 'abc-defg-hij',
      joinUrl: 'tandem://join/abc-defg-hij',
      webJoinUrl: '',
    },
    createdAt: T,
    ringUntil: T,
    finishedAt: null,
  };
  const notify = (a: ExpertAsk, settings: NotificationSettings = ALL, attention: Attention = AWAY) =>
    expertAskNotification({ ask: a, selfId: SELF.id, settings, attention });

  it('names who asks about which skill on which page, with the note when previews are on', () => {
    expect(notify(ask)).toEqual({
      title: 'Ada Lovelace asks for help with Customs',
      body: 'PO-1007: HS code for the pumps?',
    });
    expect(notify(ask, { notifications: 'mentions', notificationPreviews: false })?.body).toBe('PO-1007');
  });

  it('says nothing once it stopped ringing, to whoever it did not ring, when off or while presenting', () => {
    for (const status of ['answered', 'missed', 'declined', 'cancelled'] as const)
      expect(notify({ ...ask, status })).toBeNull();
    expect(notify({ ...ask, rung: [{ id: 'u-linus', name: 'Linus' }] })).toBeNull();
    expect(notify(ask, { notifications: 'off', notificationPreviews: true })).toBeNull();
    expect(notify(ask, ALL, { viewing: null, presenting: true })).toBeNull();
  });
});
