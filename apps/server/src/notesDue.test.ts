import { randomUUID } from 'node:crypto';
import type { AuthSession, Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from './store/index.ts';
import {
  onDatabase,
  postLivekitWebhook,
  refuseWrites,
  signUp,
  startTestServer,
  type TestServer,
} from './testSupport.ts';

/**
 * The notes of an ended meeting are due from the end's own transaction (store notes.ts
 * `notesDueIn`) and made by whichever instance runs the `meeting-notes` job (services
 * notes.ts `makeDue`): over real HTTP, with LiveKit's room_finished signed as LiveKit signs it.
 * A row written straight into `notes_due` is what an end leaves when its instance dies before
 * making the notes; a trigger refusing `meeting_notes` stands for a making that fails.
 */

const livekit = inject('livekit');
const POLL = { timeout: 15_000, interval: 100 };

describe('meeting notes due at the end, made once', () => {
  let server: TestServer;
  let store: Store;
  let host: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    store = await openStore(server.databasePath);
    host = await signUp(server.api, 'notes-due');
  });
  afterAll(async () => {
    await store?.close();
    await server?.close();
  });

  /** A meeting in which the host said one thing worth noting. */
  async function transcribed(title: string): Promise<Meeting> {
    const m = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title } });
    const at = Date.now() - 60_000;
    await store.transcripts.add({
      id: randomUUID(),
      organisationId: m.organisationId,
      meetingId: m.id,
      speaker: { userId: host.user.id, name: host.user.name },
      startedAt: new Date(at).toISOString(),
      endedAt: new Date(at + 4_000).toISOString(),
      text: "I'll send the minutes tomorrow.",
    });
    return m;
  }

  const notesOf = async (m: Meeting) =>
    (await server.api.ok('getMeetingNotes', { token: host.tokens.accessToken, params: { meetingId: m.id } })).notes;
  const made = async (m: Meeting) =>
    (
      await onDatabase<{ n: number | string }>(
        server,
        'SELECT count(*) AS n FROM meeting_notes WHERE meeting_id = ?',
        m.id,
      )
    )
      .map((r) => Number(r.n))
      .at(0);
  const due = (m: Meeting) =>
    onDatabase<{ attempts: number; claimed_until: string | null }>(
      server,
      'SELECT attempts, claimed_until FROM notes_due WHERE meeting_id = ?',
      m.id,
    );
  /** The notes' posts in the meeting's chat. */
  async function posts(m: Meeting): Promise<number> {
    const history = await server.api.ok('history', {
      token: host.tokens.accessToken,
      params: { conversationId: m.conversationId },
      query: { since: 0 },
    });
    return history.events.filter((e) => e.type === 'message' && e.body.startsWith('Meeting notes are ready')).length;
  }
  const roomFinished = (m: Meeting) => ({
    id: `EV_${randomUUID()}`,
    event: 'room_finished',
    room: { name: `meeting-${m.id}` },
    createdAt: String(Math.floor(Date.now() / 1000)),
  });

  it('are made for an end whose instance died before making them, its claim lapsed', async () => {
    const m = await transcribed('left by a dead instance');
    await onDatabase(server, "UPDATE meetings SET status = 'ended' WHERE id = ?", m.id);
    await onDatabase(
      server,
      'INSERT INTO notes_due (meeting_id, organisation_id, due_at, attempts, claimed_until) VALUES (?, ?, ?, 0, ?)',
      m.id,
      m.organisationId,
      new Date(Date.now() - 120_000).toISOString(),
      new Date(Date.now() - 1_000).toISOString(),
    );
    await expect
      .poll(() => notesOf(m), POLL)
      .toMatchObject({ requestedBy: null, items: [{ title: 'Send the minutes' }] });
    await expect.poll(() => due(m), POLL).toEqual([]);
    expect(await posts(m)).toBe(1);
  });

  it('are posted, not made again, when the instance that made them stopped before posting them', async () => {
    const m = await transcribed('made, not posted');
    const id = randomUUID();
    await store.notes.insert(m.organisationId, {
      id,
      meetingId: m.id,
      provider: 'extractor',
      summary: 'Made by an instance that stopped.',
      items: [],
      timeZone: 'UTC',
      segmentCount: 1,
      generatedAt: new Date().toISOString(),
      requestedBy: null,
    });
    await onDatabase(
      server,
      'INSERT INTO notes_due (meeting_id, organisation_id, due_at, attempts, claimed_until) VALUES (?, ?, ?, 0, NULL)',
      m.id,
      m.organisationId,
      new Date().toISOString(),
    );
    await expect.poll(() => posts(m), POLL).toBe(1);
    await expect.poll(() => due(m), POLL).toEqual([]);
    expect(await made(m)).toBe(1);
    expect((await notesOf(m))?.id).toBe(id);
    // Heard again (LiveKit's room_finished): the post it made is the one.
    expect((await postLivekitWebhook(server, livekit, roomFinished(m))).status).toBe(200);
    await expect.poll(() => due(m), POLL).toEqual([]);
    expect(await posts(m)).toBe(1);
  });

  it('are made once for an end heard three times at once: the host’s, and LiveKit’s room_finished twice', async () => {
    const m = await transcribed('heard three times');
    const [ended, ...hooks] = await Promise.all([
      server.api.ok('endMeeting', { token: host.tokens.accessToken, params: { meetingId: m.id } }),
      postLivekitWebhook(server, livekit, roomFinished(m)),
      postLivekitWebhook(server, livekit, roomFinished(m)),
    ]);
    expect(ended.status).toBe('ended');
    expect(hooks.map((r) => r.status)).toEqual([200, 200]);
    await expect.poll(() => due(m), POLL).toEqual([]);
    expect(await made(m)).toBe(1);
    expect(await posts(m)).toBe(1);
  });

  describe('when the store refuses them', () => {
    const refuseNotes = () => refuseWrites(server, 'meeting_notes', ['insert']);
    /** Makes the failed notes due again now, not half a minute on. */
    const retryNow = (m: Meeting) =>
      onDatabase(
        server,
        'UPDATE notes_due SET claimed_until = ? WHERE meeting_id = ?',
        new Date(Date.now() - 1_000).toISOString(),
        m.id,
      );

    it('are tried again later, and made', async () => {
      const m = await transcribed('refused once');
      const allowNotes = await refuseNotes();
      try {
        await server.api.ok('endMeeting', { token: host.tokens.accessToken, params: { meetingId: m.id } });
        await expect.poll(async () => (await due(m)).map((d) => d.attempts), POLL).toEqual([1]);
        const [failed] = await due(m);
        // Not before half a minute.
        expect(Date.parse(failed?.claimed_until ?? '')).toBeGreaterThan(Date.now() + 20_000);
        expect(await made(m)).toBe(0);
      } finally {
        await allowNotes();
      }
      await retryNow(m);
      await expect.poll(() => due(m), POLL).toEqual([]);
      expect(await made(m)).toBe(1);
      expect(await posts(m)).toBe(1);
    });

    it('are given up after the last try', async () => {
      const m = await transcribed('refused for good');
      const allowNotes = await refuseNotes();
      try {
        await server.api.ok('endMeeting', { token: host.tokens.accessToken, params: { meetingId: m.id } });
        await expect.poll(async () => (await due(m)).map((d) => d.attempts), POLL).toEqual([1]);
        await onDatabase(server, 'UPDATE notes_due SET attempts = 3 WHERE meeting_id = ?', m.id);
        await retryNow(m);
        await expect.poll(() => due(m), POLL).toEqual([]);
      } finally {
        await allowNotes();
      }
      expect(await made(m)).toBe(0);
    });
  });
});
