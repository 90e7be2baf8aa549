import crypto from 'node:crypto';
import type { AuthSession, ChatMessageView } from '@tandem/shared';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { PASSWORD, desktopWorld, twoPeople, until, type TestDesktop } from '../testing/realServer.ts';
import { createApiClient } from './apiClient.ts';
import { ServiceError } from './errors.ts';

const world = desktopWorld(inject('livekit'), 'chat');
afterEach(() => world.close());

async function setUp() {
  await world.start();
  return twoPeople(world.server.url);
}

const signedIn = (name: string, person: AuthSession, fetchImpl?: typeof fetch) =>
  world.signedIn(name, person.user.email, fetchImpl);

const api = () => createApiClient(world.server.url);

const messageIn = async (d: TestDesktop, conversationId: string, clientId: string) =>
  (await d.core.services.chat.list({ conversationId, limit: 100 })).find((m) => m.clientId === clientId);

/** What the renderer was told about one message, in order: the pushes are its only news. */
const pushed = (d: TestDesktop, clientId: string): ChatMessageView[] =>
  d
    .eventsOf('chat:messages')
    .flatMap((e) => e.messages)
    .filter((m) => m.clientId === clientId);

const codeOf = async (work: Promise<unknown>) => {
  const error: unknown = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  return error instanceof ServiceError ? error.code : error;
};

describe('chat edits and deletes against the real coordination server', () => {
  it('edits and deletes one’s own message; the other desktop sees both live and its search follows', async () => {
    const { alice, bob } = await setUp();
    const a = await signedIn('alice', alice);
    const b = await signedIn('bob', bob);
    const channel = await api().call('createChannel', { body: { name: 'general' } }, alice.tokens.accessToken);
    await a.core.services.chat.open(channel.id);
    await b.core.services.chat.open(channel.id);

    const sent = await a.core.services.chat.send({ conversationId: channel.id, body: 'lunch at noon' });
    await until('bob has it', async () => (await messageIn(b, channel.id, sent.clientId))?.body === 'lunch at noon');

    const edited = await a.core.services.chat.edit({
      conversationId: channel.id,
      messageId: sent.clientId,
      body: 'lunch at one',
    });
    expect(edited).toMatchObject({ clientId: sent.clientId, body: 'lunch at one', status: 'sent', deleted: false });
    expect(edited.editedAt).not.toBeNull();
    await until(
      'bob sees the edit',
      async () => (await messageIn(b, channel.id, sent.clientId))?.body === 'lunch at one',
    );
    expect(pushed(b, sent.clientId).at(-1)).toMatchObject({ body: 'lunch at one', editedAt: edited.editedAt });
    expect((await b.core.services.chat.search({ query: 'noon', limit: 10 })).messages).toEqual([]);
    expect(
      (await b.core.services.chat.search({ query: 'one', limit: 10 })).messages.map((h) => h.message.clientId),
    ).toEqual([sent.clientId]);

    // Bob may not edit or delete Alice's message; his cache keeps it as it was.
    expect(
      await codeOf(b.core.services.chat.edit({ conversationId: channel.id, messageId: sent.clientId, body: 'x' })),
    ).toBe('forbidden');
    expect(await codeOf(b.core.services.chat.delete({ conversationId: channel.id, messageId: sent.clientId }))).toBe(
      'forbidden',
    );

    const deleted = await a.core.services.chat.delete({ conversationId: channel.id, messageId: sent.clientId });
    expect(deleted).toMatchObject({ clientId: sent.clientId, deleted: true, body: '' });
    await until('bob sees it deleted', async () => (await messageIn(b, channel.id, sent.clientId))?.deleted);
    expect(pushed(b, sent.clientId).at(-1)).toMatchObject({ deleted: true, body: '' });
    expect((await b.core.services.chat.search({ query: 'lunch', limit: 10 })).messages).toEqual([]);
    // A deleted message takes no more edits.
    expect(
      await codeOf(a.core.services.chat.edit({ conversationId: channel.id, messageId: sent.clientId, body: 'back' })),
    ).toBe('conflict');

    // The server holds one event per action, and replays them to a cache that starts from nothing.
    const history = await api().call(
      'history',
      { params: { conversationId: channel.id }, query: { since: 0 } },
      bob.tokens.accessToken,
    );
    expect(history.events.map((e) => e.type)).toEqual(['message', 'edit', 'delete']);
    // All of it went on the desktops' sockets (SOCKET_ROUTES), refusals too: the server counted each call.
    const metrics = await (await fetch(`${world.server.url}/metrics`)).text();
    for (const [route, outcome, count] of [
      ['sendMessage', 'ok', 1],
      ['editMessage', 'ok', 1],
      ['editMessage', 'forbidden', 1],
      ['editMessage', 'conflict', 1],
      ['deleteMessage', 'ok', 1],
      ['deleteMessage', 'forbidden', 1],
    ] as const) {
      expect(metrics).toContain(`tandem_socket_calls_total{route="${route}",outcome="${outcome}"} ${count}`);
    }
    const c = await signedIn('carol-is-bob-again', bob);
    await c.core.services.chat.open(channel.id);
    await until('a fresh cache folds the log', async () => (await messageIn(c, channel.id, sent.clientId))?.deleted);
  });

  it('says an edit needs the server when it is down, and changes nothing locally', async () => {
    const { alice } = await setUp();
    const a = await signedIn('alice', alice);
    const channel = await api().call('createChannel', { body: { name: 'general' } }, alice.tokens.accessToken);
    await a.core.services.chat.open(channel.id);
    const sent = await a.core.services.chat.send({ conversationId: channel.id, body: 'first draft' });
    await until('sent', async () => (await messageIn(a, channel.id, sent.clientId))?.status === 'sent');

    await world.server.stop();
    expect(
      await codeOf(a.core.services.chat.edit({ conversationId: channel.id, messageId: sent.clientId, body: 'second' })),
    ).toBe('unavailable');
    expect(await messageIn(a, channel.id, sent.clientId)).toMatchObject({ body: 'first draft', editedAt: null });
  });
});

