import { randomUUID } from 'node:crypto';
import type { AuthSession, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  addPerson,
  postLivekitWebhook,
  refuseWrites,
  signUp,
  startTestServer,
  type TestServer,
} from './testSupport.ts';

/**
 * LiveKit's webhooks handled once and in full (services/webhooks.ts): signed as LiveKit signs
 * them (the test's livekit-server's key and secret) and posted over HTTP, again and at once, as
 * LiveKit's redelivery and its nodes do. A database that refuses writes to visits (a trigger on
 * `attendance`) stands for a handling that fails half-way.
 */

const livekit = inject('livekit');

describe("LiveKit's webhooks, handled once and in full", () => {
  let server: TestServer;
  let host: AuthSession;
  let member: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    host = await signUp(server.api, 'hook-host');
    member = await addPerson(server.api, host, 'hook-member', 'member');
  });
  afterAll(() => server?.close());

  const newMeeting = (title: string): Promise<Meeting> =>
    server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title } });

  /** LiveKit's webhook of `kind` about `who` in the meeting's room, with a fresh id unless given. */
  const participantHook = (kind: string, meeting: Meeting, who: AuthSession, id = `EV_${randomUUID()}`) => ({
    id,
    event: kind,
    room: { name: `meeting-${meeting.id}` },
    participant: { identity: who.user.id },
    createdAt: String(Math.floor(Date.now() / 1000)),
  });

  async function post(event: Readonly<Record<string, unknown>>): Promise<number> {
    return (await postLivekitWebhook(server, livekit, event)).status;
  }

  async function visitsOf(meeting: Meeting) {
    const { attendance, lifecycle } = await server.api.ok('attendance', {
      token: host.tokens.accessToken,
      params: { meetingId: meeting.id },
    });
    return { visits: attendance, lifecycle: lifecycle.map((e) => e.event) };
  }

  async function presenceOf(who: AuthSession) {
    const { presence } = await server.api.ok('listPresence', { token: host.tokens.accessToken });
    return presence.find((p) => p.userId === who.user.id);
  }

  /** The database refuses to write visits (to open or close one) until what it answers is called. */
  const refuseVisits = () => refuseWrites(server, 'attendance', ['insert', 'update']);

  it('records a participant_joined delivered again, or twice at once, as one visit', async () => {
    const meeting = await newMeeting('delivered twice');
    const joined = participantHook('participant_joined', meeting, member);
    expect(await post(joined)).toBe(200);
    expect(await post(joined)).toBe(200);
    const again = participantHook('participant_joined', meeting, host);
    expect(await Promise.all([post(again), post(again), post(again)])).toEqual([200, 200, 200]);
    const { visits } = await visitsOf(meeting);
    expect(visits).toHaveLength(2);
  });

  it('handles in full, when it comes again, a webhook whose handling failed half-way', async () => {
    const meeting = await newMeeting('failed half-way');
    const joined = participantHook('participant_joined', meeting, member);
    let allowVisits = await refuseVisits();
    try {
      // Presence is set before the visit is written: the handling fails after it.
      expect(await post(joined)).toBe(500);
      expect(await presenceOf(member)).toMatchObject({ status: 'in_meeting', meetingId: meeting.id });
    } finally {
      await allowVisits();
    }
    expect((await visitsOf(meeting)).visits).toEqual([]);
    expect(await post(joined)).toBe(200);
    expect((await visitsOf(meeting)).visits).toMatchObject([{ leftAt: null }]);

    const left = participantHook('participant_left', meeting, member);
    allowVisits = await refuseVisits();
    try {
      expect(await post(left)).toBe(500);
    } finally {
      await allowVisits();
    }
    expect((await visitsOf(meeting)).visits).toMatchObject([{ leftAt: null }]);
    expect(await post(left)).toBe(200);
    expect((await visitsOf(meeting)).visits).toMatchObject([{ leftAt: expect.any(String) }]);
    // Not connected: gone from the meeting, offline.
    expect(await presenceOf(member)).toMatchObject({ status: 'offline', meetingId: null });
  });

  it('ignores a participant_left delivered again after the person came back', async () => {
    const meeting = await newMeeting('came back');
    const left = participantHook('participant_left', meeting, member);
    expect(await post(participantHook('participant_joined', meeting, member))).toBe(200);
    expect(await post(left)).toBe(200);
    expect(await post(participantHook('participant_joined', meeting, member))).toBe(200);
    expect(await post(left)).toBe(200);
    const { visits } = await visitsOf(meeting);
    expect(visits).toHaveLength(2);
    expect(visits.filter((v) => v.leftAt === null)).toHaveLength(1);
    expect(await presenceOf(member)).toMatchObject({ status: 'in_meeting', meetingId: meeting.id });
  });

  it("records a room's start and finish delivered again once each", async () => {
    const meeting = await newMeeting('room twice');
    const room = (event: string) => ({
      id: `EV_${randomUUID()}`,
      event,
      room: { name: `meeting-${meeting.id}` },
      createdAt: String(Math.floor(Date.now() / 1000)),
    });
    const started = room('room_started');
    const finished = room('room_finished');
    for (const event of [started, started, finished, finished]) expect(await post(event)).toBe(200);
    expect((await visitsOf(meeting)).lifecycle).toEqual(['room_started', 'room_finished']);
  });
});
