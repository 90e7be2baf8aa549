import { randomUUID } from 'node:crypto';
import type { AuthSession, Meeting, TranscriptSegment } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from './store/index.ts';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

/**
 * Transcript search across meetings over real HTTP (`GET /transcripts/search`): its filters and
 * who may read a meeting narrow the hits before the limit, never after. Segments are stored as
 * the transcriber stores them (through the server's own store), without the speech model.
 */

const livekit = inject('livekit');

let server: TestServer;
let store: Store;
let ada: AuthSession;
let grace: AuthSession;
let visitor: AuthSession;

/** Thursday 3 December 2026, 10:00 UTC. */
const THURSDAY = Date.parse('2026-12-03T10:00:00Z');

beforeAll(async () => {
  server = await startTestServer(livekit);
  store = await openStore(server.databasePath);
  ada = await signUp(server.api, 'ada');
  grace = await addPerson(server.api, ada, 'grace', 'member');
  visitor = await addPerson(server.api, ada, 'visitor', 'guest');
}, 60_000);

afterAll(async () => {
  await store?.close();
  await server?.close();
});

const token = (who: AuthSession) => who.tokens.accessToken;

async function meeting(title: string, invitees: readonly AuthSession[] = []): Promise<Meeting> {
  return server.api.ok('createMeeting', {
    token: token(ada),
    body: { title, invitees: invitees.map((p) => p.user.id) },
  });
}

/** Stores one segment per line, `at` seconds after Thursday 10:00 each. */
async function said(m: Meeting, lines: readonly [AuthSession, number, string][]): Promise<TranscriptSegment[]> {
  const segments = lines.map(([who, at, text]): TranscriptSegment => ({
    id: randomUUID(),
    meetingId: m.id,
    speaker: { userId: who.user.id, name: who.user.name },
    startedAt: new Date(THURSDAY + at * 1000).toISOString(),
    endedAt: new Date(THURSDAY + at * 1000 + 4000).toISOString(),
    text,
  }));
  for (const s of segments) await store.transcripts.add({ ...s, organisationId: m.organisationId });
  return segments;
}

const search = async (
  who: AuthSession,
  query: { q: string; limit: number; from?: string; after?: string; before?: string },
) => (await server.api.ok('searchTranscripts', { token: token(who), query })).hits.map((h) => h.segment.id);

describe('transcript search across meetings', () => {
  it('narrows by speaker and time before the limit: newer hits outside the filter hide none', async () => {
    const m = await meeting('Budget review', [grace]);
    const [older] = await said(m, [[grace, 0, 'The budget is mine to send.']]);
    // More newer hits by Ada than the limit.
    const newer = await said(
      m,
      [1, 2, 3, 4].map((i): [AuthSession, number, string] => [ada, 60 * i, `Budget line ${i}.`]),
    );
    const at = (seconds: number) => new Date(THURSDAY + seconds * 1000).toISOString();
    expect(await search(grace, { q: 'budget', limit: 2 })).toEqual([newer[3]?.id, newer[2]?.id]);
    expect(await search(grace, { q: 'budget', limit: 2, from: grace.user.id })).toEqual([older?.id]);
    expect(await search(grace, { q: 'budget', limit: 2, before: at(30) })).toEqual([older?.id]);
    expect(await search(grace, { q: 'budget', limit: 2, after: at(60), before: at(180) })).toEqual([
      newer[1]?.id,
      newer[0]?.id,
    ]);
    expect(await search(grace, { q: 'budget', limit: 2, from: ada.user.id, before: at(30) })).toEqual([]);
    const bad = await server.api.call('searchTranscripts', {
      token: token(grace),
      query: { q: 'budget', limit: 2, after: 'Thursday' },
    });
    expect(bad.status).toBe(400);
  });

  it('pages on past the meetings the caller may not read until it has the limit', async () => {
    const invited = await meeting('Forecast with the visitor', [visitor]);
    const closed = await meeting('Board forecast');
    const readable = await said(invited, [
      [ada, 0, 'The forecast for March.'],
      [ada, 1, 'The forecast for April.'],
    ]);
    // More newer hits the visitor may not read than a page of the scan, two of them at one instant.
    await said(
      closed,
      Array.from({ length: 205 }, (_, i): [AuthSession, number, string] => [
        ada,
        100 + Math.floor(i / 2),
        `Forecast ${i}.`,
      ]),
    );
    expect(await search(visitor, { q: 'forecast', limit: 1 })).toEqual([readable[1]?.id]);
    expect(await search(visitor, { q: 'forecast', limit: 5 })).toEqual([readable[1]?.id, readable[0]?.id]);
    // Ada reads both meetings: the newest hits are the other meeting's.
    const all = await search(ada, { q: 'forecast', limit: 100 });
    expect(all).toHaveLength(100);
    expect(all).not.toContain(readable[1]?.id);
  });
});
