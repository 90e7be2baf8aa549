import { randomUUID } from 'node:crypto';
import type { AuthSession, JoinResult, LivekitConnection, Meeting, RouteName } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, letIn, resume, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

const join = (server: TestServer, who: AuthSession, meetingId: string) =>
  server.api.call('joinMeeting', { token: who.tokens.accessToken, params: { meetingId }, body: {} });

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
    invited = await server.api.ok('createMeeting', {
      token: t,
      body: { title: 'With the visitor', invitees: [guest.user.id] },
    });
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
    await letIn(server.api, owner, guest, invited.id);
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
    // Of presence, only its own (as its other devices would show it).
    const news = ws.received.filter(
      (m) => m.type !== 'chat.event' && !(m.type === 'presence' && m.presence.userId === guest.user.id),
    );
    expect(news.map((m) => m.type)).toEqual(['ready', 'resumed', 'pong']);
    ws.close();
  });

  it("loses its meeting's chat the moment a host removes it: its writes refused, nothing more delivered", async () => {
    const params = { conversationId: invited.conversationId };
    const post = (who: AuthSession, body: string, conversationId = invited.conversationId) =>
      server.api.call('sendMessage', {
        token: who.tokens.accessToken,
        params: { conversationId },
        body: { clientId: randomUUID(), body },
      });
    const ws = await connectWs(server.url, guest.tokens.accessToken);
    await resume(ws);
    // Written and delivered while admitted: the conversation and who follows it are read (and kept).
    expect(await post(guest, 'still here')).toMatchObject({ status: 200 });
    expect(await post(owner, 'for the visitor')).toMatchObject({ status: 200 });
    await ws.next('chat.event', (m) => m.event.type === 'message' && m.event.body === 'for the visitor');

    await server.api.ok('removeParticipant', {
      token: owner.tokens.accessToken,
      params: { meetingId: invited.id, userId: guest.user.id },
    });
    expect(await post(guest, 'let me back')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    ws.send({ type: 'typing', ...params, typing: true });
    expect((await ws.next('error', (m) => m.ref === 'typing')).error.code).toBe('not_found');
    expect(await post(owner, 'after the visitor was removed')).toMatchObject({ status: 200 });
    // A later event of another meeting the guest is in: everything before it was judged by then.
    const next = await server.api.ok('createMeeting', {
      token: owner.tokens.accessToken,
      body: { title: 'Another with the visitor', invitees: [guest.user.id] },
    });
    await letIn(server.api, owner, guest, next.id);
    expect(await post(owner, 'in the next meeting', next.conversationId)).toMatchObject({ status: 200 });
    await ws.next('chat.event', (m) => m.event.type === 'message' && m.event.body === 'in the next meeting');
    const heard = ws.received.flatMap((m) =>
      m.type === 'chat.event' && m.event.type === 'message' ? [m.event.body] : [],
    );
    expect(heard).not.toContain('after the visitor was removed');
    ws.close();
  });
});

/**
 * A guest's standing in a meeting decides what it may see of it: invited, or waiting in its lobby,
 * to read the meeting; admitted (or invited) for its collaboration features; denied or removed,
 * nothing. Without standing a meeting answers exactly like one that does not exist.
 */
