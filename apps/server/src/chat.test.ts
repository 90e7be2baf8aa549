import { randomUUID } from 'node:crypto';
import type { AuthSession, ChatEvent } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

describe('chat and decisions over real HTTP and WebSocket', () => {
  let server: TestServer;
  let owner: AuthSession;
  let member: AuthSession;
  let channelId: string;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    owner = await signUp(server.api, 'chat-owner');
    member = await addPerson(server.api, owner, 'chat-member', 'member');
    channelId = (await server.api.ok('createChannel', { token: owner.tokens.accessToken, body: { name: 'general' } }))
      .id;
  });
  afterAll(() => server?.close());

  const send = (who: AuthSession, body: string, clientId = randomUUID()) =>
    server.api.ok('sendMessage', {
      token: who.tokens.accessToken,
      params: { conversationId: channelId },
      body: { clientId, body },
    });

  it('announces a new channel to the organisation over the WebSocket, never to guests or other organisations', async () => {
    const guest = await addPerson(server.api, owner, 'chat-guest', 'guest');
    const stranger = await signUp(server.api, 'chat-stranger');
    const colleague = await connectWs(server.url, member.tokens.accessToken);
    const visitor = await connectWs(server.url, guest.tokens.accessToken);
    const outsider = await connectWs(server.url, stranger.tokens.accessToken);
    const created = await server.api.ok('createChannel', {
      token: owner.tokens.accessToken,
      body: { name: '  launch  ' },
    });
    expect(created).toMatchObject({ kind: 'channel', name: 'launch', latestSeq: 0, meetingId: null });
    const announced = await colleague.next('conversation.created', (m) => m.conversation.id === created.id);
    const { self, ...record } = created;
    expect(announced.conversation).toEqual(record);
    expect(self).toMatchObject({ role: 'owner', unread: 0 });
    // The colleague's change stream follows every conversation of the organisation, new ones too.
    await resume(colleague);
    const first = await server.api.ok('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: created.id },
      body: { clientId: randomUUID(), body: 'welcome' },
    });
    expect((await colleague.next('chat.event', (m) => m.event.conversationId === created.id)).event).toEqual(first);

    const refused = await server.api.call('createChannel', {
      token: guest.tokens.accessToken,
      body: { name: 'sneaky' },
    });
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    // A socket delivers in order: once the pong is back, an announcement sent before it would be too.
    for (const c of [visitor, outsider]) {
      c.send({ type: 'ping', nonce: 'after-create' });
      await c.next('pong', (m) => m.nonce === 'after-create');
      expect(c.received.map((m) => m.type)).not.toContain('conversation.created');
    }
    expect(colleague.received.filter((m) => m.type === 'conversation.created')).toHaveLength(1);
    for (const c of [colleague, visitor, outsider]) c.close();
  });

  it('stores a message sent twice with the same clientId once', async () => {
    const clientId = randomUUID();
    const first = await send(owner, 'hello once', clientId);
    const again = await send(owner, 'hello once', clientId);
    expect(again).toEqual(first);
    const page = await server.api.ok('history', {
      token: member.tokens.accessToken,
      params: { conversationId: channelId },
      query: { since: first.seq - 1 },
    });
    expect(page.events.filter((e) => e.clientId === clientId)).toHaveLength(1);
    const stolen = await server.api.call('sendMessage', {
      token: member.tokens.accessToken,
      params: { conversationId: channelId },
      body: { clientId, body: 'same id, other author' },
    });
    expect(stolen).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
  });

  it('gives gap-free seqs under concurrent sends and pages history with since', async () => {
    const before = (
      await server.api.ok('getConversation', { token: owner.tokens.accessToken, params: { conversationId: channelId } })
    ).latestSeq;
    const sent = await Promise.all(
      Array.from({ length: 12 }, (_, i) => send(i % 2 === 0 ? owner : member, `burst ${i}`)),
    );
    expect(sent.map((e) => e.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => before + i + 1));
    const page = await server.api.ok('history', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
      query: { since: before, limit: 5 },
    });
    expect(page.events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5].map((n) => before + n));
    expect(page.hasMore).toBe(true);
    expect(page.latestSeq).toBe(before + 12);
  });

  it('answers each post of a burst on its own: a repeated reaction and a reused clientId refused, a resend answered, the rest stored', async () => {
    const root = await send(member, 'thread root for the burst');
    const live = await connectWs(server.url, owner.tokens.accessToken);
    await resume(live);
    const params = { conversationId: channelId };
    const reaction = () =>
      server.api.call('reactToMessage', {
        token: owner.tokens.accessToken,
        params: { ...params, messageId: root.messageId },
        body: { clientId: randomUUID(), emoji: '🎉' },
      });
    const post = (who: AuthSession, body: string, clientId: string = randomUUID(), threadOf?: string) =>
      server.api.call('sendMessage', {
        token: who.tokens.accessToken,
        params,
        body: { clientId, body, ...(threadOf === undefined ? {} : { threadOf }) },
      });
    const earlier = await send(owner, 'burst b');
    // Sent at once, so that they arrive together and are written together.
    const answers = await Promise.all([
      post(owner, 'burst a'),
      reaction(),
      post(member, 'burst reply', randomUUID(), root.messageId),
      post(owner, 'burst b', earlier.clientId),
      reaction(),
      post(member, 'burst c', earlier.clientId),
      post(member, 'burst d'),
    ]);
    const statuses = answers.map((a) => a.status);
    // One of the two identical reactions is given, the other refused (which one: the order they were written in).
    expect([statuses[1], statuses[4]].sort()).toEqual([200, 409]);
    expect([statuses[0], statuses[2], statuses[3], statuses[5], statuses[6]]).toEqual([200, 200, 200, 409, 200]);
    // The resend answers the stored event, not a second one.
    expect(answers[3]?.body).toEqual(earlier);
    const stored = answers.flatMap((a, i) => (a.status === 200 && i !== 3 ? [a.body as ChatEvent] : []));
    const seqs = stored.map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 4 }, (_, i) => earlier.seq + 1 + i));
    // Every stored event reaches the owner's socket once, in order.
    await live.next('chat.event', (m) => m.event.seq === earlier.seq + 4);
    const delivered = live.received.flatMap((m) =>
      m.type === 'chat.event' && m.event.conversationId === channelId && m.event.seq > root.seq ? [m.event.seq] : [],
    );
    expect(delivered).toEqual([earlier.seq, ...seqs]);
    live.close();
  });

  it("refuses posts to a meeting's chat while it is turned off, and takes them as soon as it is on again", async () => {
    const token = owner.tokens.accessToken;
    const quiet = await server.api.ok('createMeeting', {
      token,
      body: { title: 'Quiet', settings: { chat: false } },
    });
    const post = (clientId: string) =>
      server.api.call('sendMessage', {
        token,
        params: { conversationId: quiet.conversationId },
        body: { clientId, body: 'anyone here?' },
      });
    const setChat = (chat: boolean) =>
      server.api.ok('updateMeeting', { token, params: { meetingId: quiet.id }, body: { settings: { chat } } });
    const live = await connectWs(server.url, member.tokens.accessToken);
    await resume(live);
    const clientId = randomUUID();
    // Refused twice, so that the conversation was read (and kept) before the setting changes.
    expect(await post(clientId)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await post(clientId)).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    await setChat(true);
    const sent = await post(clientId);
    expect(sent).toMatchObject({ status: 200, body: { clientId, seq: 1 } });
    expect((await live.next('chat.event', (m) => m.event.conversationId === quiet.conversationId)).event).toEqual(
      sent.body,
    );
    live.close();
    const page = await server.api.ok('history', {
      token,
      params: { conversationId: quiet.conversationId },
      query: { since: 0 },
    });
    expect(page.events.map((e) => e.clientId)).toEqual([clientId]);
    await setChat(false);
    expect(await post(randomUUID())).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });

  it('answers a post in its own conversation whoever from another organisation asks for the same one at that moment', async () => {
    const prober = await signUp(server.api, 'chat-prober');
    const post = (who: AuthSession, conversationId: string) =>
      server.api.call('sendMessage', {
        token: who.tokens.accessToken,
        params: { conversationId },
        body: { clientId: randomUUID(), body: 'at the same moment' },
      });
    for (let i = 0; i < 5; i += 1) {
      // A new channel, not read yet: the outsider's request asks for it first (the two overlap
      // reliably where the database answers over a connection: TANDEM_TEST_STORE=postgres).
      const { id } = await server.api.ok('createChannel', {
        token: owner.tokens.accessToken,
        body: { name: `probed-${i}` },
      });
      const [theirs, ours] = await Promise.all([post(prober, id), post(owner, id)]);
      expect(theirs).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
      expect(ours).toMatchObject({ status: 200, body: { seq: 1 } });
    }
  });

  it('edits and deletes are events in the same sequence; only the author edits', async () => {
    const message = await send(member, 'typo');
    const edit = await server.api.ok('editMessage', {
      token: member.tokens.accessToken,
      params: { conversationId: channelId, messageId: message.messageId },
      body: { clientId: randomUUID(), body: 'fixed' },
    });
    expect(edit).toMatchObject({ type: 'edit', seq: message.seq + 1, messageId: message.messageId, body: 'fixed' });
    const foreign = await server.api.call('editMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId, messageId: message.messageId },
      body: { clientId: randomUUID(), body: 'not mine' },
    });
    expect(foreign).toMatchObject({ status: 403 });
    const deletion = await server.api.ok('deleteMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId, messageId: message.messageId },
      body: { clientId: randomUUID() },
    });
    expect(deletion).toMatchObject({ type: 'delete', seq: message.seq + 2 });
    const afterDelete = await server.api.call('editMessage', {
      token: member.tokens.accessToken,
      params: { conversationId: channelId, messageId: message.messageId },
      body: { clientId: randomUUID(), body: 'too late' },
    });
    expect(afterDelete).toMatchObject({ status: 409 });
  });

  it('delivers the same events in the same order to two WebSocket clients', async () => {
    const start = (
      await server.api.ok('getConversation', { token: owner.tokens.accessToken, params: { conversationId: channelId } })
    ).latestSeq;
    const a = await connectWs(server.url, owner.tokens.accessToken);
    const b = await connectWs(server.url, member.tokens.accessToken);
    for (const c of [a, b]) await resume(c);
    await Promise.all(Array.from({ length: 8 }, (_, i) => send(i % 2 === 0 ? owner : member, `live ${i}`)));
    const seqsOf = (c: typeof a) =>
      c.received.flatMap((m) =>
        m.type === 'chat.event' && m.event.conversationId === channelId && m.event.seq > start ? [m.event.seq] : [],
      );
    await expect.poll(() => seqsOf(a).length, { timeout: 10_000 }).toBe(8);
    await expect.poll(() => seqsOf(b).length, { timeout: 10_000 }).toBe(8);
    expect(seqsOf(a)).toEqual(Array.from({ length: 8 }, (_, i) => start + i + 1));
    expect(seqsOf(b)).toEqual(seqsOf(a));
    a.close();
    b.close();
  });

  it('a client that resumes from its cursor gets exactly what it missed, in offset order, then live events', async () => {
    const first = await connectWs(server.url, member.tokens.accessToken);
    await resume(first);
    const base = (await send(owner, 'before the drop')).seq;
    const held = await first.next('chat.event', (m) => m.event.seq === base && m.event.conversationId === channelId);
    first.close();
    await first.closed;
    const missed: ChatEvent[] = [];
    for (let i = 0; i < 5; i++) missed.push(await send(owner, `while away ${i}`));

    const again = await connectWs(server.url, member.tokens.accessToken);
    const marker = await resume(again, held.offset);
    const replayed = again.received.flatMap((m) => (m.type === 'chat.event' ? [m] : []));
    expect(replayed.map((m) => m.event)).toEqual(missed);
    expect(replayed.map((m) => m.offset)).toEqual(missed.map((_, i) => held.offset + i + 1));
    expect(marker).toEqual({ type: 'resumed', cursor: held.offset + 5, reset: false });
    const live = await send(member, 'back again');
    expect((await again.next('chat.event', (m) => m.event.seq === live.seq)).offset).toBe(held.offset + 6);
    expect(again.received.filter((m) => m.type === 'chat.event')).toHaveLength(6);
    const twice = again.received.length;
    again.send({ type: 'resume', cursor: 0 });
    expect(await again.next('error', (m) => again.received.indexOf(m) >= twice)).toMatchObject({
      ref: 'resume',
      error: { code: 'bad_request' },
    });
    again.close();
  });

  it('starts a cacheless client (cursor null) at the newest event: nothing replayed, then live', async () => {
    await send(owner, 'history the browser does not want replayed');
    const c = await connectWs(server.url, member.tokens.accessToken);
    const marker = await resume(c, null);
    expect(marker.reset).toBe(false);
    expect(c.received.filter((m) => m.type === 'chat.event')).toEqual([]);
    const next = await send(owner, 'news');
    expect(await c.next('chat.event')).toMatchObject({ event: { seq: next.seq }, offset: marker.cursor + 1 });
    c.close();
  });

  it('resets a cursor that is ahead of the server, so later events still arrive', async () => {
    await send(owner, 'current');
    const c = await connectWs(server.url, member.tokens.accessToken);
    const marker = await resume(c, 1_000_000);
    expect(marker.reset).toBe(true);
    expect(c.received.filter((m) => m.type === 'chat.event')).toEqual([]);
    const next = await send(owner, 'after the reset');
    expect(await c.next('chat.event')).toMatchObject({ event: { seq: next.seq }, offset: marker.cursor + 1 });
    c.close();
  });

  it('refuses malformed and oversized chat requests and writes nothing', async () => {
    const before = (
      await server.api.ok('getConversation', { token: owner.tokens.accessToken, params: { conversationId: channelId } })
    ).latestSeq;
    const noId = await server.api.call('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
      body: { body: 'x' },
    });
    expect(noId).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', issues: [{ path: 'clientId' }] } },
    });
    const empty = await server.api.call('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
      body: { clientId: randomUUID(), body: '   ' },
    });
    expect(empty.status).toBe(400);
    const huge = await server.api.raw('POST', `/conversations/${channelId}/messages`, {
      headers: { authorization: `Bearer ${owner.tokens.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: randomUUID(), body: 'x'.repeat(100_000) }),
    });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ error: { code: 'payload_too_large' } });
    const badJson = await server.api.raw('POST', `/conversations/${channelId}/messages`, {
      headers: { authorization: `Bearer ${owner.tokens.accessToken}`, 'content-type': 'application/json' },
      body: '{"clientId":',
    });
    expect(badJson.status).toBe(400);
    const badSince = await server.api.call('history', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
      query: { since: 'soon' } as never,
    });
    expect(badSince.status).toBe(400);
    const after = (
      await server.api.ok('getConversation', { token: owner.tokens.accessToken, params: { conversationId: channelId } })
    ).latestSeq;
    expect(after).toBe(before);
  });

  it('answers bad WebSocket messages with an error and closes oversized ones', async () => {
    const unauthenticated = await connectWs(server.url);
    unauthenticated.send({ type: 'resume', cursor: 0 });
    expect(await unauthenticated.closed).toBe(4401);
    const forged = await connectWs(server.url);
    forged.send({ type: 'auth', accessToken: 'forged-token' });
    expect(await forged.next('error')).toMatchObject({ ref: 'auth', error: { code: 'unauthenticated' } });
    expect(await forged.closed).toBe(4401);

    const c = await connectWs(server.url, owner.tokens.accessToken);
    c.send('not json');
    expect(await c.next('error')).toMatchObject({ error: { code: 'bad_request' } });
    c.send({ type: 'ping', nonce: 'n1' });
    expect(await c.next('pong')).toEqual({ type: 'pong', nonce: 'n1' });
    c.send('x'.repeat(64 * 1024));
    expect(await c.closed).toBe(1009);
  });

  it('rate-limits chat writes per person', async () => {
    const limited = await startTestServer(livekit, { rateLimits: { signInPerMinute: 100, messagesPerMinute: 3 } });
    try {
      const who = await signUp(limited.api, 'chatty');
      const channel = await limited.api.ok('createChannel', { token: who.tokens.accessToken, body: { name: 'noisy' } });
      const statuses: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await limited.api.call('sendMessage', {
          token: who.tokens.accessToken,
          params: { conversationId: channel.id },
          body: { clientId: randomUUID(), body: `m${i}` },
        });
        statuses.push(r.status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      const page = await limited.api.ok('history', {
        token: who.tokens.accessToken,
        params: { conversationId: channel.id },
      });
      expect(page.events).toHaveLength(3);
    } finally {
      await limited.close();
    }
  });

  it('records decisions with a history of changes and fans them out', async () => {
    const watcher = await connectWs(server.url, member.tokens.accessToken);
    const message = await send(owner, 'we ship on Friday');
    const clientId = randomUUID();
    const body = {
      clientId,
      title: 'Ship on Friday',
      ownerId: member.user.id,
      dueDate: '2026-12-04',
      message: { conversationId: channelId, messageId: message.messageId },
    };
    const decision = await server.api.ok('createDecision', { token: owner.tokens.accessToken, body });
    expect(await server.api.ok('createDecision', { token: owner.tokens.accessToken, body })).toEqual(decision);
    expect(decision).toMatchObject({ version: 1, status: 'proposed', ownerId: member.user.id });
    await watcher.next('decision.changed', (m) => m.decision.id === decision.id);

    const updated = await server.api.ok('updateDecision', {
      token: member.tokens.accessToken,
      params: { decisionId: decision.id },
      body: { status: 'agreed', outcome: 'Friday it is', expectedVersion: 1 },
    });
    expect(updated.version).toBe(2);
    const stale = await server.api.call('updateDecision', {
      token: owner.tokens.accessToken,
      params: { decisionId: decision.id },
      body: { status: 'dropped', expectedVersion: 1 },
    });
    expect(stale).toMatchObject({ status: 409 });
    const { history } = await server.api.ok('getDecision', {
      token: owner.tokens.accessToken,
      params: { decisionId: decision.id },
    });
    expect(history.map((h) => h.version)).toEqual([1, 2]);
    expect(history[1]).toMatchObject({
      changedBy: member.user.id,
      changes: { status: 'agreed', outcome: 'Friday it is' },
    });
    await watcher.next('decision.changed', (m) => m.decision.id === decision.id && m.decision.version === 2);
    const list = await server.api.ok('listDecisions', { token: member.tokens.accessToken });
    expect(list.decisions.map((d) => d.id)).toContain(decision.id);
    watcher.close();
  });

  it('reads decisions by changes: a page at a time, then only what changed after the cursor kept', async () => {
    const token = owner.tokens.accessToken;
    const list = (query: { since?: number; limit?: number } = {}) => server.api.ok('listDecisions', { token, query });
    const create = (title: string) =>
      server.api.ok('createDecision', { token, body: { clientId: randomUUID(), title } });
    const start = (await list()).cursor;
    const made = [];
    for (const title of ['first', 'second', 'third']) made.push(await create(title));
    const [first, second] = made;
    if (first === undefined || second === undefined) throw new Error('not made');

    const page = await list({ since: start, limit: 2 });
    expect(page).toMatchObject({ hasMore: true, reset: false });
    expect(page.decisions.map((d) => d.title)).toEqual(['first', 'second']);
    const rest = await list({ since: page.cursor, limit: 2 });
    expect(rest).toMatchObject({ hasMore: false, reset: false });
    expect(rest.decisions.map((d) => d.title)).toEqual(['third']);
    expect(await list({ since: rest.cursor })).toMatchObject({ decisions: [], cursor: rest.cursor, hasMore: false });

    // A new version moves a decision to the end: read again from the cursor kept, alone.
    await server.api.ok('updateDecision', { token, params: { decisionId: first.id }, body: { status: 'agreed' } });
    const changed = await list({ since: rest.cursor });
    expect(changed.decisions.map((d) => [d.title, d.version])).toEqual([['first', 2]]);
    expect(changed.cursor).toBeGreaterThan(rest.cursor);

    // A cursor ahead of the list (a server restored from an older backup) reads from the start.
    const ahead = await list({ since: changed.cursor + 1_000, limit: 1 });
    expect(ahead).toMatchObject({ reset: true, hasMore: true });
    expect(await server.api.call('listDecisions', { token, query: { limit: 0 } })).toMatchObject({ status: 400 });
  });
});
