import { randomUUID } from 'node:crypto';
import type { AuthSession, ChatEvent, ConversationEntry } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  connectWs,
  drained,
  resume,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
} from './testSupport.ts';

const livekit = inject('livekit');

describe('direct chats, group chats and private channels over real HTTP and WebSocket', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let linus: AuthSession;
  let katherine: AuthSession;
  let guest: AuthSession;
  let stranger: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'dm-ada');
    grace = await addPerson(server.api, ada, 'dm-grace', 'member');
    linus = await addPerson(server.api, ada, 'dm-linus', 'member');
    katherine = await addPerson(server.api, ada, 'dm-katherine', 'member');
    guest = await addPerson(server.api, ada, 'dm-guest', 'guest');
    stranger = await signUp(server.api, 'dm-stranger');
  });
  afterAll(() => server?.close());

  const token = (who: AuthSession) => who.tokens.accessToken;
  const startDirect = (who: AuthSession, userId: string) =>
    server.api.call('startDirect', { token: token(who), body: { userId } });
  const send = (who: AuthSession, conversationId: string, body: string) =>
    server.api.call('sendMessage', {
      token: token(who),
      params: { conversationId },
      body: { clientId: randomUUID(), body },
    });
  const sent = async (who: AuthSession, conversationId: string, body: string): Promise<ChatEvent> => {
    const reply = await send(who, conversationId, body);
    expect(reply.status).toBe(200);
    return reply.body as ChatEvent;
  };
  const listed = async (who: AuthSession, include: 'active' | 'all' = 'active') =>
    (await server.api.ok('listConversations', { token: token(who), query: { include } })).conversations;
  const history = (who: AuthSession, conversationId: string) =>
    server.api.call('history', { token: token(who), params: { conversationId } });
  const live = async (who: AuthSession): Promise<WsClient> => {
    const socket = await connectWs(server.url, token(who));
    await resume(socket);
    return socket;
  };
  const eventsIn = (socket: WsClient, conversationId: string) =>
    socket.received.flatMap((m) =>
      m.type === 'chat.event' && m.event.conversationId === conversationId ? [m.event] : [],
    );
  const notFound = { status: 404, body: { error: { code: 'not_found' } } };

  /** Every way an outsider could read, write or hear a conversation: each answers 404 or nothing. */
  async function expectSealed(outsider: AuthSession, conversationId: string, messageId: string): Promise<void> {
    const params = { conversationId };
    expect(await server.api.call('getConversation', { token: token(outsider), params })).toMatchObject(notFound);
    expect(await history(outsider, conversationId)).toMatchObject(notFound);
    expect(await send(outsider, conversationId, 'let me in')).toMatchObject(notFound);
    expect(
      await server.api.call('reactToMessage', {
        token: token(outsider),
        params: { conversationId, messageId },
        body: { clientId: randomUUID(), emoji: '👍' },
      }),
    ).toMatchObject(notFound);
    expect(await server.api.call('listMembers', { token: token(outsider), params })).toMatchObject(notFound);
    expect(await server.api.call('markRead', { token: token(outsider), params, body: { seq: 1 } })).toMatchObject(
      notFound,
    );
    expect(
      await server.api.call('addMembers', {
        token: token(outsider),
        params,
        body: { userIds: [outsider.user.id], history: true },
      }),
    ).toMatchObject(notFound);
    expect((await listed(outsider, 'all')).map((c) => c.id)).not.toContain(conversationId);
    // Nor can a decision be pinned on one of its messages (a guest records none at all).
    const pinned = await server.api.call('createDecision', {
      token: token(outsider),
      body: { clientId: randomUUID(), title: 'noted', message: { conversationId, messageId } },
    });
    expect(outsider.user.role === 'guest' ? [403] : [400]).toContain(pinned.status);
  }

  it('starts one direct chat per pair, heard live by the other person, who replies', async () => {
    const graceLive = await live(grace);
    const reply = await startDirect(ada, grace.user.id);
    expect(reply.status).toBe(200);
    const dm = reply.body as ConversationEntry;
    expect(dm).toMatchObject({
      kind: 'direct',
      name: '',
      private: true,
      archivedAt: null,
      self: { role: 'member', unread: 0, lastReadSeq: 0, visibleFromSeq: 0 },
    });
    expect([...(dm.memberIds ?? [])].sort()).toEqual([ada.user.id, grace.user.id].sort());
    expect((await graceLive.next('conversation.created', (m) => m.conversation.id === dm.id)).conversation.kind).toBe(
      'direct',
    );
    // Started again, by either of them: the same chat.
    expect((await startDirect(grace, ada.user.id)).body).toMatchObject({ id: dm.id });
    expect((await startDirect(ada, grace.user.id)).body).toMatchObject({ id: dm.id });

    const hello = await sent(ada, dm.id, 'Hello Grace');
    expect((await graceLive.next('chat.event', (m) => m.event.clientId === hello.clientId)).event).toEqual(hello);
    await sent(grace, dm.id, 'Hi Ada');
    expect((await history(ada, dm.id)).body).toMatchObject({ events: [{ body: 'Hello Grace' }, { body: 'Hi Ada' }] });
    graceLive.close();
  });

  it('carries a message marked urgent to the others live and in history; urgent only in direct and group chats', async () => {
    const graceLive = await live(grace);
    const dm = (await server.api.ok('startDirect', { token: token(ada), body: { userId: grace.user.id } })).id;
    const urgent = await server.api.ok('sendMessage', {
      token: token(ada),
      params: { conversationId: dm },
      body: { clientId: randomUUID(), body: 'The build is on fire', urgent: true },
    });
    expect(urgent).toMatchObject({ type: 'message', urgent: true });
    expect((await graceLive.next('chat.event', (m) => m.event.clientId === urgent.clientId)).event).toEqual(urgent);
    // Not urgent: the field is absent, not false, so every other event is as before.
    const plain = await sent(ada, dm, 'Never mind, it is out');
    expect(plain).not.toHaveProperty('urgent');
    const events = (await server.api.ok('history', { token: token(grace), params: { conversationId: dm } })).events;
    expect(events.filter((e) => e.type === 'message' && e.urgent === true).map((e) => e.clientId)).toEqual([
      urgent.clientId,
    ]);
    const group = await server.api.ok('createGroup', {
      token: token(ada),
      body: { name: 'on call', memberIds: [grace.user.id, linus.user.id] },
    });
    expect(
      await server.api.call('sendMessage', {
        token: token(ada),
        params: { conversationId: group.id },
        body: { clientId: randomUUID(), body: 'Pager', urgent: true },
      }),
    ).toMatchObject({ status: 200, body: { urgent: true } });
    // A whole channel cannot be paged.
    const channel = await server.api.ok('createChannel', { token: token(ada), body: { name: 'everyone-urgent' } });
    expect(
      await server.api.call('sendMessage', {
        token: token(ada),
        params: { conversationId: channel.id },
        body: { clientId: randomUUID(), body: 'Everyone!', urgent: true },
      }),
    ).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    graceLive.close();
  });

  it('refuses a direct chat with oneself, with a guest, for a guest, and with another organisation (404)', async () => {
    expect(await startDirect(ada, ada.user.id)).toMatchObject({ status: 400 });
    expect(await startDirect(ada, guest.user.id)).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(await startDirect(guest, ada.user.id)).toMatchObject({ status: 403 });
    expect(await startDirect(ada, stranger.user.id)).toMatchObject(notFound);
    expect(await startDirect(stranger, ada.user.id)).toMatchObject(notFound);
    expect(await startDirect(ada, randomUUID())).toMatchObject(notFound);
  });

  it('keeps a direct chat from everyone else: people, guests and other organisations, over HTTP and live', async () => {
    const dm = (await startDirect(ada, linus.user.id)).body as ConversationEntry;
    const graceLive = await live(grace);
    const guestLive = await live(guest);
    const strangerLive = await live(stranger);
    const secret = await sent(ada, dm.id, 'just between us');
    for (const outsider of [grace, guest, stranger]) await expectSealed(outsider, dm.id, secret.messageId);
    await Promise.all([drained(graceLive), drained(guestLive), drained(strangerLive)]);
    for (const socket of [graceLive, guestLive, strangerLive]) {
      expect(eventsIn(socket, dm.id)).toEqual([]);
      expect(socket.received.filter((m) => m.type === 'conversation.created' && m.conversation.id === dm.id)).toEqual(
        [],
      );
    }
    // Nor in a replay: a fresh socket resuming from the start of the stream hears nothing of it.
    const replay = await connectWs(server.url, token(grace));
    await resume(replay, 0);
    expect(eventsIn(replay, dm.id)).toEqual([]);
    // Typing is not passed on, and says why.
    graceLive.send({ type: 'typing', conversationId: dm.id, typing: true });
    expect((await graceLive.next('error', (m) => m.ref === 'typing')).error.code).toBe('not_found');
    for (const socket of [graceLive, guestLive, strangerLive, replay]) socket.close();
  });

  it('starts a named or unnamed group, checking every person named', async () => {
    const katherineLive = await live(katherine);
    const created = await server.api.call('createGroup', {
      token: token(ada),
      body: { name: 'Compilers', memberIds: [grace.user.id, katherine.user.id] },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { kind: 'group', name: 'Compilers', private: true, self: { role: 'owner' } },
    });
    const group = created.body as ConversationEntry;
    expect(group.memberIds).toEqual(expect.arrayContaining([ada.user.id, grace.user.id, katherine.user.id]));
    await katherineLive.next('conversation.created', (m) => m.conversation.id === group.id);
    const unnamed = await server.api.ok('createGroup', {
      token: token(grace),
      body: { memberIds: [ada.user.id, linus.user.id] },
    });
    expect(unnamed).toMatchObject({ kind: 'group', name: '' });

    const refused = await server.api.call('createGroup', {
      token: token(ada),
      body: { memberIds: [grace.user.id, guest.user.id, stranger.user.id, ada.user.id] },
    });
    expect(refused).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(refused.status === 400 && 'error' in refused.body ? refused.body.error.issues : []).toEqual([
      { path: 'memberIds.1', message: expect.stringMatching(/guests/) },
      { path: 'memberIds.2', message: 'no such person in your organisation' },
      { path: 'memberIds.3', message: 'you are in it already' },
    ]);
    expect(
      await server.api.call('createGroup', { token: token(ada), body: { memberIds: [grace.user.id] } }),
    ).toMatchObject({ status: 400 });
    expect(
      await server.api.call('createGroup', {
        token: token(guest),
        body: { memberIds: [grace.user.id, ada.user.id] },
      }),
    ).toMatchObject({ status: 403 });
    katherineLive.close();
  });

  it('adds people with or without the history; without, nothing from before is theirs', async () => {
    const group = await server.api.ok('createGroup', {
      token: token(ada),
      body: { name: 'History', memberIds: [grace.user.id, katherine.user.id] },
    });
    const before = await sent(ada, group.id, 'said before Linus came');
    const linusLive = await live(linus);
    const added = await server.api.ok('addMembers', {
      token: token(grace),
      params: { conversationId: group.id },
      body: { userIds: [linus.user.id], history: false },
    });
    expect(added.memberIds).toContain(linus.user.id);
    const told = await linusLive.next('conversation.added', (m) => m.conversation.id === group.id);
    expect(told).toMatchObject({ visibleFromSeq: before.seq, addedBy: { id: grace.user.id } });
    const after = await sent(katherine, group.id, 'said after');
    expect((await linusLive.next('chat.event', (m) => m.event.clientId === after.clientId)).event).toEqual(after);
    expect(eventsIn(linusLive, group.id).map((e) => e.seq)).toEqual([after.seq]);
    expect((await history(linus, group.id)).body).toMatchObject({ events: [{ seq: after.seq }] });
    // What came before is not there for Linus: not to react to, nor to reply to.
    expect(
      await server.api.call('reactToMessage', {
        token: token(linus),
        params: { conversationId: group.id, messageId: before.messageId },
        body: { clientId: randomUUID(), emoji: '👍' },
      }),
    ).toMatchObject(notFound);
    expect(
      await server.api.call('sendMessage', {
        token: token(linus),
        params: { conversationId: group.id },
        body: { clientId: randomUUID(), body: 'a reply', threadOf: before.messageId },
      }),
    ).toMatchObject(notFound);
    const [entry] = (await listed(linus)).filter((c) => c.id === group.id);
    expect(entry?.self).toMatchObject({ role: 'member', visibleFromSeq: before.seq });

    // Added with the history, all of it.
    const other = await server.api.ok('createGroup', {
      token: token(ada),
      body: { memberIds: [grace.user.id, katherine.user.id] },
    });
    const old = await sent(ada, other.id, 'old news');
    await server.api.ok('addMembers', {
      token: token(ada),
      params: { conversationId: other.id },
      body: { userIds: [linus.user.id], history: true },
    });
    expect((await history(linus, other.id)).body).toMatchObject({ events: [{ seq: old.seq }] });

    // Nobody twice, no guests, nobody from elsewhere; a direct chat stays two people.
    expect(
      await server.api.call('addMembers', {
        token: token(ada),
        params: { conversationId: other.id },
        body: { userIds: [linus.user.id, guest.user.id, stranger.user.id], history: true },
      }),
    ).toMatchObject({
      status: 400,
      body: { error: { issues: [{ path: 'userIds.0' }, { path: 'userIds.1' }, { path: 'userIds.2' }] } },
    });
    const dm = (await startDirect(ada, grace.user.id)).body as ConversationEntry;
    expect(
      await server.api.call('addMembers', {
        token: token(ada),
        params: { conversationId: dm.id },
        body: { userIds: [katherine.user.id], history: true },
      }),
    ).toMatchObject({ status: 400 });
    linusLive.close();
  });

  it('ends delivery at once for someone removed: told to drop it, no live event, no replay, no reads', async () => {
    const group = await server.api.ok('createGroup', {
      token: token(ada),
      body: { name: 'Removal', memberIds: [grace.user.id, katherine.user.id] },
    });
    const first = await sent(ada, group.id, 'before the removal');
    const graceLive = await live(grace);
    const katherineLive = await live(katherine);
    const gone = await server.api.call('removeMember', {
      token: token(katherine),
      params: { conversationId: group.id, userId: grace.user.id },
    });
    expect(gone).toMatchObject({ status: 200 });
    expect(await graceLive.next('conversation.removed', (m) => m.conversationId === group.id)).toMatchObject({
      reason: 'removed',
      by: { id: katherine.user.id },
    });
    const changed = await katherineLive.next('conversation.changed', (m) => m.conversation.id === group.id);
    expect(changed.conversation.memberIds).not.toContain(grace.user.id);
    const secret = await sent(ada, group.id, 'after the removal');
    await katherineLive.next('chat.event', (m) => m.event.clientId === secret.clientId);
    await drained(graceLive);
    // What she was sent while a member (replayed at resume), and nothing since.
    expect(eventsIn(graceLive, group.id).map((e) => e.seq)).toEqual([first.seq]);
    await expectSealed(grace, group.id, first.messageId);
    const replay = await connectWs(server.url, token(grace));
    await resume(replay, 0);
    expect(eventsIn(replay, group.id)).toEqual([]);
    // Someone not in it is not a member to remove.
    expect(
      await server.api.call('removeMember', {
        token: token(ada),
        params: { conversationId: group.id, userId: grace.user.id },
      }),
    ).toMatchObject(notFound);
    // A member leaves by themselves.
    expect(
      await server.api.call('leaveConversation', {
        token: token(katherine),
        params: { conversationId: group.id },
        body: {},
      }),
    ).toMatchObject({ status: 200 });
    expect((await katherineLive.next('conversation.removed', (m) => m.conversationId === group.id)).reason).toBe(
      'left',
    );
    expect(await history(katherine, group.id)).toMatchObject(notFound);
    for (const socket of [graceLive, katherineLive, replay]) socket.close();
  });

  it('keeps a private channel to its members: invited, removed by owners, the last owner stays until archived', async () => {
    const created = await server.api.call('createChannel', {
      token: token(ada),
      body: { name: 'leadership', private: true, memberIds: [grace.user.id] },
    });
    expect(created).toMatchObject({ status: 201, body: { kind: 'channel', private: true, self: { role: 'owner' } } });
    const channel = created.body as ConversationEntry;
    const note = await sent(grace, channel.id, 'private plans');
    await expectSealed(linus, channel.id, note.messageId);
    expect((await listed(linus, 'all')).map((c) => c.id)).not.toContain(channel.id);
    // Admins of the organisation see no more than anyone else who is not a member.
    const admin = await addPerson(server.api, ada, 'dm-admin', 'admin');
    await expectSealed(admin, channel.id, note.messageId);

    // Members invite; only owners remove.
    await server.api.ok('addMembers', {
      token: token(grace),
      params: { conversationId: channel.id },
      body: { userIds: [linus.user.id], history: true },
    });
    expect(
      await server.api.call('removeMember', {
        token: token(grace),
        params: { conversationId: channel.id, userId: linus.user.id },
      }),
    ).toMatchObject({ status: 403 });
    expect(
      await server.api.call('updateConversation', {
        token: token(grace),
        params: { conversationId: channel.id },
        body: { name: 'mine now' },
      }),
    ).toMatchObject({ status: 403 });
    expect(
      await server.api.call('leaveConversation', {
        token: token(ada),
        params: { conversationId: channel.id },
        body: {},
      }),
    ).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    const promoted = await server.api.ok('setMemberRole', {
      token: token(ada),
      params: { conversationId: channel.id, userId: grace.user.id },
      body: { role: 'owner' },
    });
    expect(promoted).toMatchObject({ userId: grace.user.id, role: 'owner' });
    await server.api.ok('removeMember', {
      token: token(grace),
      params: { conversationId: channel.id, userId: linus.user.id },
    });
    await expectSealed(linus, channel.id, note.messageId);
    await server.api.ok('leaveConversation', { token: token(ada), params: { conversationId: channel.id }, body: {} });
    expect(
      await server.api.call('leaveConversation', {
        token: token(grace),
        params: { conversationId: channel.id },
        body: {},
      }),
    ).toMatchObject({ status: 409 });
    await server.api.ok('updateConversation', {
      token: token(grace),
      params: { conversationId: channel.id },
      body: { archived: true },
    });
    await server.api.ok('leaveConversation', { token: token(grace), params: { conversationId: channel.id }, body: {} });
    await expectSealed(grace, channel.id, note.messageId);

    // Guests are never invited, and never create one.
    expect(
      await server.api.call('createChannel', {
        token: token(ada),
        body: { name: 'with a guest', private: true, memberIds: [guest.user.id] },
      }),
    ).toMatchObject({ status: 400, body: { error: { issues: [{ path: 'memberIds.0' }] } } });
    expect(
      await server.api.call('createChannel', { token: token(guest), body: { name: 'guests only', private: true } }),
    ).toMatchObject({ status: 403 });
  });

  it('renames and archives channels: archived is read-only and listed only when asked for', async () => {
    const channel = await server.api.ok('createChannel', { token: token(grace), body: { name: 'launch' } });
    const graceLive = await live(grace);
    const adaLive = await live(ada);
    expect(
      await server.api.call('updateConversation', {
        token: token(linus),
        params: { conversationId: channel.id },
        body: { name: 'hijacked' },
      }),
    ).toMatchObject({ status: 403 });
    const renamed = await server.api.ok('updateConversation', {
      token: token(grace),
      params: { conversationId: channel.id },
      body: { name: 'launch-2' },
    });
    expect(renamed.name).toBe('launch-2');
    expect(
      (await adaLive.next('conversation.changed', (m) => m.conversation.id === channel.id)).conversation.name,
    ).toBe('launch-2');
    const message = await sent(linus, channel.id, 'ready?');
    // An admin of the organisation archives any public channel.
    const archived = await server.api.ok('updateConversation', {
      token: token(ada),
      params: { conversationId: channel.id },
      body: { archived: true },
    });
    expect(archived.archivedAt).not.toBeNull();
    await graceLive.next('conversation.changed', (m) => m.conversation.archivedAt !== null);
    expect(await send(linus, channel.id, 'too late')).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden' } },
    });
    expect(
      await server.api.call('reactToMessage', {
        token: token(linus),
        params: { conversationId: channel.id, messageId: message.messageId },
        body: { clientId: randomUUID(), emoji: '👍' },
      }),
    ).toMatchObject({ status: 403 });
    expect((await history(linus, channel.id)).body).toMatchObject({ events: [{ body: 'ready?' }] });
    expect((await listed(linus)).map((c) => c.id)).not.toContain(channel.id);
    expect((await listed(linus, 'all')).map((c) => c.id)).toContain(channel.id);
    await server.api.ok('updateConversation', {
      token: token(grace),
      params: { conversationId: channel.id },
      body: { archived: false },
    });
    expect((await listed(linus)).map((c) => c.id)).toContain(channel.id);
    await sent(linus, channel.id, 'back again');
    // Direct chats and meeting chats are neither renamed nor archived.
    const dm = (await startDirect(ada, grace.user.id)).body as ConversationEntry;
    expect(
      await server.api.call('updateConversation', {
        token: token(ada),
        params: { conversationId: dm.id },
        body: { archived: true },
      }),
    ).toMatchObject({ status: 400 });
    graceLive.close();
    adaLive.close();
  });

  it('leaves a public channel: no longer listed or followed, until joined again', async () => {
    const channel = await server.api.ok('createChannel', { token: token(ada), body: { name: 'random' } });
    const linusLive = await live(linus);
    await server.api.ok('leaveConversation', { token: token(linus), params: { conversationId: channel.id }, body: {} });
    expect((await linusLive.next('conversation.removed', (m) => m.conversationId === channel.id)).reason).toBe('left');
    const unheard = await sent(ada, channel.id, 'anyone?');
    await drained(linusLive);
    expect(eventsIn(linusLive, channel.id)).toEqual([]);
    expect((await listed(linus)).map((c) => c.id)).not.toContain(channel.id);
    expect((await listed(linus, 'all')).find((c) => c.id === channel.id)?.self.left).toBe(true);
    // Still readable: it is the organisation's.
    expect((await history(linus, channel.id)).body).toMatchObject({ events: [{ seq: unheard.seq }] });
    const joined = await server.api.ok('joinConversation', {
      token: token(linus),
      params: { conversationId: channel.id },
      body: {},
    });
    expect(joined.self.left).toBe(false);
    const heard = await sent(ada, channel.id, 'welcome back');
    await linusLive.next('chat.event', (m) => m.event.clientId === heard.clientId);
    linusLive.close();
  });

  it('shows read positions in direct chats and small groups ("Seen by"), and counts unread and mentions', async () => {
    const group = await server.api.ok('createGroup', {
      token: token(ada),
      body: { name: 'Receipts', memberIds: [grace.user.id, katherine.user.id] },
    });
    await sent(ada, group.id, 'first');
    const mention = await sent(ada, group.id, `@${grace.user.name} please look`);
    const unread = (await listed(grace)).find((c) => c.id === group.id);
    expect(unread?.self).toMatchObject({ lastReadSeq: 0, unread: 2, mentions: 1 });
    expect((await listed(ada)).find((c) => c.id === group.id)?.self.unread).toBe(0);

    const adaLive = await live(ada);
    const receipt = await server.api.ok('markRead', {
      token: token(grace),
      params: { conversationId: group.id },
      body: { seq: 1_000 },
    });
    // Clamped to the newest event.
    expect(receipt).toEqual({ conversationId: group.id, userId: grace.user.id, seq: mention.seq });
    expect((await adaLive.next('conversation.read', (m) => m.receipt.conversationId === group.id)).receipt).toEqual(
      receipt,
    );
    // Never back.
    expect(
      await server.api.ok('markRead', { token: token(grace), params: { conversationId: group.id }, body: { seq: 1 } }),
    ).toMatchObject({ seq: mention.seq });
    const members = await server.api.ok('listMembers', { token: token(ada), params: { conversationId: group.id } });
    expect(members.members.find((m) => m.userId === grace.user.id)?.lastReadSeq).toBe(mention.seq);
    expect(members.members.find((m) => m.userId === katherine.user.id)?.lastReadSeq).toBe(0);
    expect((await listed(grace)).find((c) => c.id === group.id)?.self).toMatchObject({ unread: 0, mentions: 0 });

    // A deleted message is not unread; one's own are never.
    const deleted = await sent(grace, group.id, 'oops');
    await server.api.ok('deleteMessage', {
      token: token(grace),
      params: { conversationId: group.id, messageId: deleted.messageId },
      body: { clientId: randomUUID() },
    });
    expect((await listed(katherine)).find((c) => c.id === group.id)?.self.unread).toBe(2);

    // A public channel shows no one's read position, and reading it tells nobody else.
    const channel = await server.api.ok('createChannel', { token: token(grace), body: { name: 'quiet' } });
    await sent(grace, channel.id, 'hello');
    expect((await listed(ada)).find((c) => c.id === channel.id)?.self).toMatchObject({ lastReadSeq: null, unread: 0 });
    await server.api.ok('markRead', { token: token(ada), params: { conversationId: channel.id }, body: { seq: 1 } });
    const graceLive = await live(grace);
    await server.api.ok('markRead', { token: token(linus), params: { conversationId: channel.id }, body: { seq: 1 } });
    await drained(graceLive);
    expect(graceLive.received.filter((m) => m.type === 'conversation.read')).toEqual([]);
    expect(
      await server.api.call('listMembers', { token: token(ada), params: { conversationId: channel.id } }),
    ).toMatchObject({ status: 400 });
    adaLive.close();
    graceLive.close();
  });
});