describe('messages the server refuses', () => {
  it('keeps a refused message as failed (pushed to the renderer), sends what follows, and retries or discards it', async () => {
    const { alice } = await setUp();
    const a = await signedIn('alice', alice);
    const token = alice.tokens.accessToken;
    const quiet = await api().call('createMeeting', { body: { title: 'Quiet', settings: { chat: false } } }, token);
    const channel = await api().call('createChannel', { body: { name: 'general' } }, token);
    await a.core.services.chat.open(quiet.conversationId);
    await a.core.services.chat.open(channel.id);

    const refused = await a.core.services.chat.send({ conversationId: quiet.conversationId, body: 'anyone here?' });
    const after = await a.core.services.chat.send({ conversationId: channel.id, body: 'written after' });
    await until(
      'the next one is sent',
      async () => (await messageIn(a, channel.id, after.clientId))?.status === 'sent',
    );
    const failed = await until('refused for good', async () => {
      const m = await messageIn(a, quiet.conversationId, refused.clientId);
      return m?.status === 'failed' ? m : undefined;
    });
    expect(failed).toMatchObject({ body: 'anyone here?', seq: null, failure: { code: 'forbidden' } });
    expect(failed.failure?.message).toMatch(/chat is turned off/);
    expect(pushed(a, refused.clientId).map((m) => m.status)).toEqual(['pending', 'failed']);

    // Retrying while chat is still off fails again, the same way.
    expect(await a.core.services.chat.retry(refused.clientId)).toMatchObject({ status: 'pending', failure: null });
    await until(
      'refused again',
      async () =>
        pushed(a, refused.clientId)
          .map((m) => m.status)
          .join() === 'pending,failed,pending,failed',
    );

    // Chat turned on: a retry goes through, once, under the same idempotency id.
    await api().call('updateMeeting', { params: { meetingId: quiet.id }, body: { settings: { chat: true } } }, token);
    await a.core.services.chat.retry(refused.clientId);
    await until('sent at last', async () => (await messageIn(a, quiet.conversationId, refused.clientId))?.seq);
    const history = await api().call(
      'history',
      { params: { conversationId: quiet.conversationId }, query: { since: 0 } },
      token,
    );
    expect(history.events.map((e) => e.clientId)).toEqual([refused.clientId]);
    expect(await codeOf(a.core.services.chat.discard(refused.clientId))).toBe('not_found');

    // Off again: this one is discarded, and the server never hears of it.
    await api().call('updateMeeting', { params: { meetingId: quiet.id }, body: { settings: { chat: false } } }, token);
    const dropped = await a.core.services.chat.send({ conversationId: quiet.conversationId, body: 'never mind' });
    await until(
      'refused',
      async () => (await messageIn(a, quiet.conversationId, dropped.clientId))?.status === 'failed',
    );
    await a.core.services.chat.discard(dropped.clientId);
    expect(await messageIn(a, quiet.conversationId, dropped.clientId)).toBeUndefined();
    expect((await a.core.services.chat.search({ query: 'never', limit: 5 })).messages).toEqual([]);
    expect(await codeOf(a.core.services.chat.retry(dropped.clientId))).toBe('not_found');
  });

  it('keeps retrying a message the server turns away for now (429, 503), and sends it once', async () => {
    const { alice } = await setUp();
    const answers = [
      { status: 429, code: 'rate_limited' },
      { status: 503, code: 'unavailable' },
    ];
    // The real server behind a fetch that turns the first two sends away as a busy server would.
    const busyFetch: typeof fetch = async (input, init) => {
      const next = init?.method === 'POST' && String(input).endsWith('/messages') ? answers.shift() : undefined;
      if (next === undefined) return fetch(input, init);
      return new Response(JSON.stringify({ error: { code: next.code, message: 'busy' } }), {
        status: next.status,
        headers: { 'content-type': 'application/json' },
      });
    };
    const a = await signedIn('alice', alice, busyFetch);
    const channel = await api().call('createChannel', { body: { name: 'general' } }, alice.tokens.accessToken);
    await a.core.services.chat.open(channel.id);
    const sent = await a.core.services.chat.send({ conversationId: channel.id, body: 'patience' });
    await until(
      'sent after the server recovered',
      async () => (await messageIn(a, channel.id, sent.clientId))?.status === 'sent',
    );
    expect(answers).toEqual([]);
    expect(pushed(a, sent.clientId).map((m) => m.status)).not.toContain('failed');
    const history = await api().call(
      'history',
      { params: { conversationId: channel.id }, query: { since: 0 } },
      alice.tokens.accessToken,
    );
    expect(history.events).toHaveLength(1);
  });
});

