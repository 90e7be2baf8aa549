import { randomUUID } from 'node:crypto';
import { ROUTES, type AuthSession } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

type Claims = {
  exp: number;
  sub: string;
  name?: string;
  video: Record<string, unknown>;
  attributes: Record<string, string>;
};
/** The payload of a LiveKit JWT, read without verifying: the test checks what the server put in. */
const claimsOf = (token: string): Claims =>
  JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as Claims;

describe('meetings over real HTTP', () => {
  let server: TestServer;
  let owner: AuthSession;
  let member: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    owner = await signUp(server.api, 'meet-owner');
    member = await addPerson(server.api, owner, 'meet-member', 'member');
  });
  afterAll(() => server?.close());

  it('creates, schedules, lists, updates and cancels a meeting with a join code and link', async () => {
    const token = member.tokens.accessToken;
    const meeting = await server.api.ok('createMeeting', {
      token,
      body: {
        title: 'Planning',
        startsAt: '2026-12-01T09:00:00.000Z',
        endsAt: '2026-12-01T10:00:00.000Z',
        settings: { chat: false },
      },
    });
    expect(meeting).toMatchObject({ status: 'scheduled', ownerId: member.user.id, personal: false, locked: false });
    expect(meeting.settings).toEqual({ lobby: false, screenShare: 'everyone', chat: false, e2ee: false });
    expect(meeting.joinCode).toMatch(/^[a-z0-9]{10}$/);
    expect(meeting.joinUrl).toBe(`tandem://join/${meeting.joinCode}`);

    const byCode = await server.api.ok('resolveJoinCode', {
      token: owner.tokens.accessToken,
      params: { code: meeting.joinCode },
    });
    expect(byCode.id).toBe(meeting.id);
    const typed = await server.api.ok('resolveJoinCode', {
      token: owner.tokens.accessToken,
      params: { code: meeting.joinCode.toUpperCase() },
    });
    expect(typed.id).toBe(meeting.id);
    // Its owner lists it; the organisation's owner, who is not invited, only in the whole organisation's list.
    const mine = await server.api.ok('listMeetings', { token });
    expect(mine.meetings.map((m) => m.id)).toContain(meeting.id);
    const owners = await server.api.ok('listMeetings', { token: owner.tokens.accessToken });
    expect(owners.meetings.map((m) => m.id)).not.toContain(meeting.id);
    const organisation = await server.api.ok('listMeetings', {
      token: owner.tokens.accessToken,
      query: { scope: 'organisation' },
    });
    expect(organisation.meetings.map((m) => m.id)).toContain(meeting.id);

    const updated = await server.api.ok('updateMeeting', {
      token,
      params: { meetingId: meeting.id },
      body: { title: 'Planning (moved)', startsAt: null, settings: { lobby: true, screenShare: 'hosts' } },
    });
    expect(updated).toMatchObject({ title: 'Planning (moved)', startsAt: null });
    expect(updated.settings).toEqual({ lobby: true, screenShare: 'hosts', chat: false, e2ee: false });

    const chat = await server.api.call('sendMessage', {
      token,
      params: { conversationId: meeting.conversationId },
      body: { clientId: randomUUID(), body: 'chat is off' },
    });
    expect(chat).toMatchObject({ status: 403 });

    const cancelled = await server.api.ok('cancelMeeting', { token, params: { meetingId: meeting.id } });
    expect(cancelled.status).toBe('cancelled');
    expect(await server.api.call('joinMeeting', { token, params: { meetingId: meeting.id }, body: {} })).toMatchObject({
      status: 409,
    });
  });

  it('keeps chat of an end-to-end encrypted meeting off the server', async () => {
    const meeting = await server.api.ok('createMeeting', {
      token: member.tokens.accessToken,
      body: { title: 'Secret', settings: { e2ee: true } },
    });
    const send = await server.api.call('sendMessage', {
      token: member.tokens.accessToken,
      params: { conversationId: meeting.conversationId },
      body: { clientId: randomUUID(), body: 'plain text on the server?' },
    });
    expect(send).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const page = await server.api.ok('history', {
      token: member.tokens.accessToken,
      params: { conversationId: meeting.conversationId },
    });
    expect(page.events).toEqual([]);
  });

  it('only hosts change a meeting; a member who is not its owner gets 403', async () => {
    const meeting = await server.api.ok('createMeeting', {
      token: owner.tokens.accessToken,
      body: { title: "Owner's" },
    });
    const attempt = await server.api.call('updateMeeting', {
      token: member.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: { title: 'hijacked' },
    });
    expect(attempt).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(
      await server.api.call('endMeeting', { token: member.tokens.accessToken, params: { meetingId: meeting.id } }),
    ).toMatchObject({
      status: 403,
    });
  });

  it('gives each person one stable personal room', async () => {
    const [a, b] = await Promise.all([
      server.api.ok('personalMeeting', { token: member.tokens.accessToken }),
      server.api.ok('personalMeeting', { token: member.tokens.accessToken }),
    ]);
    expect(a.id).toBe(b.id);
    expect(a).toMatchObject({ personal: true, ownerId: member.user.id });
    const ownersRoom = await server.api.ok('personalMeeting', { token: owner.tokens.accessToken });
    expect(ownersRoom.id).not.toBe(a.id);
    expect(
      await server.api.call('cancelMeeting', { token: member.tokens.accessToken, params: { meetingId: a.id } }),
    ).toMatchObject({
      status: 409,
    });
  });

  it('mints a host token for the owner with explicit grants and a short TTL', async () => {
    const meeting = await server.api.ok('createMeeting', {
      token: member.tokens.accessToken,
      body: { title: 'Tokens' },
    });
    const result = await server.api.ok('joinMeeting', {
      token: member.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: {},
    });
    if (result.status !== 'joined') throw new Error('expected a token');
    const claims = claimsOf(result.livekit.token);
    expect(claims.sub).toBe(member.user.id);
    expect(claims.video).toMatchObject({
      room: result.livekit.room,
      roomJoin: true,
      roomAdmin: true,
      canPublish: true,
    });
    expect(claims.name).toBe('meet-member');
    expect(claims.attributes).toMatchObject({ userId: member.user.id, role: 'host', displayName: 'meet-member' });
    expect(claims.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(60);

    // A display name chosen at join names the participant; the identity stays the user id.
    const named = await server.api.ok('joinMeeting', {
      token: member.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: { displayName: '  Dr. Member 🎧 ' },
    });
    if (named.status !== 'joined') throw new Error('expected a token');
    const namedClaims = claimsOf(named.livekit.token);
    expect(named.livekit.identity).toBe(member.user.id);
    expect(namedClaims.sub).toBe(member.user.id);
    expect(namedClaims.name).toBe('Dr. Member 🎧');
    expect(namedClaims.attributes).toMatchObject({ userId: member.user.id, displayName: 'Dr. Member 🎧' });
    for (const displayName of ['', '   ', 'x'.repeat(65), 'Evil\nHost', 'Bell\u0007', 42]) {
      const refused = await server.api.call('joinMeeting', {
        token: member.tokens.accessToken,
        params: { meetingId: meeting.id },
        body: { displayName },
      });
      expect(refused, JSON.stringify(displayName)).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', issues: [{ path: 'displayName' }] } },
      });
    }

    const viewer = await server.api.ok('joinMeeting', {
      token: owner.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: { viewOnly: true },
    });
    if (viewer.status !== 'joined') throw new Error('expected a token');
    const viewerGrant = claimsOf(viewer.livekit.token);
    expect(viewerGrant.video).toMatchObject({ canPublish: false, canSubscribe: true });
    expect(viewerGrant.video['roomAdmin']).toBeUndefined();

    const hostsShare = await server.api.ok('createMeeting', {
      token: owner.tokens.accessToken,
      body: { title: 'Hosts share', settings: { screenShare: 'hosts' } },
    });
    const attendee = await server.api.ok('joinMeeting', {
      token: member.tokens.accessToken,
      params: { meetingId: hostsShare.id },
      body: {},
    });
    if (attendee.status !== 'joined') throw new Error('expected a token');
    const attendeeGrant = claimsOf(attendee.livekit.token);
    expect(attendee.livekit.role).toBe('attendee');
    expect(attendeeGrant.video).toMatchObject({ canPublish: true, canPublishSources: ['camera', 'microphone'] });
  });

  it('refuses malformed and oversized meeting requests and changes nothing', async () => {
    const token = owner.tokens.accessToken;
    const before = (await server.api.ok('listMeetings', { token })).meetings.length;
    const cases = [
      { title: '' },
      { title: 'x', settings: { lobby: 'yes' } },
      { title: 'x', startsAt: 'tomorrow' },
      { title: 'x', unknownField: true },
      { title: 'x', startsAt: '2026-12-01T10:00:00.000Z', endsAt: '2026-12-01T09:00:00.000Z' },
    ];
    for (const body of cases) {
      const reply = await server.api.call('createMeeting', { token, body });
      expect(reply, JSON.stringify(body)).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    }
    const huge = await server.api.raw('POST', ROUTES.createMeeting.path, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'x'.repeat(200_000) }),
    });
    expect(huge.status).toBe(413);
    const notJson = await server.api.raw('POST', ROUTES.createMeeting.path, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
      body: 'title=x',
    });
    expect(notJson.status).toBeGreaterThanOrEqual(400);
    expect(notJson.status).toBeLessThan(500);
    expect(await server.api.call('getMeeting', { token, params: { meetingId: 'not-a-uuid' } })).toMatchObject({
      status: 400,
    });
    expect(await server.api.call('getMeeting', { token, params: { meetingId: randomUUID() } })).toMatchObject({
      status: 404,
    });
    expect((await server.api.ok('listMeetings', { token })).meetings.length).toBe(before);
  });

  it('serves the OpenAPI document made from the route table, and health', async () => {
    const doc = (await (await server.api.raw('GET', '/openapi.json')).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths)).toContain('/meetings/{meetingId}/lobby/{entryId}/admit');
    expect(await server.api.ok('health')).toEqual({
      ok: true,
      database: true,
      livekit: true,
      details: { speech: { state: 'off' } },
    });
    const unknown = await server.api.raw('GET', '/nope');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
