import { describe, expect, it } from 'vitest';
import { MeetingSchema, type JoinRequest, type JoinResult, type LobbyEntry, type Meeting } from './api/meetings.ts';
import { CodedError } from './errors.ts';
import { lobbyWait, type JoinedResult } from './lobbyWait.ts';

const SELF = '00000000-0000-4000-8000-000000000001';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function meeting(n: number): Meeting {
  return MeetingSchema.parse({
    id: uuid(100 + n),
    organisationId: uuid(2),
    title: `Gated ${n}`,
    ownerId: uuid(3),
    personal: false,
    startsAt: null,
    endsAt: null,
    status: 'live',
    locked: false,
    settings: { lobby: true, screenShare: 'everyone', chat: true, e2ee: false },
    joinCode: 'abcd1234',
    joinUrl: 'tandem://join/abcd1234',
    conversationId: uuid(4),
    createdAt: '2026-12-05T10:00:00.000Z',
    updatedAt: '2026-12-05T10:00:00.000Z',
  });
}

const entry = (m: Meeting, status: LobbyEntry['status'], userId = SELF): LobbyEntry => ({
  id: uuid(200),
  meetingId: m.id,
  userId,
  name: 'Bob',
  external: false,
  status,
  createdAt: '2026-12-05T10:00:00.000Z',
  updatedAt: '2026-12-05T10:00:01.000Z',
});
const waitingIn = (m: Meeting): JoinResult => ({ status: 'waiting', meeting: m, entry: entry(m, 'waiting') });
const joinedIn = (m: Meeting): JoinedResult => ({
  status: 'joined',
  meeting: m,
  livekit: {
    url: 'ws://127.0.0.1:7880',
    token: 'token',
    room: m.id,
    identity: SELF,
    role: 'attendee',
    expiresAt: '2026-12-05T10:02:00.000Z',
  },
});

/** The lobby's logic with the HTTP join answered by the test (it is pure: no socket, no server). */
function setUp(answer: (meetingId: string) => JoinResult | Error) {
  const joins: { meetingId: string; request: JoinRequest }[] = [];
  const admitted: { meetingId: string; request: JoinRequest }[] = [];
  const refused: string[] = [];
  const errors: unknown[] = [];
  const lobby = lobbyWait({
    join: async (meetingId, request) => {
      joins.push({ meetingId, request });
      const result = answer(meetingId);
      if (result instanceof Error) throw result;
      return result;
    },
    admitted: (joined, request) => void admitted.push({ meetingId: joined.meeting.id, request }),
    refused: (m) => void refused.push(m.id),
    onError: (error) => void errors.push(error),
  });
  return { lobby, joins, admitted, refused, errors };
}

/** Lets the joins started settle (they are promise chains of a few steps; this package has no timers). */
async function settled(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}