describe('channels', () => {
  const summaryOf = async (d: TestDesktop, conversationId: string) =>
    (await d.core.services.chat.conversations()).find((c) => c.id === conversationId);
  /** The renderer's last news of a conversation: the pushes are all it learns between loads. */
  const announced = (d: TestDesktop, conversationId: string) =>
    d
      .eventsOf('conversations:changed')
      .flatMap((e) => e.conversations)
      .filter((c) => c.id === conversationId)
      .at(-1);

  it('a channel created on one desktop appears live on the other, which counts others’ messages unread until it reads them', async () => {
    const { alice, bob } = await setUp();
    const a = await signedIn('alice', alice);
    const b = await signedIn('bob', bob);
    const channel = await a.core.services.chat.createChannel({ name: 'launch' });
    expect(channel).toMatchObject({ kind: 'channel', name: 'launch', unread: 0, lastMessage: null, readSeq: 0 });

    // Bob asked for nothing: the server's announcement put it in his cache, followed, and told his renderer.
    await until('bob hears of the channel', async () => announced(b, channel.id));
    expect(announced(b, channel.id)).toMatchObject({ name: 'launch', unread: 0, createdAt: channel.createdAt });
    // Alice's own answer and the announcement are one addition.
    expect(
      a.eventsOf('conversations:changed').filter((e) => e.conversations.some((c) => c.id === channel.id)),
    ).toHaveLength(1);

    await a.core.services.chat.send({ conversationId: channel.id, body: 'one' });
    await a.core.services.chat.send({ conversationId: channel.id, body: 'two' });
    await until('bob has two unread', async () => announced(b, channel.id)?.unread === 2);
    expect(announced(b, channel.id)?.lastMessage).toMatchObject({ body: 'two', authorName: 'Alice', status: 'sent' });
    expect(await summaryOf(b, channel.id)).toMatchObject({ unread: 2, syncedSeq: 2, readSeq: 0 });
    // One's own messages are never unread, and the writer's list shows the newest at once.
    await until('alice has both sent', async () => (await summaryOf(a, channel.id))?.syncedSeq === 2);
    expect(await summaryOf(a, channel.id)).toMatchObject({ unread: 0, lastMessage: { body: 'two' } });
    expect(announced(a, channel.id)?.lastMessage?.body).toBe('two');

    expect(await b.core.services.chat.open(channel.id)).toMatchObject({ unread: 0, readSeq: 2 });
    // On screen, what arrives is read at once; once away, it counts again.
    b.core.services.notifications.setAttention({ viewing: channel.id, presenting: false });
    await a.core.services.chat.send({ conversationId: channel.id, body: 'three' });
    await until('bob has three', async () => (await summaryOf(b, channel.id))?.syncedSeq === 3);
    expect(await summaryOf(b, channel.id)).toMatchObject({ unread: 0, readSeq: 3 });
    b.core.services.notifications.setAttention({ viewing: null, presenting: false });
    await a.core.services.chat.send({ conversationId: channel.id, body: 'four' });
    await until('bob has one unread', async () => announced(b, channel.id)?.unread === 1);
    // Looking at it again reads it.
    b.core.services.notifications.setAttention({ viewing: channel.id, presenting: false });
    await until('bob read it', async () => announced(b, channel.id)?.unread === 0);
    expect(await summaryOf(b, channel.id)).toMatchObject({ unread: 0, readSeq: 4 });
  });

  it('a desktop that was away learns the channels made meanwhile at reconnect; history from before sign-in is read', async () => {
    const { alice, bob } = await setUp();
    const general = await api().call('createChannel', { body: { name: 'general' } }, alice.tokens.accessToken);
    const say = (conversationId: string, body: string) =>
      api().call(
        'sendMessage',
        { params: { conversationId }, body: { clientId: crypto.randomUUID(), body } },
        alice.tokens.accessToken,
      );
    await say(general.id, 'before bob');
    const key = crypto.randomBytes(32);
    const first = await world.desktop('bob', key);
    await first.core.services.auth.signIn(world.server.url, bob.user.email, PASSWORD);
    await until('bob has general', async () => (await summaryOf(first, general.id))?.syncedSeq === 1);
    expect(await summaryOf(first, general.id)).toMatchObject({ unread: 0, readSeq: 1 });
    await first.core.close();

    const later = await api().call('createChannel', { body: { name: 'later' } }, alice.tokens.accessToken);
    await say(later.id, 'while bob was away');
    await say(general.id, 'also while away');
    const again = await world.desktop('bob', key);
    await until('bob hears of the new channel', async () => announced(again, later.id)?.unread === 1);
    await until('general caught up', async () => announced(again, general.id)?.unread === 1);
    const channels = (await again.core.services.chat.conversations()).filter((c) => c.kind === 'channel');
    expect(channels.map((c) => [c.name, c.unread])).toEqual([
      ['general', 1],
      ['later', 1],
    ]);
  });

  it('refuses a guest and a blank name, and creates nothing', async () => {
    const { alice } = await setUp();
    const guestEmail = `guest-${crypto.randomUUID().slice(0, 8)}@tandem.example`;
    await api().call(
      'createUser',
      { body: { email: guestEmail, name: 'Visitor', password: PASSWORD, role: 'guest' } },
      alice.tokens.accessToken,
    );
    const g = await world.desktop('guest', crypto.randomBytes(32));
    await g.core.services.auth.signIn(world.server.url, guestEmail, PASSWORD);
    expect(await codeOf(g.core.services.chat.createChannel({ name: 'mine' }))).toBe('forbidden');
    const a = await signedIn('alice', alice);
    expect(await codeOf(a.core.services.chat.createChannel({ name: '   ' }))).toBe('bad_request');
    const channels = (await a.core.services.chat.conversations()).filter((c) => c.kind === 'channel');
    expect(channels).toEqual([]);
    expect(
      a.eventsOf('conversations:changed').flatMap((e) => e.conversations.filter((c) => c.kind === 'channel')),
    ).toEqual([]);
  });
});

