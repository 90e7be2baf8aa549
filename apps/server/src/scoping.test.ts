import { randomUUID } from 'node:crypto';
import type { AuthSession, RouteName } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

/** Organisation A's owner (the most privileged person there) against every resource of organisation B. */
describe('organisation scoping', () => {
  let server: TestServer;
  let a: AuthSession;
  let b: AuthSession;
  let bWaiting: AuthSession;
  const ids = {
    meetingId: '',
    conversationId: '',
    channelId: '',
    messageId: '',
    decisionId: '',
    entryId: '',
    code: '',
    scimTokenId: '',
  };

  beforeAll(async () => {
    server = await startTestServer(livekit);
    a = await signUp(server.api, 'org-a');
    b = await signUp(server.api, 'org-b');
    bWaiting = await addPerson(server.api, b, 'b-guest', 'guest');
    const t = b.tokens.accessToken;
    const meeting = await server.api.ok('createMeeting', {
      token: t,
      // A guest knocks only on a meeting a host gave it standing in.
      body: { title: 'B only', settings: { lobby: true }, invitees: [bWaiting.user.id] },
    });
    ids.meetingId = meeting.id;
    ids.conversationId = meeting.conversationId;
    ids.code = meeting.joinCode;
    ids.channelId = (await server.api.ok('createChannel', { token: t, body: { name: 'b-secrets' } })).id;
    ids.messageId = (
      await server.api.ok('sendMessage', {
        token: t,
        params: { conversationId: ids.channelId },
        body: { clientId: randomUUID(), body: 'B confidential' },
      })
    ).messageId;
    ids.decisionId = (
      await server.api.ok('createDecision', { token: t, body: { clientId: randomUUID(), title: 'B decides' } })
    ).id;
    const waiting = await server.api.ok('joinMeeting', {
      token: bWaiting.tokens.accessToken,
      params: { meetingId: ids.meetingId },
      body: {},
    });
    if (waiting.status !== 'waiting') throw new Error('expected the lobby');
    ids.entryId = waiting.entry.id;
    ids.scimTokenId = (await server.api.ok('createScimToken', { token: t, body: { label: 'B idp' } })).token.id;
  });
  afterAll(() => server?.close());

  type Attempt = {
    readonly name: RouteName;
    readonly params?: Record<string, string>;
    readonly body?: unknown;
    readonly query?: Record<string, string>;
  };
  const m = () => ({ meetingId: ids.meetingId });
  const mu = () => ({ meetingId: ids.meetingId, userId: b.user.id });
  const attempts = (): Attempt[] => [
    { name: 'getUser', params: { userId: b.user.id } },
    { name: 'getMeeting', params: m() },
    { name: 'updateMeeting', params: m(), body: { title: 'mine now' } },
    { name: 'cancelMeeting', params: m() },
    { name: 'resolveJoinCode', params: { code: ids.code } },
    { name: 'joinMeeting', params: m(), body: {} },
    { name: 'listLobby', params: m() },
    { name: 'admit', params: { ...m(), entryId: ids.entryId } },
    { name: 'deny', params: { ...m(), entryId: ids.entryId } },
    { name: 'admitAll', params: m() },
    { name: 'listParticipants', params: m() },
    { name: 'muteParticipant', params: mu(), body: {} },
    { name: 'muteAll', params: m() },
    { name: 'removeParticipant', params: mu() },
    { name: 'setPermissions', params: mu(), body: { canPublish: false } },
    { name: 'lockMeeting', params: m(), body: { locked: true } },
    { name: 'endMeeting', params: m() },
    { name: 'attendance', params: m() },
    { name: 'listRecordings', params: m() },
    { name: 'startRecording', params: m(), body: {} },
    { name: 'stopRecording', params: { ...m(), recordingId: randomUUID() }, body: {} },
    { name: 'recordingLink', params: { ...m(), recordingId: randomUUID() }, body: {} },
    { name: 'deleteRecording', params: { ...m(), recordingId: randomUUID() } },
    { name: 'getConversation', params: { conversationId: ids.channelId } },
    { name: 'history', params: { conversationId: ids.channelId } },
    { name: 'history', params: { conversationId: ids.conversationId } },
    {
      name: 'sendMessage',
      params: { conversationId: ids.channelId },
      body: { clientId: randomUUID(), body: 'intrusion' },
    },
    {
      name: 'editMessage',
      params: { conversationId: ids.channelId, messageId: ids.messageId },
      body: { clientId: randomUUID(), body: 'rewritten' },
    },
    {
      name: 'deleteMessage',
      params: { conversationId: ids.channelId, messageId: ids.messageId },
      body: { clientId: randomUUID() },
    },
    { name: 'updateConversation', params: { conversationId: ids.channelId }, body: { archived: true } },
    { name: 'listMembers', params: { conversationId: ids.channelId } },
    { name: 'addMembers', params: { conversationId: ids.channelId }, body: { userIds: [a.user.id], history: true } },
    { name: 'removeMember', params: { conversationId: ids.channelId, userId: b.user.id } },
    { name: 'leaveConversation', params: { conversationId: ids.channelId }, body: {} },
    { name: 'joinConversation', params: { conversationId: ids.channelId }, body: {} },
    { name: 'markRead', params: { conversationId: ids.channelId }, body: { seq: 1 } },
    { name: 'startDirect', body: { userId: b.user.id } },
    { name: 'getDecision', params: { decisionId: ids.decisionId } },
    { name: 'updateDecision', params: { decisionId: ids.decisionId }, body: { status: 'dropped' } },
    { name: 'revokeScimToken', params: { tokenId: ids.scimTokenId } },
    { name: 'setWebinarLive', params: m(), body: { live: true } },
    { name: 'setWebinarPanelist', params: mu(), body: { panelist: true } },
    { name: 'webinarReaction', params: m(), body: { emoji: '🎉' } },
    { name: 'getRegistration', params: m() },
    {
      name: 'setRegistration',
      params: m(),
      body: { open: true, approval: 'automatic', capacity: null, questions: [] },
    },
    { name: 'listRegistrants', params: m() },
    { name: 'decideRegistrant', params: { ...m(), registrantId: randomUUID() }, body: { status: 'revoked' } },
  ];

  it('answers 404 for every resource of another organisation', async () => {
    const outcomes: string[] = [];
    for (const attempt of attempts()) {
      const reply = await server.api.call(attempt.name, { ...attempt, token: a.tokens.accessToken });
      outcomes.push(`${attempt.name} ${reply.status}`);
    }
    expect(outcomes).toEqual(attempts().map((x) => `${x.name} 404`));
  });

  it('links nothing to another organisation and lists none of its things', async () => {
    const t = a.tokens.accessToken;
    const linked = await server.api.call('createDecision', {
      token: t,
      body: { clientId: randomUUID(), title: 'sneaky', meetingId: ids.meetingId },
    });
    expect(linked).toMatchObject({ status: 400 });
    const owned = await server.api.call('createDecision', {
      token: t,
      body: { clientId: randomUUID(), title: 'sneaky', ownerId: b.user.id },
    });
    expect(owned).toMatchObject({ status: 400 });
    const lists = await Promise.all([
      server.api.ok('listUsers', { token: t }),
      server.api.ok('listMeetings', { token: t }),
      server.api.ok('listConversations', { token: t }),
      server.api.ok('listDecisions', { token: t }),
      server.api.ok('listPresence', { token: t }),
      server.api.ok('listScimTokens', { token: t }),
      server.api.ok('listAudit', { token: t, query: { limit: 200 } }),
    ]);
    const seen = JSON.stringify(lists);
    for (const id of [b.user.id, ids.meetingId, ids.channelId, ids.decisionId, ids.scimTokenId]) {
      expect(seen).not.toContain(id);
    }
  });

  it("does not let a WebSocket replay or hear another organisation's events", async () => {
    const spy = await connectWs(server.url, a.tokens.accessToken);
    await resume(spy);
    expect(spy.received.filter((m) => m.type === 'chat.event')).toEqual([]);
    await server.api.ok('sendMessage', {
      token: b.tokens.accessToken,
      params: { conversationId: ids.channelId },
      body: { clientId: randomUUID(), body: 'B again' },
    });
    await server.api.ok('createDecision', {
      token: b.tokens.accessToken,
      body: { clientId: randomUUID(), title: 'B decides more' },
    });
    spy.send({ type: 'ping', nonce: 'after' });
    await spy.next('pong');
    expect(spy.received.map((msg) => msg.type).filter((type) => type !== 'presence')).toEqual([
      'ready',
      'resumed',
      'pong',
    ]);
    spy.close();
  });

  it("left B's data as it was", async () => {
    const t = b.tokens.accessToken;
    const meeting = await server.api.ok('getMeeting', { token: t, params: m() });
    expect(meeting).toMatchObject({ title: 'B only', status: 'scheduled', locked: false });
    const lobby = await server.api.ok('listLobby', { token: t, params: m() });
    expect(lobby.entries.map((e) => e.status)).toEqual(['waiting']);
    const page = await server.api.ok('history', { token: t, params: { conversationId: ids.channelId } });
    expect(page.events.every((e) => e.authorId === b.user.id)).toBe(true);
    const { decision } = await server.api.ok('getDecision', { token: t, params: { decisionId: ids.decisionId } });
    expect(decision).toMatchObject({ status: 'proposed', version: 1 });
  });
});

describe('health', () => {
  it('answers 503 when LiveKit is not reachable', async () => {
    const server = await startTestServer({ ...livekit, wsUrl: 'ws://127.0.0.1:9', httpUrl: 'http://127.0.0.1:9' });
    try {
      expect(await server.api.call('health')).toMatchObject({
        status: 503,
        body: { ok: false, database: true, livekit: false },
      });
    } finally {
      await server.close();
    }
  });
});
