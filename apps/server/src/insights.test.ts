import type { AuthSession, Meeting } from '@tandem/shared';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from './store/index.ts';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

/**
 * Meeting insights over real HTTP. Attendance is what LiveKit's participant webhooks record and
 * talk time what the transcriber stores; both are seeded through the server's own store here
 * (the webhook and the transcriber have their own tests).
 */

const livekit = inject('livekit');

let server: TestServer;
let store: Store;
let ada: AuthSession;
let grace: AuthSession;
let alan: AuthSession;
let outsider: AuthSession;
let meeting: Meeting;
const token = (who: AuthSession) => who.tokens.accessToken;
const NOW = Date.now();
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

beforeAll(async () => {
  server = await startTestServer(livekit);
  store = await openStore(server.databasePath);
  ada = await signUp(server.api, 'ada');
  grace = await addPerson(server.api, ada, 'grace', 'member');
  alan = await addPerson(server.api, ada, 'alan', 'member');
  outsider = await signUp(server.api, 'other');
  meeting = await server.api.ok('createMeeting', {
    token: token(ada),
    body: { title: 'Weekly', invitees: [grace.user.id] },
  });
  await store.activity.joined(meeting.id, ada.user.id, ada.user.id, ago(60));
  await store.activity.joined(meeting.id, grace.user.id, grace.user.id, ago(50));
  await store.activity.joined(meeting.id, `transcriber-${meeting.id}`, null, ago(60));
  await store.activity.left(meeting.id, grace.user.id, ago(20));
  await store.activity.left(meeting.id, ada.user.id, ago(10));
  const said = async (who: AuthSession, from: number, to: number) =>
    store.transcripts.add({
      id: randomUUID(),
      organisationId: meeting.organisationId,
      meetingId: meeting.id,
      speaker: { userId: who.user.id, name: who.user.name },
      startedAt: ago(from),
      endedAt: ago(to),
      text: 'words',
    });
  await said(ada, 55, 52);
  await said(grace, 45, 44);
}, 60_000);

afterAll(async () => {
  await store?.close();
  await server?.close();
});

describe('meeting insights', () => {
  it("show a meeting's attendance and talk time to its people, leaving out service participants", async () => {
    const insights = await server.api.ok('meetingInsights', { token: token(grace), params: { meetingId: meeting.id } });
    expect(insights.attendance).toEqual([
      expect.objectContaining({ userId: ada.user.id, name: 'ada', totalMs: 50 * 60_000, visits: 1 }),
      expect.objectContaining({ userId: grace.user.id, name: 'grace', totalMs: 30 * 60_000, visits: 1 }),
    ]);
    expect(insights.talkTime).toEqual([
      { userId: ada.user.id, name: 'ada', ms: 180_000, share: 0.75 },
      { userId: grace.user.id, name: 'grace', ms: 60_000, share: 0.25 },
    ]);
    expect(
      (await server.api.call('meetingInsights', { token: token(outsider), params: { meetingId: meeting.id } })).status,
    ).toBe(404);
  });

  it("give the organisation's weeks and talk-time balance to owners and admins only", async () => {
    const org = await server.api.ok('organisationInsights', { token: token(ada), query: { weeks: 4 } });
    expect(org.weeks).toHaveLength(4);
    const thisWeek = org.weeks.at(-1);
    const earlier = org.weeks.at(-2);
    // The meeting began an hour ago: this week, or last week's end when the week just began.
    expect((thisWeek?.meetings ?? 0) + (earlier?.meetings ?? 0)).toBe(1);
    expect((thisWeek?.hours ?? 0) + (earlier?.hours ?? 0)).toBeCloseTo(80 / 60, 1);
    expect(org.talkTime.map((t) => t.name)).toEqual(['ada', 'grace']);
    expect((await server.api.call('organisationInsights', { token: token(alan), query: {} })).status).toBe(403);
    const other = await server.api.ok('organisationInsights', { token: token(outsider), query: {} });
    expect(other.weeks).toHaveLength(12);
    expect(other.weeks.every((w) => w.meetings === 0)).toBe(true);
    expect(other.talkTime).toEqual([]);
  });
});