describe('mentions and typing through main', () => {
  it('lists the organisation’s people from the cache, and passes typing on to the other desktop only', async () => {
    const { alice, bob } = await setUp();
    const a = await signedIn('alice', alice);
    const b = await signedIn('bob', bob);
    await until('alice knows everyone', async () => (await a.core.services.chat.people()).length === 2);
    expect((await a.core.services.chat.people()).map((p) => p.name)).toEqual(['Alice', 'Bob']);

    const channel = await api().call('createChannel', { body: { name: 'general' } }, alice.tokens.accessToken);
    await a.core.services.chat.open(channel.id);
    await b.core.services.chat.open(channel.id);
    // Following is live once the subscription is confirmed; a message proves it for both.
    const sent = await b.core.services.chat.send({ conversationId: channel.id, body: 'here' });
    await until('alice follows', async () => (await messageIn(a, channel.id, sent.clientId))?.status === 'sent');

    a.core.services.chat.typing(channel.id, true);
    await until('bob hears alice typing', async () => b.eventsOf('chat:othersTyping').length === 1);
    a.core.services.chat.typing(channel.id, false);
    await until('bob hears alice stop', async () => b.eventsOf('chat:othersTyping').length === 2);
    expect(b.eventsOf('chat:othersTyping')).toEqual([
      { conversationId: channel.id, userId: alice.user.id, name: 'Alice', typing: true },
      { conversationId: channel.id, userId: alice.user.id, name: 'Alice', typing: false },
    ]);
    expect(a.eventsOf('chat:othersTyping')).toEqual([]);
  });
});