describe("a guest's standing in a meeting", () => {
  let server: TestServer;
  let host: AuthSession;
  let meeting: Meeting;
  let open: Meeting;
  const names = ['stranger', 'admitted', 'denied', 'uninvited', 'knocker', 'seated'] as const;
  const guests = {} as Record<(typeof names)[number], AuthSession>;

  /** Every meeting-scoped read the issue names (`join` apart). */
  const reads = (m: Meeting): { readonly name: RouteName; readonly params: Record<string, string> }[] => [
    { name: 'getMeeting', params: { meetingId: m.id } },
    { name: 'attendance', params: { meetingId: m.id } },
    { name: 'listParticipants', params: { meetingId: m.id } },
    { name: 'listPolls', params: { meetingId: m.id } },
    { name: 'listQuestions', params: { meetingId: m.id } },
    { name: 'listHands', params: { meetingId: m.id } },
    { name: 'getBreakouts', params: { meetingId: m.id } },
    { name: 'getLinkedMeeting', params: { meetingId: m.id } },
    { name: 'resolveJoinCode', params: { code: m.joinCode } },
  ];

  async function outcomes(who: AuthSession, m: Meeting): Promise<string[]> {
    const out: string[] = [];
    for (const r of reads(m)) {
      const reply = await server.api.call(r.name, { token: who.tokens.accessToken, params: r.params });
      out.push(`${r.name} ${reply.status}`);
    }
    return out;
  }
  const all = (m: Meeting, status: number): string[] => reads(m).map((r) => `${r.name} ${status}`);

  async function refusedEverything(who: AuthSession): Promise<void> {
    expect(await outcomes(who, meeting)).toEqual(all(meeting, 404));
    expect(await join(server, who, meeting.id)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    const t = who.tokens.accessToken;
    expect((await server.api.ok('listMeetings', { token: t })).meetings).toEqual([]);
    expect(await server.api.call('raiseHand', { token: t, params: { meetingId: meeting.id } })).toMatchObject({
      status: 404,
    });
  }

  beforeAll(async () => {
    server = await startTestServer(livekit);
    host = await signUp(server.api, 'standing-host');
    for (const name of names) guests[name] = await addPerson(server.api, host, `standing-${name}`, 'guest');
    const t = host.tokens.accessToken;
    const invitees = [guests.admitted, guests.denied, guests.uninvited, guests.seated].map((g) => g.user.id);
    meeting = await server.api.ok('createMeeting', {
      token: t,
      body: { title: 'Guests by standing', invitees, settings: { lobby: true } },
    });
    open = await server.api.ok('createMeeting', {
      token: t,
      body: { title: 'No lobby', invitees: [guests.knocker.user.id], settings: { lobby: false } },
    });
    await server.api.ok('createBreakouts', {
      token: t,
      params: { meetingId: meeting.id },
      body: { rooms: [{ name: 'A' }] },
    });
    await server.api.ok('raiseHand', { token: t, params: { meetingId: meeting.id } });

    await letIn(server.api, host, guests.admitted, meeting.id);
    const denied = (await join(server, guests.denied, meeting.id)).body as JoinResult;
    if (denied.status !== 'waiting') throw new Error('expected the lobby');
    await server.api.ok('deny', { token: t, params: { meetingId: meeting.id, entryId: denied.entry.id } });
    // Waits in the lobby, then the host takes the invitation back: the meeting stays visible, nothing in it.
    expect(await join(server, guests.uninvited, meeting.id)).toMatchObject({
      status: 200,
      body: { status: 'waiting' },
    });
    await server.api.ok('updateMeeting', {
      token: t,
      params: { meetingId: meeting.id },
      body: { invitees: [guests.admitted, guests.denied, guests.seated].map((g) => g.user.id) },
    });
  });
  afterAll(() => server?.close());

  it('answers 404 for every read of a meeting the guest has no standing in, as for a meeting that does not exist', async () => {
    expect(await outcomes(guests.stranger, meeting)).toEqual(all(meeting, 404));
    const t = guests.stranger.tokens.accessToken;
    expect((await server.api.ok('listMeetings', { token: t })).meetings).toEqual([]);
    // Host-only and participant-only calls refuse the same way, not with a 403 that admits it exists.
    for (const name of ['listLobby', 'raiseHand', 'admitAll'] as const)
      expect(await server.api.call(name, { token: t, params: { meetingId: meeting.id } })).toMatchObject({
        status: 404,
        body: { error: { code: 'not_found' } },
      });
  });

  it('lets a guest without standing neither join nor knock', async () => {
    for (const m of [meeting, open]) {
      const knocked = await join(server, guests.stranger, m.id);
      expect(knocked).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
    const lobby = await server.api.ok('listLobby', {
      token: host.tokens.accessToken,
      params: { meetingId: meeting.id },
    });
    expect(lobby.entries.map((e) => e.userId)).not.toContain(guests.stranger.user.id);
  });

  it('answers every read to an admitted guest, and none once a host removed it (though still invited)', async () => {
    const who = guests.admitted;
    const t = who.tokens.accessToken;
    expect(await outcomes(who, meeting)).toEqual(all(meeting, 200));
    expect((await server.api.ok('listMeetings', { token: t })).meetings.map((m) => m.id)).toEqual([meeting.id]);
    expect((await server.api.ok('raiseHand', { token: t, params: { meetingId: meeting.id } })).hands).toHaveLength(2);

    await server.api.ok('removeParticipant', {
      token: host.tokens.accessToken,
      params: { meetingId: meeting.id, userId: who.user.id },
    });
    await refusedEverything(who);
  });

  it('gives a denied guest nothing, though still invited', async () => {
    await refusedEverything(guests.denied);
  });

  it('shows a waiting guest the meeting it waits for, and nothing inside it', async () => {
    const seen = new Set<RouteName>(['getMeeting', 'resolveJoinCode']);
    expect(await outcomes(guests.uninvited, meeting)).toEqual(
      reads(meeting).map((r) => `${r.name} ${seen.has(r.name) ? 200 : 404}`),
    );
    const t = guests.uninvited.tokens.accessToken;
    expect((await server.api.ok('listMeetings', { token: t })).meetings.map((m) => m.id)).toEqual([meeting.id]);
    const again = await join(server, guests.uninvited, meeting.id);
    expect(again).toMatchObject({ status: 200, body: { status: 'waiting' } });
    expect(JSON.stringify(again.body)).not.toContain('token');
  });

  it('sends a guest through the lobby even when the meeting has none, and mints nothing before admission', async () => {
    const knocked = await join(server, guests.knocker, open.id);
    expect(knocked).toMatchObject({ status: 200, body: { status: 'waiting', entry: { status: 'waiting' } } });
    expect(JSON.stringify(knocked.body)).not.toContain('token');
    const body = knocked.body as JoinResult;
    if (body.status !== 'waiting') throw new Error('expected the lobby');
    const lobby = await server.api.ok('listLobby', { token: host.tokens.accessToken, params: { meetingId: open.id } });
    expect(lobby.entries.map((e) => e.userId)).toEqual([guests.knocker.user.id]);
    await server.api.ok('admit', {
      token: host.tokens.accessToken,
      params: { meetingId: open.id, entryId: body.entry.id },
    });
    const connection: LivekitConnection = await letIn(server.api, host, guests.knocker, open.id);
    expect(connection.role).toBe('attendee');
  });

  it('gives an invited guest no breakout token before the lobby admitted it, even when a host seats it in a room', async () => {
    const ws = await connectWs(server.url, guests.seated.tokens.accessToken);
    try {
      const t = host.tokens.accessToken;
      const params = { meetingId: meeting.id };
      const session = await server.api.ok('getBreakouts', { token: t, params });
      const roomId = session.rooms[0]?.id ?? '';
      await server.api.ok('assignBreakouts', {
        token: t,
        params,
        body: { mode: 'manual', assignments: [{ userId: guests.seated.user.id, roomId }] },
      });
      await server.api.ok('openBreakouts', { token: t, params, body: {} });
      const mine = await server.api.call('myBreakout', { token: guests.seated.tokens.accessToken, params });
      expect(mine).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
      const visit = await server.api.call('joinBreakoutRoom', {
        token: guests.seated.tokens.accessToken,
        params: { ...params, roomId },
      });
      expect(visit).toMatchObject({ status: 403 });
      // The pong comes after anything the server sent before it.
      ws.send({ type: 'ping', nonce: 'after-open' });
      await ws.next('pong', (m) => m.nonce === 'after-open');
      expect(ws.received.filter((m) => m.type === 'breakout.move' || m.type === 'breakout.changed')).toEqual([]);
    } finally {
      ws.close();
    }
  });
});
