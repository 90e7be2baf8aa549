import type { AuthSession, ChatEvent, ServerMessage } from '@tandem/shared';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  connectWs,
  resume,
  signUp,
  startTestServer,
  type TestServer,
  type WsClient,
} from './testSupport.ts';

const livekit = inject('livekit');

type Answer = Extract<ServerMessage, { type: 'call.result' | 'call.error' }>;

/** Sends a `call` and resolves with its answer (`call.result` or `call.error` naming its ref). */
async function call(client: WsClient, route: string, parts: { params?: unknown; body?: unknown }): Promise<Answer> {
  const ref = randomUUID();
  client.send({ type: 'call', ref, route, ...parts });
  return Promise.race([
    client.next('call.result', (m) => m.ref === ref),
    client.next('call.error', (m) => m.ref === ref),
  ]);
}

const resultOf = (answer: Answer): unknown => {
  if (answer.type !== 'call.result') throw new Error(`refused: ${JSON.stringify(answer.error)}`);
  return answer.result;
};

describe('chat writes called on the WebSocket (SOCKET_ROUTES), as over HTTP', () => {
  let server: TestServer;
  let owner: AuthSession;
  let member: AuthSession;
  let guest: AuthSession;
  let channelId: string;
  const open: WsClient[] = [];
  const socketOf = async (who: AuthSession): Promise<WsClient> => {
    const client = await connectWs(server.url, who.tokens.accessToken);
    open.push(client);
    await resume(client, null);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer(livekit, { rateLimits: { messagesPerMinute: 20 } });
    owner = await signUp(server.api, 'calls-owner');
    member = await addPerson(server.api, owner, 'calls-member', 'member');
    guest = await addPerson(server.api, owner, 'calls-guest', 'guest');
    channelId = (await server.api.ok('createChannel', { token: owner.tokens.accessToken, body: { name: 'calls' } })).id;
  });
  afterAll(async () => {
    for (const client of open) client.close();
    await server?.close();
  });

  it('sends, reacts, edits, deletes and moves the read position; the others hear each event, HTTP reads the same', async () => {
    const writer = await socketOf(member);
    const reader = await socketOf(owner);
    const params = { conversationId: channelId };
    const clientId = randomUUID();
    const sent = resultOf(await call(writer, 'sendMessage', { params, body: { clientId, body: 'over the socket' } }));
    expect(sent).toMatchObject({ type: 'message', body: 'over the socket', authorId: member.user.id, clientId });
    const { messageId, seq } = sent as ChatEvent;
    expect((await reader.next('chat.event', (m) => m.event.clientId === clientId)).event).toEqual(sent);

    // The same clientId again, on the socket and over HTTP: the same event, stored once.
    expect(
      resultOf(await call(writer, 'sendMessage', { params, body: { clientId, body: 'over the socket' } })),
    ).toEqual(sent);
    const overHttp = await server.api.ok('sendMessage', {
      token: member.tokens.accessToken,
      params,
      body: { clientId, body: 'over the socket' },
    });
    expect(overHttp).toEqual(sent);

    const onMessage = { conversationId: channelId, messageId };
    const reacted = resultOf(
      await call(reader, 'reactToMessage', { params: onMessage, body: { clientId: randomUUID(), emoji: '👍' } }),
    );
    expect(reacted).toMatchObject({ type: 'react', emoji: '👍', authorId: owner.user.id });
    const again = await call(reader, 'reactToMessage', {
      params: onMessage,
      body: { clientId: randomUUID(), emoji: '👍' },
    });
    expect(again).toMatchObject({ type: 'call.error', error: { code: 'conflict' } });
    expect(
      resultOf(
        await call(reader, 'unreactToMessage', { params: onMessage, body: { clientId: randomUUID(), emoji: '👍' } }),
      ),
    ).toMatchObject({ type: 'unreact' });
    expect(
      resultOf(
        await call(writer, 'editMessage', { params: onMessage, body: { clientId: randomUUID(), body: 'edited' } }),
      ),
    ).toMatchObject({ type: 'edit', body: 'edited' });
    expect(resultOf(await call(reader, 'markRead', { params, body: { seq } }))).toEqual({
      conversationId: channelId,
      userId: owner.user.id,
      seq,
    });
    expect(
      resultOf(await call(writer, 'deleteMessage', { params: onMessage, body: { clientId: randomUUID() } })),
    ).toMatchObject({ type: 'delete' });

    const history = await server.api.ok('history', {
      token: owner.tokens.accessToken,
      params,
      query: { since: seq - 1 },
    });
    expect(history.events.map((e) => e.type)).toEqual(['message', 'react', 'unreact', 'edit', 'delete']);
    const read = await server.api.ok('getConversation', { token: owner.tokens.accessToken, params });
    expect(read.self.lastReadSeq).toBe(seq);
  });

  it('answers calls in the order they were sent, each naming its ref', async () => {
    const writer = await socketOf(member);
    const refs = Array.from({ length: 5 }, (_, i) => `r${i}`);
    for (const [i, ref] of refs.entries()) {
      writer.send({
        type: 'call',
        ref,
        route: 'sendMessage',
        params: { conversationId: channelId },
        body: { clientId: randomUUID(), body: `in order ${i}` },
      });
    }
    await writer.next('call.result', (m) => m.ref === 'r4');
    const answers = writer.received.filter((m) => m.type === 'call.result' && refs.includes(m.ref));
    expect(answers.map((m) => (m.type === 'call.result' ? m.ref : ''))).toEqual(refs);
    const seqs = answers.map((m) => (m.type === 'call.result' ? (m.result as ChatEvent).seq : 0));
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it('refuses as HTTP does, naming the call: bad parts, another organisation’s conversation, a guest in a channel', async () => {
    const writer = await socketOf(member);
    const stranger = await signUp(server.api, 'calls-stranger');
    const theirs = (await server.api.ok('createChannel', { token: stranger.tokens.accessToken, body: { name: 'x' } }))
      .id;
    const bad = await call(writer, 'sendMessage', {
      params: { conversationId: channelId },
      body: { clientId: 'nope' },
    });
    expect(bad).toMatchObject({ type: 'call.error', error: { code: 'bad_request', message: 'invalid body' } });
    expect(bad.type === 'call.error' ? bad.error.issues?.map((i) => i.path) : []).toEqual(
      expect.arrayContaining(['clientId', 'body']),
    );
    const elsewhere = await call(writer, 'sendMessage', {
      params: { conversationId: theirs },
      body: { clientId: randomUUID(), body: 'hello?' },
    });
    expect(elsewhere).toMatchObject({ type: 'call.error', error: { code: 'not_found' } });
    const guestSocket = await socketOf(guest);
    const overHttp = await server.api.call('sendMessage', {
      token: guest.tokens.accessToken,
      params: { conversationId: channelId },
      body: { clientId: randomUUID(), body: 'a guest' },
    });
    const onSocket = await call(guestSocket, 'sendMessage', {
      params: { conversationId: channelId },
      body: { clientId: randomUUID(), body: 'a guest' },
    });
    expect(overHttp.status).toBe(404);
    expect(onSocket).toMatchObject({ type: 'call.error', ...overHttp.body });
    // Nothing stored by any of them.
    const history = await server.api.ok('history', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
      query: {},
    });
    const bodies = history.events.map((e) => ('body' in e ? e.body : ''));
    expect(bodies).not.toContain('hello?');
    expect(bodies).not.toContain('a guest');
  });

  it('refuses a route that is not callable on the socket, and a call before auth closes the socket', async () => {
    const writer = await socketOf(member);
    const refused = await call(writer, 'createChannel', { body: { name: 'not on a socket' } });
    expect(refused).toMatchObject({ type: 'call.error', error: { code: 'bad_request', message: 'invalid message' } });
    const channels = await server.api.ok('listConversations', { token: member.tokens.accessToken, query: {} });
    expect(channels.conversations.map((c) => c.name)).not.toContain('not on a socket');

    const anonymous = await connectWs(server.url);
    open.push(anonymous);
    anonymous.send({
      type: 'call',
      ref: 'first',
      route: 'sendMessage',
      params: { conversationId: channelId },
      body: { clientId: randomUUID(), body: 'who am I' },
    });
    expect(await anonymous.closed).toBe(4401);
  });

  it('shares the per-person rate limit with HTTP, and counts calls by route and outcome in /metrics', async () => {
    const person = await addPerson(server.api, owner, 'calls-limited', 'member');
    const socket = await socketOf(person);
    const params = { conversationId: channelId };
    const outcomes: string[] = [];
    for (let i = 0; i < 13; i += 1) {
      const r = await server.api.call('sendMessage', {
        token: person.tokens.accessToken,
        params,
        body: { clientId: randomUUID(), body: `http ${i}` },
      });
      outcomes.push(String(r.status));
    }
    for (let i = 0; i < 9; i += 1) {
      const answer = await call(socket, 'sendMessage', {
        params,
        body: { clientId: randomUUID(), body: `socket ${i}` },
      });
      outcomes.push(answer.type === 'call.result' ? 'ok' : answer.error.code);
    }
    // 20 a minute over both: thirteen over HTTP, seven on the socket, then refused.
    expect(outcomes).toEqual([
      ...Array<string>(13).fill('200'),
      ...Array<string>(7).fill('ok'),
      'rate_limited',
      'rate_limited',
    ]);
    const metrics = await (await server.api.raw('GET', '/metrics')).text();
    expect(metrics).toMatch(/tandem_socket_calls_total\{route="sendMessage",outcome="rate_limited"\} 2/);
    expect(metrics).toMatch(/tandem_socket_calls_total\{route="sendMessage",outcome="ok"\} \d+/);
    expect(metrics).toMatch(/tandem_socket_call_duration_seconds_count\{route="sendMessage"\} \d+/);
  });
});
