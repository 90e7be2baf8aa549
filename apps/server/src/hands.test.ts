import type { AuthSession, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, connectWs, signUp, startTestServer, type TestServer, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');

describe('hand-raise queue over real HTTP and WebSocket', () => {
  let server: TestServer;
  let host: AuthSession;
  let people: AuthSession[];
  let stranger: AuthSession;
  let outsider: AuthSession;
  let watcher: WsClient;
  let meeting: Meeting;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    host = await signUp(server.api, 'hands-host');
    people = [];
    for (const who of ['first', 'second', 'third']) people.push(await addPerson(server.api, host, who, 'member'));
    stranger = await addPerson(server.api, host, 'not-joined', 'member');
    outsider = await signUp(server.api, 'hands-outsider');
    meeting = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Hands' } });
    for (const p of people) {
      await server.api.ok('joinMeeting', { token: p.tokens.accessToken, params: { meetingId: meeting.id }, body: {} });
    }
    watcher = await connectWs(server.url, people[2]?.tokens.accessToken);
  });
  afterAll(async () => {
    watcher?.close();
    await server?.close();
  });

  const params = () => ({ meetingId: meeting.id });
  const who = (i: number): AuthSession => {
    const p = people[i];
    if (p === undefined) throw new Error(`no person ${i}`);
    return p;
  };
  const raise = (p: AuthSession) => server.api.call('raiseHand', { token: p.tokens.accessToken, params: params() });
  const queue = async () =>
    (await server.api.ok('listHands', { token: host.tokens.accessToken, params: params() })).hands.map((h) => h.name);

  it('keeps hands in the order they went up; raising again keeps the place', async () => {
    for (const i of [1, 0, 2]) expect(await raise(who(i))).toMatchObject({ status: 200 });
    await raise(who(1));
    expect(await queue()).toEqual(['second', 'first', 'third']);
    const live = await watcher.next('hands.changed', (m) => m.meetingId === meeting.id && m.hands.length === 3);
    expect(live.hands.map((h) => h.userId)).toEqual([who(1), who(0), who(2)].map((p) => p.user.id));
  });

  it('lets people lower their own hand and only hosts lower others, one or all', async () => {
    const t = who(0).tokens.accessToken;
    const other = await server.api.call('lowerHand', { token: t, params: params(), body: { userId: who(1).user.id } });
    expect(other).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    await server.api.ok('lowerHand', { token: t, params: params(), body: {} });
    expect(await queue()).toEqual(['second', 'third']);
    await server.api.ok('lowerHand', {
      token: host.tokens.accessToken,
      params: params(),
      body: { userId: who(2).user.id },
    });
    expect(await queue()).toEqual(['second']);
    await raise(who(0));
    expect(await queue()).toEqual(['second', 'first']);
    expect(
      await server.api.call('lowerAllHands', { token: who(1).tokens.accessToken, params: params() }),
    ).toMatchObject({ status: 403 });
    await server.api.ok('lowerAllHands', { token: host.tokens.accessToken, params: params() });
    expect(await queue()).toEqual([]);
    await watcher.next('hands.changed', (m) => m.meetingId === meeting.id && m.hands.length === 0);
  });

  it('refuses people outside the meeting, other organisations and malformed requests', async () => {
    expect(await raise(stranger)).toMatchObject({ status: 403 });
    const foreign = outsider.tokens.accessToken;
    expect(await server.api.call('listHands', { token: foreign, params: params() })).toMatchObject({ status: 404 });
    expect(await server.api.call('raiseHand', { token: foreign, params: params() })).toMatchObject({ status: 404 });
    const malformed = await server.api.call('lowerHand', {
      token: host.tokens.accessToken,
      params: params(),
      body: { userId: 'not-a-uuid' },
    });
    expect(malformed).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(await queue()).toEqual([]);
  });
});

describe('hand raising is rate-limited per person', () => {
  let server: TestServer;
  afterAll(() => server?.close());

  it('answers 429 once one person raises too often in a minute, and not to others', async () => {
    server = await startTestServer(livekit, { rateLimits: { signInPerMinute: 1000, messagesPerMinute: 3 } });
    const host = await signUp(server.api, 'limited-host');
    const other = await addPerson(server.api, host, 'other', 'member');
    const meeting = await server.api.ok('createMeeting', {
      token: host.tokens.accessToken,
      body: { title: 'Limited' },
    });
    const params = { meetingId: meeting.id };
    await server.api.ok('joinMeeting', { token: other.tokens.accessToken, params, body: {} });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await server.api.call('raiseHand', { token: host.tokens.accessToken, params })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(await server.api.call('raiseHand', { token: other.tokens.accessToken, params })).toMatchObject({
      status: 200,
    });
  });
});
