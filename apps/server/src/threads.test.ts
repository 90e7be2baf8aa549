import { randomUUID } from 'node:crypto';
import type { AuthSession, ChatEvent } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, drained, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

describe('threads and reactions are chat events, over real HTTP and WebSocket', () => {
  let server: TestServer;
  let ada: AuthSession;
  let grace: AuthSession;
  let channelId: string;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'threads-ada');
    grace = await addPerson(server.api, ada, 'threads-grace', 'member');
    channelId = (await server.api.ok('createChannel', { token: ada.tokens.accessToken, body: { name: 'threads' } })).id;
  });
  afterAll(() => server?.close());

  const send = (who: AuthSession, body: string, threadOf?: string, clientId: string = randomUUID()) =>
    server.api.call('sendMessage', {
      token: who.tokens.accessToken,
      params: { conversationId: channelId },
      body: threadOf === undefined ? { clientId, body } : { clientId, body, threadOf },
    });
  const sent = async (who: AuthSession, body: string, threadOf?: string, clientId?: string): Promise<ChatEvent> => {
    const reply = await send(who, body, threadOf, clientId);
    expect(reply.status).toBe(200);
    return reply.body as ChatEvent;
  };
  const reaction = (
    who: AuthSession,
    type: 'react' | 'unreact',
    messageId: string,
    emoji: string,
    clientId = randomUUID(),
    conversationId = channelId,
  ) =>
    server.api.call(type === 'react' ? 'reactToMessage' : 'unreactToMessage', {
      token: who.tokens.accessToken,
      params: { conversationId, messageId },
      body: { clientId, emoji } as never,
    });
  const history = async (since = 0) =>
    (
      await server.api.ok('history', {
        token: ada.tokens.accessToken,
        params: { conversationId: channelId },
        query: { since },
      })
    ).events;

  it('replies in a thread in the same log, live to others; a reply cannot be a root', async () => {
    const watcher = await connectWs(server.url, ada.tokens.accessToken);
    await resume(watcher);
    const root = await sent(ada, 'Shall we ship on Friday?');
    expect(root).not.toHaveProperty('threadOf');
    const clientId = randomUUID();
    const reply = await sent(grace, 'Friday works', root.messageId, clientId);
    expect(reply).toMatchObject({ type: 'message', threadOf: root.messageId, seq: root.seq + 1, messageId: clientId });
    expect((await watcher.next('chat.event', (m) => m.event.clientId === clientId)).event).toEqual(reply);
    // A resend answers the stored reply; the same id for a top-level message is a mix-up.
    expect(await sent(grace, 'Friday works', root.messageId, clientId)).toEqual(reply);
    expect(await send(grace, 'Friday works', undefined, clientId)).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });

    const nested = await send(ada, 'a reply to a reply', reply.messageId);
    expect(nested).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await send(ada, 'into nothing', randomUUID())).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect(await send(ada, 'not an id', 'x')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', issues: [{ path: 'threadOf' }] } },
    });

    const gone = await sent(ada, 'soon deleted');
    await server.api.ok('deleteMessage', {
      token: ada.tokens.accessToken,
      params: { conversationId: channelId, messageId: gone.messageId },
      body: { clientId: randomUUID() },
    });
    expect(await send(grace, 'too late', gone.messageId)).toMatchObject({ status: 409 });

    const events = await history(root.seq - 1);
    expect(events.filter((e) => e.type === 'message' && e.threadOf === root.messageId)).toEqual([reply]);
    watcher.close();
  });

  it('reactions: one per person and emoji, taken back, idempotent by clientId, live and in history', async () => {
    const root = await sent(ada, 'React to me');
    const watcher = await connectWs(server.url, ada.tokens.accessToken);
    await resume(watcher);
    const clientId = randomUUID();
    const first = await reaction(grace, 'react', root.messageId, '👍', clientId);
    expect(first).toMatchObject({
      status: 200,
      body: { type: 'react', emoji: '👍', messageId: root.messageId, seq: root.seq + 1 },
    });
    expect((await watcher.next('chat.event', (m) => m.event.clientId === clientId)).event).toEqual(first.body);
    // The same request again answers the same event; a second 👍 by Grace is refused.
    expect((await reaction(grace, 'react', root.messageId, '👍', clientId)).body).toEqual(first.body);
    expect(await reaction(grace, 'react', root.messageId, '👍')).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict' } },
    });
    expect((await reaction(grace, 'react', root.messageId, '🎉')).status).toBe(200);
    expect((await reaction(ada, 'react', root.messageId, '👍')).status).toBe(200);
    expect((await reaction(grace, 'unreact', root.messageId, '👍')).status).toBe(200);
    expect(await reaction(grace, 'unreact', root.messageId, '👍')).toMatchObject({ status: 409 });
    // Taken back, it can be given again.
    expect((await reaction(grace, 'react', root.messageId, '👍')).status).toBe(200);

    const events = (await history(root.seq)).filter((e) => e.messageId === root.messageId);
    expect(
      events.map((e) => [e.type, e.authorId === ada.user.id ? 'ada' : 'grace', 'emoji' in e ? e.emoji : '']),
    ).toEqual([
      ['react', 'grace', '👍'],
      ['react', 'grace', '🎉'],
      ['react', 'ada', '👍'],
      ['unreact', 'grace', '👍'],
      ['react', 'grace', '👍'],
    ]);
    await drained(watcher);
    const live = watcher.received.filter((m) => m.type === 'chat.event' && m.event.messageId === root.messageId);
    // The root itself (replayed at resume), then each reaction once.
    expect(live).toHaveLength(6);
    watcher.close();
  });

  it('refuses emoji outside the set, missing messages, deleted ones and other organisations', async () => {
    const root = await sent(ada, 'Careful');
    const before = (await history()).length;
    expect(await reaction(grace, 'react', root.messageId, '🦄')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', issues: [{ path: 'emoji' }] } },
    });
    expect(await reaction(grace, 'react', root.messageId, '👍'.repeat(50))).toMatchObject({ status: 400 });
    expect(await reaction(grace, 'react', randomUUID(), '👍')).toMatchObject({ status: 404 });
    const stranger = await signUp(server.api, 'threads-stranger');
    expect(await reaction(stranger, 'react', root.messageId, '👍')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect(await send(stranger, 'sneaky reply', root.messageId)).toMatchObject({ status: 404 });
    expect(await history()).toHaveLength(before);
    await server.api.ok('deleteMessage', {
      token: ada.tokens.accessToken,
      params: { conversationId: channelId, messageId: root.messageId },
      body: { clientId: randomUUID() },
    });
    expect(await reaction(grace, 'react', root.messageId, '😮')).toMatchObject({ status: 409 });
  });

  it('a reconnecting client resumes thread replies and reactions it missed, once each, in order', async () => {
    const first = await connectWs(server.url, grace.tokens.accessToken);
    const marker = await resume(first);
    first.close();
    const root = await sent(ada, 'While you were away');
    const reply = await sent(ada, 'and a reply', root.messageId);
    const react = (await reaction(ada, 'react', root.messageId, '❤️')).body as ChatEvent;
    const again = await connectWs(server.url, grace.tokens.accessToken);
    await resume(again, marker.cursor);
    const missed = again.received.flatMap((m) => (m.type === 'chat.event' ? [m.event] : []));
    expect(missed).toEqual([root, reply, react]);
    again.close();
  });
});
