import type { AuthSession } from '@tandem/shared';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from './store/index.ts';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

/**
 * Participant suggestions over real HTTP. Attendance is what LiveKit's participant webhooks
 * record; it is seeded through the server's own store here, as insights.test.ts does.
 */

const livekit = inject('livekit');

let server: TestServer;
let store: Store;
let ada: AuthSession;
let grace: AuthSession;
let alan: AuthSession;
let linus: AuthSession;
let guest: AuthSession;
let outsider: AuthSession;
let rival: AuthSession;
const token = (who: AuthSession) => who.tokens.accessToken;
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

/** A meeting `owner` held `minutesAgo`, attended by `who`. */
async function held(owner: AuthSession, title: string, who: readonly AuthSession[], minutesAgo: number) {
  const meeting = await server.api.ok('createMeeting', { token: token(owner), body: { title } });
  for (const person of who) await store.activity.joined(meeting.id, person.user.id, person.user.id, ago(minutesAgo));
  return meeting;
}

beforeAll(async () => {
  server = await startTestServer(livekit);
  store = await openStore(server.databasePath);
  ada = await signUp(server.api, 'ada');
  grace = await addPerson(server.api, ada, 'grace', 'member');
  alan = await addPerson(server.api, ada, 'alan', 'member');
  linus = await addPerson(server.api, ada, 'linus', 'member');
  guest = await addPerson(server.api, ada, 'gwen', 'guest');
  outsider = await signUp(server.api, 'other');
  rival = await addPerson(server.api, outsider, 'rival', 'member');
  await held(ada, 'Budget planning', [ada, grace, alan, guest], 60);
  await held(ada, 'Budget follow-up', [grace], 30);
  await held(ada, 'Hiring', [linus], 20);
  await server.api.ok('createDecision', {
    token: token(ada),
    body: { clientId: randomUUID(), title: 'Approve the budget', ownerId: linus.user.id, status: 'agreed' },
  });
  // Another organisation's budget meeting and decision: never a reason here.
  await held(outsider, 'Budget', [outsider, rival], 10);
  await server.api.ok('createDecision', {
    token: token(outsider),
    body: { clientId: randomUUID(), title: 'Budget cuts', ownerId: rival.user.id, status: 'agreed' },
  });
}, 60_000);

afterAll(async () => {
  await store?.close();
  await server?.close();
});

describe('participant suggestions', () => {
  it('suggest who attends meetings on the topic and owners of related open decisions, in the organisation only', async () => {
    const { suggestions } = await server.api.ok('suggestParticipants', {
      token: token(ada),
      query: { topic: 'Budget review' },
    });
    expect(suggestions.map((s) => [s.user.name, s.reasons])).toEqual([
      ['grace', [{ kind: 'attended', count: 2, topic: ['budget'] }]],
      ['linus', [{ kind: 'decisionOwner', count: 1, decisionTitle: 'Approve the budget' }]],
      ['alan', [{ kind: 'attended', count: 1, topic: ['budget'] }]],
    ]);
    // The other organisation sees its own people only, and never the one asking.
    const theirs = await server.api.ok('suggestParticipants', { token: token(outsider), query: { topic: 'budget' } });
    expect(theirs.suggestions.map((s) => s.user.name)).toEqual(['rival']);
  });

  it('leave out people who left the organisation', async () => {
    await server.api.ok('deactivateUser', { token: token(ada), params: { userId: alan.user.id }, body: {} });
    const { suggestions } = await server.api.ok('suggestParticipants', {
      token: token(grace),
      query: { topic: 'budget', limit: 5 },
    });
    // Grace asks: Alan is gone, Grace is the one asking; Ada attended one budget meeting.
    expect(suggestions.map((s) => s.user.name)).toEqual(['linus', 'ada']);
  });

  it('refuse guests and the signed-out, and validate the topic and limit', async () => {
    const asGuest = await server.api.call('suggestParticipants', { token: token(guest), query: { topic: 'budget' } });
    expect(asGuest.status).toBe(403);
    const anonymous = await server.api.raw('GET', '/participant-suggestions?topic=budget');
    expect(anonymous.status).toBe(401);
    for (const query of [
      'topic=',
      'topic=%20%20',
      `topic=${'x'.repeat(201)}`,
      'topic=budget&limit=0',
      'topic=budget&limit=21',
      '',
    ]) {
      const reply = await server.api.raw('GET', `/participant-suggestions?${query}`, {
        headers: { authorization: `Bearer ${token(ada)}` },
      });
      expect([query, reply.status, ((await reply.json()) as { error?: { code?: string } }).error?.code]).toEqual([
        query,
        400,
        'bad_request',
      ]);
    }
  });
});