describe('waiting in a lobby', () => {
  it('names the lobbies it waits in in the socket’s auth; the socket’s lobby.joined admits without a join of its own', async () => {
    const [one, two] = [meeting(1), meeting(2)];
    const t = setUp(() => waitingIn(one));
    expect(t.lobby.awaiting()).toBeUndefined();
    t.lobby.answered(waitingIn(one), { displayName: 'Bob from Sales' });
    t.lobby.answered(waitingIn(two), { viewOnly: true });
    expect(t.lobby.awaiting()).toEqual([
      { meetingId: one.id, displayName: 'Bob from Sales' },
      { meetingId: two.id, viewOnly: true },
    ]);
    t.lobby.ready();
    // The socket waits in both: admitted, its lobby.entry is left to the socket, which joins us.
    t.lobby.onServerMessage({ type: 'lobby.entry', entry: entry(one, 'admitted') }, SELF);
    const { livekit } = joinedIn(one);
    t.lobby.onServerMessage({ type: 'lobby.joined', meeting: one, livekit }, SELF);
    await settled();
    expect(t.joins).toEqual([]);
    expect(t.admitted).toEqual([{ meetingId: one.id, request: { displayName: 'Bob from Sales' } }]);
    // Refused for good over the socket: we wait no more; no longer waited in, the next socket names it not.
    t.lobby.onServerMessage(
      { type: 'lobby.refused', meetingId: two.id, error: { code: 'forbidden', message: 'denied' } },
      SELF,
    );
    expect(t.refused).toEqual([two.id]);
    expect(t.lobby.awaiting()).toBeUndefined();
  });

  it('waits on the socket for a join the socket made itself (a knock on it), and on the next socket as any', async () => {
    const [one, two] = [meeting(1), meeting(2)];
    const t = setUp((id) => (id === two.id ? joinedIn(two) : waitingIn(one)));
    // Already waiting elsewhere when the socket was replaced: not this socket's, asked about on ready.
    t.lobby.answered(waitingIn(two), {});
    t.lobby.answeredOnSocket(waitingIn(one), { displayName: 'Guest' });
    t.lobby.ready();
    t.lobby.onServerMessage({ type: 'lobby.entry', entry: entry(one, 'admitted') }, SELF);
    await settled();
    expect(t.joins).toEqual([{ meetingId: two.id, request: {} }]);
    t.lobby.onServerMessage({ type: 'lobby.joined', meeting: one, livekit: joinedIn(one).livekit }, SELF);
    await settled();
    expect(t.admitted).toEqual([
      { meetingId: two.id, request: {} },
      { meetingId: one.id, request: { displayName: 'Guest' } },
    ]);
    // A knock answered with the call at once (no lobby) waits for nothing.
    t.lobby.answeredOnSocket(joinedIn(one), {});
    expect(t.lobby.awaiting()).toBeUndefined();
  });

  it('joins again on ready for a lobby the socket did not name, and on an admission heard of by lobby.entry', async () => {
    const meetings = new Map([1, 2, 3].map((n) => [meeting(n).id, meeting(n)]));
    const [one, two, three] = [...meetings.values()] as [Meeting, Meeting, Meeting];
    const admittedTo = new Set<string>();
    const t = setUp((id) => {
      const m = meetings.get(id) ?? one;
      return admittedTo.has(id) ? joinedIn(m) : waitingIn(m);
    });
    // Named by the socket that opened before we knocked at the second.
    t.lobby.answered(waitingIn(one), {});
    t.lobby.awaiting();
    t.lobby.answered(waitingIn(two), { displayName: 'Bob' });
    // A host decided while no socket could hear it: ready asks about the one the socket did not name.
    admittedTo.add(two.id);
    t.lobby.ready();
    await settled();
    expect(t.joins).toEqual([{ meetingId: two.id, request: { displayName: 'Bob' } }]);
    expect(t.admitted.map((a) => a.meetingId)).toEqual([two.id]);

    // A later lobby, the socket not waiting there: someone else's admission is not ours; ours is
    // a join of our own.
    t.lobby.answered(waitingIn(three), {});
    admittedTo.add(three.id);
    t.lobby.onServerMessage({ type: 'lobby.entry', entry: entry(three, 'admitted', uuid(9)) }, SELF);
    await settled();
    expect(t.joins).toHaveLength(1);
    t.lobby.onServerMessage({ type: 'lobby.entry', entry: entry(three, 'admitted') }, SELF);
    await settled();
    expect(t.joins.map((j) => j.meetingId)).toEqual([two.id, three.id]);
    expect(t.admitted.map((a) => a.meetingId)).toEqual([two.id, three.id]);
  });

  it('is told no by a denial, a join refused for good, or lobby.refused; a passing failure asks again', async () => {
    const [one, two, three] = [meeting(1), meeting(2), meeting(3)];
    const t = setUp((id) =>
      id === two.id ? new CodedError('not_found', 'meeting not found') : new CodedError('unavailable', 'offline'),
    );
    t.lobby.answered(waitingIn(one), {});
    t.lobby.answered(waitingIn(two), {});
    t.lobby.answered(waitingIn(three), {});
    t.lobby.onServerMessage({ type: 'lobby.entry', entry: entry(one, 'denied') }, SELF);
    t.lobby.ready();
    await settled();
    expect(t.refused).toEqual([one.id, two.id]);
    // The third could not be asked (offline): still waited for, the failure reported.
    expect(t.errors).toEqual([expect.objectContaining({ code: 'unavailable' })]);
    expect(t.lobby.awaiting()?.map((a) => a.meetingId)).toEqual([three.id]);
    // The socket could not join us for a passing reason: asked again over HTTP.
    t.lobby.onServerMessage(
      { type: 'lobby.refused', meetingId: three.id, error: { code: 'unavailable', message: 'LiveKit down' } },
      SELF,
    );
    await settled();
    expect(t.joins.filter((j) => j.meetingId === three.id)).toHaveLength(2);
  });
  it('after leaving a lobby, or signing out, no admission, removal or refusal about it starts or ends anything', async () => {
    const [one, two] = [meeting(1), meeting(2)];
    const t = setUp((id) => joinedIn(id === one.id ? one : two));
    t.lobby.answered(waitingIn(one), {});
    t.lobby.answered(waitingIn(two), {});
    t.lobby.awaiting();
    t.lobby.leave(one.id);
    // The server hears of the leave and tells hosts (and us) the entry is gone; an admission that
    // raced it (the socket joined us) is not followed either.
    t.lobby.onServerMessage({ type: 'lobby.entry', entry: entry(one, 'removed') }, SELF);
    t.lobby.onServerMessage({ type: 'lobby.joined', meeting: one, livekit: joinedIn(one).livekit }, SELF);
    await settled();
    expect(t.refused).toEqual([]);
    expect(t.admitted).toEqual([]);
    expect(t.lobby.awaiting()).toEqual([{ meetingId: two.id }]);
    // Signed out: the next socket (another account's, maybe) names no lobby, and ready asks nothing.
    t.lobby.clear();
    expect(t.lobby.awaiting()).toBeUndefined();
    t.lobby.ready();
    t.lobby.onServerMessage({ type: 'lobby.entry', entry: entry(two, 'admitted') }, SELF);
    await settled();
    expect(t.joins).toEqual([]);
    expect(t.admitted).toEqual([]);
  });
});