describe('direct chats, groups and private channels against the real coordination server', () => {
  /** A third person of Alice's organisation, signed in over the API only. */
  async function carol(alice: AuthSession): Promise<AuthSession> {
    const email = `carol-${crypto.randomUUID().slice(0, 8)}@tandem.example`;
    await api().call(
      'createUser',
      { body: { email, name: 'Carol', password: PASSWORD, role: 'member' } },
      alice.tokens.accessToken,
    );
    return api().call('signIn', { body: { email, password: PASSWORD } });
  }
  const summaryOf = async (d: TestDesktop, id: string) =>
    (await d.core.services.chat.conversations()).find((c) => c.id === id);

  it('starts a direct chat that the other desktop hears of live; replies; "Seen by" follows the reader', async () => {
    const { alice, bob } = await setUp();
    const a = await signedIn('alice', alice);
    const b = await signedIn('bob', bob);
    const dm = await a.core.services.chat.startDirect(bob.user.id);
    expect(dm).toMatchObject({ kind: 'direct', private: true, role: 'member', unread: 0 });
    expect(dm.members?.map((m) => m.id).sort()).toEqual([alice.user.id, bob.user.id].sort());
    // Started again from Bob's side: the same chat.
    expect((await b.core.services.chat.startDirect(alice.user.id)).id).toBe(dm.id);

    const hello = await a.core.services.chat.send({ conversationId: dm.id, body: 'Hello Bob' });
    await until('bob has it, unread', async () => (await summaryOf(b, dm.id))?.unread === 1);
    await b.core.services.chat.send({ conversationId: dm.id, body: 'Hi Alice' });
    await until('alice has the reply', async () => (await summaryOf(a, dm.id))?.lastMessage?.body === 'Hi Alice');

    // Bob reads it: Alice's desktop hears where he read up to.
    await b.core.services.chat.markRead(dm.id);
    await until('alice sees bob read it', async () =>
      a
        .eventsOf('chat:receiptsChanged')
        .some(
          (e) =>
            e.conversationId === dm.id && e.receipts.some((r) => r.userId === bob.user.id && r.seq >= (hello.seq ?? 1)),
        ),
    );
    expect(await a.core.services.chat.receipts(dm.id)).toContainEqual(
      expect.objectContaining({ userId: bob.user.id, name: 'Bob' }),
    );
  });

  it('drops a group from the cache of someone removed: the conversation, its messages and its search hits', async () => {
    const { alice, bob } = await setUp();
    const third = await carol(alice);
    const a = await signedIn('alice', alice);
    const b = await signedIn('bob', bob);
    const group = await a.core.services.chat.createGroup({ name: 'Plans', memberIds: [bob.user.id, third.user.id] });
    expect(group).toMatchObject({ kind: 'group', name: 'Plans', role: 'owner' });
    await a.core.services.chat.send({ conversationId: group.id, body: 'secret plans' });
    await until(
      'bob can search it',
      async () => (await b.core.services.chat.search({ query: 'secret', limit: 5 })).messages.length === 1,
    );

    await a.core.services.chat.removeMember(group.id, bob.user.id);
    await until('bob dropped it', async () => (await summaryOf(b, group.id)) === undefined);
    expect(b.eventsOf('conversations:removed')).toContainEqual(
      expect.objectContaining({ conversationIds: [group.id], reason: 'removed' }),
    );
    expect((await b.core.services.chat.search({ query: 'secret', limit: 5 })).messages).toEqual([]);
    expect(await codeOf(b.core.services.chat.members(group.id))).toBe('not_found');
    expect((await summaryOf(a, group.id))?.members?.map((m) => m.id)).not.toContain(bob.user.id);
  });

  it('archives a private channel (read-only), and the last owner leaves only once it is', async () => {
    const { alice, bob } = await setUp();
    const a = await signedIn('alice', alice);
    const b = await signedIn('bob', bob);
    const channel = await a.core.services.chat.createChannel({
      name: 'board',
      private: true,
      memberIds: [bob.user.id],
    });
    expect(channel).toMatchObject({ private: true, role: 'owner' });
    await until('bob has it', async () => (await summaryOf(b, channel.id)) !== undefined);
    expect(await codeOf(a.core.services.chat.leave(channel.id))).toBe('conflict');
    const archived = await a.core.services.chat.update(channel.id, { archived: true });
    expect(archived.archivedAt).not.toBeNull();
    await until('bob sees it archived', async () => (await summaryOf(b, channel.id))?.archivedAt != null);
    await a.core.services.chat.leave(channel.id);
    expect(await summaryOf(a, channel.id)).toBeUndefined();
    expect((await b.core.services.chat.members(channel.id)).map((m) => m.name)).toEqual(['Bob']);
  });
});
