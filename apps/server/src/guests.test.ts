import { randomUUID } from 'node:crypto';
import type { AuthSession, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

describe('guests see only the meetings they were let into', () => {
  let server: TestServer;
  let owner: AuthSession;
  let guest: AuthSession;
  let invited: Meeting;
  let other: Meeting;
  let channelId: string;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    owner = await signUp(server.api, 'guest-host');
    guest = await addPerson(server.api, owner, 'visitor', 'guest');
    const t = owner.tokens.accessToken;
    invited = await server.api.ok('createMeeting', { token: t, body: { title: 'With the visitor' } });
    other = await server.api.ok('createMeeting', { token: t, body: { title: 'Internal only' } });
    channelId = (await server.api.ok('createChannel', { token: t, body: { name: 'staff' } })).id;
    await server.api.ok('createDecision', {
      token: t,
      body: { clientId: randomUUID(), title: 'internal', meetingId: other.id },
    });
    await server.api.ok('createDecision', {
      token: t,
      body: { clientId: randomUUID(), title: 'shared', meetingId: invited.id },
    });
    const joined = await server.api.ok('joinMeeting', {
      token: guest.tokens.accessToken,
      params: { meetingId: invited.id },
      body: {},
    });
    expect(joined.status).toBe('joined');
  });
  afterAll(() => server?.close());

  it('lists only their meeting, its chat and decisions, and themselves', async () => {
    const t = guest.tokens.accessToken;
    expect((await server.api.ok('listMeetings', { token: t })).meetings.map((m) => m.id)).toEqual([invited.id]);
    expect((await server.api.ok('listConversations', { token: t })).conversations.map((c) => c.id)).toEqual([
      invited.conversationId,
    ]);
    expect((await server.api.ok('listDecisions', { token: t })).decisions.map((d) => d.title)).toEqual(['shared']);
    expect((await server.api.ok('listUsers', { token: t })).users.map((u) => u.id)).toEqual([guest.user.id]);
    expect(await server.api.call('getUser', { token: t, params: { userId: owner.user.id } })).toMatchObject({
      status: 404,
    });
    expect((await server.api.ok('listPresence', { token: t })).presence.every((p) => p.userId === guest.user.id)).toBe(
      true,
    );
  });

  it('cannot read or write chat outside their meeting, but can inside it', async () => {
    const t = guest.tokens.accessToken;
    for (const conversationId of [channelId, other.conversationId]) {
      expect(await server.api.call('history', { token: t, params: { conversationId } })).toMatchObject({ status: 404 });
      const sent = await server.api.call('sendMessage', {
        token: t,
        params: { conversationId },
        body: { clientId: randomUUID(), body: 'hello?' },
      });
      expect(sent).toMatchObject({ status: 404 });
    }
    await server.api.ok('sendMessage', {
      token: t,
      params: { conversationId: invited.conversationId },
      body: { clientId: randomUUID(), body: 'hello from the visitor' },
    });
  });

  it('hears no organisation-wide news on the WebSocket and no staff chat, replayed or live', async () => {
    await server.api.ok('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
      body: { clientId: randomUUID(), body: 'staff only, before' },
    });
    const ws = await connectWs(server.url, guest.tokens.accessToken);
    await resume(ws);
    await server.api.ok('sendMessage', {
      token: owner.tokens.accessToken,
      params: { conversationId: channelId },
      body: { clientId: randomUUID(), body: 'staff only, live' },
    });
    await server.api.ok('createMeeting', { token: owner.tokens.accessToken, body: { title: 'Board meeting' } });
    await server.api.ok('createDecision', {
      token: owner.tokens.accessToken,
      body: { clientId: randomUUID(), title: 'secret' },
    });
    ws.send({ type: 'ping', nonce: 'end' });
    await ws.next('pong');
    // What it replayed is its own meeting's chat only.
    const chat = ws.received.flatMap((m) => (m.type === 'chat.event' ? [m.event.conversationId] : []));
    expect(new Set(chat)).toEqual(new Set([invited.conversationId]));
    expect(ws.received.map((m) => m.type).filter((t) => t !== 'chat.event')).toEqual(['ready', 'resumed', 'pong']);
    ws.close();
  });
});
