import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { AuthSession, Meeting, MeetingNotes, TranscriptSegment } from '@tandem/shared';
import { Room, dispose } from '@livekit/rtc-node';
import { startLivekit, webhookPair, type RunningLivekit } from '@tandem/devstack';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openStore, type Store } from './store/index.ts';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

/**
 * Meeting notes (issue 14) over real HTTP: transcript segments are seeded through the server's own
 * store (what the transcriber would have stored), the notes are made by the server, confirmed and
 * dismissed through the API. The optional model is a local HTTP server speaking the OpenAI
 * chat-completions wire format (a stand-in for a third-party service that cannot run here).
 */

const livekit = inject('livekit');

/** Gives a person their full name (sign-up makes e-mail addresses from a single word). */
async function named(on: TestServer, admin: AuthSession, who: AuthSession, name: string): Promise<AuthSession> {
  await on.api.ok('updateUser', { token: admin.tokens.accessToken, params: { userId: who.user.id }, body: { name } });
  return { ...who, user: { ...who.user, name } };
}

let server: TestServer;
let store: Store;
let ada: AuthSession;
let grace: AuthSession;
let alan: AuthSession;
let outsider: AuthSession;
let guest: AuthSession;

/** Thursday 3 December 2026, 10:00 UTC. */
const THURSDAY = Date.parse('2026-12-03T10:00:00Z');

beforeAll(async () => {
  server = await startTestServer(livekit);
  store = await openStore(server.databasePath);
  ada = await signUp(server.api, 'ada');
  ada = await named(server, ada, ada, 'Ada Lovelace');
  grace = await named(server, ada, await addPerson(server.api, ada, 'grace', 'member'), 'Grace Hopper');
  alan = await named(server, ada, await addPerson(server.api, ada, 'alan', 'member'), 'Alan Turing');
  guest = await addPerson(server.api, ada, 'visitor', 'guest');
  outsider = await signUp(server.api, 'other');
}, 60_000);

afterAll(async () => {
  await store?.close();
  await server?.close();
});

const token = (who: AuthSession) => who.tokens.accessToken;

async function meetingWith(title: string, invitees: readonly AuthSession[] = [grace]): Promise<Meeting> {
  return server.api.ok('createMeeting', {
    token: token(ada),
    body: { title, invitees: invitees.map((p) => p.user.id) },
  });
}

/** What the transcriber would have stored: one segment per line, four seconds each, a minute apart. */
async function transcribe(
  target: Store,
  m: Meeting,
  lines: readonly [AuthSession, string][],
): Promise<TranscriptSegment[]> {
  const segments = lines.map(([who, text], i): TranscriptSegment => ({
    id: randomUUID(),
    meetingId: m.id,
    speaker: { userId: who.user.id, name: who.user.name },
    startedAt: new Date(THURSDAY + i * 60_000).toISOString(),
    endedAt: new Date(THURSDAY + i * 60_000 + 4000).toISOString(),
    text,
  }));
  for (const s of segments) await target.transcripts.add({ ...s, organisationId: m.organisationId });
  return segments;
}

const CONVERSATION: readonly [() => AuthSession, string][] = [
  [() => ada, 'Thanks for coming. Today we settle the budget for next year.'],
  [() => grace, 'I have the numbers from finance with me.'],
  [() => ada, 'Grace, please send the budget by Friday.'],
  [() => alan, "We decided to keep the current vendor. I'll think about the rest."],
  [() => grace, "It will rain on Friday, so I won't be able to come in."],
];
const conversation = (): [AuthSession, string][] => CONVERSATION.map(([who, text]) => [who(), text]);

async function waitForNotes(who: AuthSession, meetingId: string): Promise<MeetingNotes> {
  for (let i = 0; i < 100; i++) {
    const { notes } = await server.api.ok('getMeetingNotes', { token: token(who), params: { meetingId } });
    if (notes !== null) return notes;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no notes came');
}

describe('meeting notes', () => {
  it("are made when the meeting ends: Grace's action item due that Friday and the decision, each with evidence, posted to the chat", async () => {
    const m = await meetingWith('Budget 2027');
    const segments = await transcribe(store, m, conversation());
    expect(
      (await server.api.ok('getMeetingNotes', { token: token(grace), params: { meetingId: m.id } })).notes,
    ).toBeNull();

    await server.api.ok('endMeeting', { token: token(ada), params: { meetingId: m.id } });
    const notes = await waitForNotes(grace, m.id);

    expect(notes).toMatchObject({ meetingId: m.id, provider: 'extractor', timeZone: 'UTC', segmentCount: 5 });
    expect(notes.summary).toContain('Ada Lovelace');
    expect(notes.items).toEqual([
      expect.objectContaining({
        kind: 'action',
        title: 'Send the budget',
        ownerId: grace.user.id,
        ownerName: 'Grace Hopper',
        dueDate: '2026-12-04',
        status: 'proposed',
        decisionId: null,
        evidence: [
          {
            segmentId: segments[2]?.id,
            speaker: { userId: ada.user.id, name: 'Ada Lovelace' },
            text: 'Grace, please send the budget by Friday.',
            startedAt: segments[2]?.startedAt,
            endedAt: segments[2]?.endedAt,
            startMs: 120_000,
            endMs: 124_000,
            recording: null,
          },
        ],
      }),
      expect.objectContaining({ kind: 'decision', title: 'Keep the current vendor', ownerId: null, dueDate: null }),
    ]);

    // Posted to the meeting's chat, by the meeting's owner (the end made them, nobody asked).
    const history = await server.api.ok('history', {
      token: token(grace),
      params: { conversationId: m.conversationId },
      query: { since: 0 },
    });
    const posted = history.events.find((e) => e.type === 'message' && e.messageId === notes.id);
    expect(posted).toMatchObject({ authorId: ada.user.id });
    expect(posted?.type === 'message' ? posted.body : '').toContain(
      '1 proposed decision(s) and 1 proposed action item(s)',
    );

    // Nothing is a decision before someone confirms it.
    expect((await server.api.ok('listDecisions', { token: token(ada), query: { meetingId: m.id } })).decisions).toEqual(
      [],
    );
  });

  it('are made on demand in the time zone asked for, from the transcript as it stands, and only for people with standing', async () => {
    const m = await meetingWith('Planning', [grace]);
    // Thursday 23:30 UTC is Friday morning in Tokyo: "by Friday" is the Friday after.
    await store.transcripts.add({
      id: randomUUID(),
      organisationId: m.organisationId,
      meetingId: m.id,
      speaker: { userId: ada.user.id, name: ada.user.name },
      startedAt: '2026-12-03T23:30:00.000Z',
      endedAt: '2026-12-03T23:30:04.000Z',
      text: 'Grace, please send the budget by Friday.',
    });
    const made = await server.api.call('generateMeetingNotes', {
      token: token(grace),
      params: { meetingId: m.id },
      body: { timeZone: 'Asia/Tokyo' },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({
      requestedBy: grace.user.id,
      timeZone: 'Asia/Tokyo',
      items: [expect.objectContaining({ dueDate: '2026-12-11' })],
    });

    const bad = await server.api.call('generateMeetingNotes', {
      token: token(grace),
      params: { meetingId: m.id },
      body: { timeZone: 'Mars/Olympus' },
    });
    expect(bad.status).toBe(400);

    // The organisation's own zone when none is asked for.
    await server.api.ok('updateOrganisationSettings', { token: token(ada), body: { timeZone: 'America/Los_Angeles' } });
    const again = await server.api.ok('generateMeetingNotes', {
      token: token(ada),
      params: { meetingId: m.id },
      body: {},
    });
    expect(again).toMatchObject({
      timeZone: 'America/Los_Angeles',
      items: [expect.objectContaining({ dueDate: '2026-12-04' })],
    });
    await server.api.ok('updateOrganisationSettings', { token: token(ada), body: { timeZone: 'UTC' } });

    // Another organisation, and a guest with no standing, see no meeting at all.
    for (const who of [outsider, guest]) {
      expect(
        (await server.api.call('getMeetingNotes', { token: token(who), params: { meetingId: m.id } })).status,
      ).toBe(404);
      expect(
        (await server.api.call('generateMeetingNotes', { token: token(who), params: { meetingId: m.id }, body: {} }))
          .status,
      ).toBe(404);
    }
  });

  it('become a decision only when confirmed, with edits and a link to the moment in the recording; dismissing records nothing', async () => {
    const m = await meetingWith('Launch review', [grace, alan]);
    const segments = await transcribe(store, m, conversation());
    // A recording that began thirty seconds before the request was said.
    const recordingId = randomUUID();
    await store.recordings.insert({
      id: recordingId,
      organisationId: m.organisationId,
      meetingId: m.id,
      startedBy: { id: ada.user.id, name: ada.user.name },
      createdAt: new Date(THURSDAY).toISOString(),
      instanceId: randomUUID(),
    });
    await store.recordings.update(recordingId, ['starting'], {
      status: 'ready',
      startedAt: new Date(THURSDAY + 90_000).toISOString(),
      endedAt: new Date(THURSDAY + 600_000).toISOString(),
      sizeBytes: 1000,
    });
    const notes = await server.api.ok('generateMeetingNotes', {
      token: token(ada),
      params: { meetingId: m.id },
      body: {},
    });
    const [action, decision] = notes.items;
    if (action === undefined || decision === undefined) throw new Error('expected two items');
    expect(action.evidence[0]?.recording).toEqual({ id: recordingId, offsetMs: 30_000 });
    const params = { meetingId: m.id, notesId: notes.id, itemId: action.id };

    // Guests never confirm; someone of another organisation does not even see the meeting.
    expect((await server.api.call('confirmNoteItem', { token: token(guest), params, body: {} })).status).toBe(403);
    expect((await server.api.call('confirmNoteItem', { token: token(outsider), params, body: {} })).status).toBe(404);
    // An owner outside the organisation is refused, and the item stays proposed.
    const wrongOwner = await server.api.call('confirmNoteItem', {
      token: token(grace),
      params,
      body: { ownerId: outsider.user.id },
    });
    expect(wrongOwner.status).toBe(400);

    const confirmed = await server.api.ok('confirmNoteItem', {
      token: token(grace),
      params,
      body: { title: 'Send the 2027 budget', dueDate: '2026-12-05' },
    });
    expect(confirmed.item).toMatchObject({
      status: 'confirmed',
      decisionId: confirmed.decision.id,
      decidedBy: { id: grace.user.id, name: 'Grace Hopper' },
    });
    expect(confirmed.decision).toMatchObject({
      title: 'Send the 2027 budget',
      ownerId: grace.user.id,
      dueDate: '2026-12-05',
      status: 'agreed',
      meetingId: m.id,
      moment: {
        segmentId: segments[2]?.id,
        startedAt: segments[2]?.startedAt,
        recordingId,
        recordingOffsetMs: 30_000,
      },
    });
    expect(confirmed.decision.detail).toContain('“Grace, please send the budget by Friday.” (Ada Lovelace)');
    // It is in the decisions log with its history, once: a second confirmation is refused.
    const stored = await server.api.ok('getDecision', {
      token: token(alan),
      params: { decisionId: confirmed.decision.id },
    });
    expect(stored.history).toHaveLength(1);
    expect((await server.api.call('confirmNoteItem', { token: token(ada), params, body: {} })).status).toBe(409);
    expect((await server.api.call('rejectNoteItem', { token: token(ada), params, body: {} })).status).toBe(409);

    const dismissed = await server.api.ok('rejectNoteItem', {
      token: token(alan),
      params: { ...params, itemId: decision.id },
      body: {},
    });
    expect(dismissed).toMatchObject({ status: 'dismissed', decisionId: null, decidedBy: { id: alan.user.id } });
    expect(
      (
        await server.api.call('confirmNoteItem', {
          token: token(ada),
          params: { ...params, itemId: decision.id },
          body: {},
        })
      ).status,
    ).toBe(409);
    const decisions = (await server.api.ok('listDecisions', { token: token(ada), query: { meetingId: m.id } }))
      .decisions;
    expect(decisions.map((d) => d.title)).toEqual(['Send the 2027 budget']);

    // Both are audited.
    const audit = await server.api.ok('listAudit', { token: token(ada), query: { target: m.id } });
    expect(audit.entries.map((e) => [e.action, e.actor.id])).toEqual([
      ['notes.item_dismissed', alan.user.id],
      ['notes.item_confirmed', grace.user.id],
    ]);

    // The latest notes show what became of each item, and notes made again keep it.
    const latest = (await server.api.ok('getMeetingNotes', { token: token(grace), params: { meetingId: m.id } })).notes;
    expect(latest?.items.map((i) => i.status)).toEqual(['confirmed', 'dismissed']);
    const again = await server.api.ok('generateMeetingNotes', {
      token: token(ada),
      params: { meetingId: m.id },
      body: {},
    });
    expect(again.id).not.toBe(notes.id);
    expect(again.items.map((i) => [i.status, i.decisionId])).toEqual([
      ['confirmed', confirmed.decision.id],
      ['dismissed', null],
    ]);
  });

  it('answer 404 for notes or items that do not exist', async () => {
    const m = await meetingWith('Empty');
    const params = { meetingId: m.id, notesId: randomUUID(), itemId: randomUUID() };
    expect((await server.api.call('confirmNoteItem', { token: token(ada), params, body: {} })).status).toBe(404);
    expect((await server.api.call('rejectNoteItem', { token: token(ada), params, body: {} })).status).toBe(404);
  });
});

/** A local server speaking the OpenAI chat-completions wire format; `answer` decides each reply. */
async function fakeChatCompletions(
  answer: (request: { model: string; messages: { role: string; content: string }[] }) => {
    status: number;
    body: unknown;
  },
): Promise<{ url: string; requests: unknown[]; close(): Promise<void> }> {
  const requests: unknown[] = [];
  const srv = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(raw) as { model: string; messages: { role: string; content: string }[] };
      requests.push({ path: req.url, authorization: req.headers.authorization, body });
      const reply = answer(body);
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    close: () => new Promise<void>((resolve) => srv.close(() => resolve())),
  };
}

const completion = (content: string) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'notes-model',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content } }],
});

describe('meeting notes from an OpenAI-compatible model (a fake chat-completions server)', () => {
  let reply: (request: { messages: { content: string }[] }) => { status: number; body: unknown };
  let llm: Awaited<ReturnType<typeof fakeChatCompletions>>;
  let withModel: TestServer;
  let owner: AuthSession;
  let member: AuthSession;
  let modelStore: Store;

  beforeAll(async () => {
    llm = await fakeChatCompletions((request) => reply(request));
    withModel = await startTestServer(livekit, {
      notesLlm: { baseUrl: llm.url, model: 'notes-model', apiKey: 'sk-test-key', timeoutMs: 5000 },
    });
    modelStore = await openStore(withModel.databasePath);
    owner = await signUp(withModel.api, 'ada');
    owner = await named(withModel, owner, owner, 'Ada Lovelace');
    member = await named(withModel, owner, await addPerson(withModel.api, owner, 'grace', 'member'), 'Grace Hopper');
  }, 60_000);

  afterAll(async () => {
    await modelStore?.close();
    await withModel?.close();
    await llm?.close();
  });

  async function notesFor(title: string): Promise<MeetingNotes> {
    const m = await withModel.api.ok('createMeeting', {
      token: owner.tokens.accessToken,
      body: { title, invitees: [member.user.id] },
    });
    await transcribe(modelStore, m, [
      [owner, 'Grace, please send the budget by Friday.'],
      [member, 'Sure. Also we decided to hire two people.'],
    ]);
    return withModel.api.ok('generateMeetingNotes', {
      token: owner.tokens.accessToken,
      params: { meetingId: m.id },
      body: {},
    });
  }

  it("uses the model's validated answer, with owners resolved to people of the meeting", async () => {
    reply = () => ({
      status: 200,
      body: completion(
        JSON.stringify({
          summary: 'The budget was discussed and two hires agreed.',
          items: [
            { kind: 'action', title: 'Send the budget', owner: 'Grace', dueDate: '2026-12-04', segments: [0] },
            { kind: 'decision', title: 'Hire two people', owner: null, dueDate: null, segments: [1] },
          ],
        }),
      ),
    });
    const notes = await notesFor('With the model');
    expect(notes).toMatchObject({
      provider: 'llm',
      summary: 'The budget was discussed and two hires agreed.',
      items: [
        { kind: 'action', title: 'Send the budget', ownerId: member.user.id, dueDate: '2026-12-04' },
        { kind: 'decision', title: 'Hire two people', ownerId: null },
      ],
    });
    const sent = llm.requests.at(-1) as {
      path: string;
      authorization: string;
      body: { model: string; messages: { content: string }[]; response_format: { type: string } };
    };
    expect(sent).toMatchObject({
      path: '/v1/chat/completions',
      authorization: 'Bearer sk-test-key',
      body: { model: 'notes-model', response_format: { type: 'json_schema' } },
    });
    expect(sent.body.messages[1]?.content).toContain(
      '0 [2026-12-03T10:00:00.000Z] Ada Lovelace: Grace, please send the budget by Friday.',
    );
  });

  it.each([
    ['an answer that breaks the schema', () => ({ status: 200, body: completion('{"summary": 3, "items": "none"}') })],
    [
      'an answer citing a line that does not exist',
      () => ({
        status: 200,
        body: completion(
          JSON.stringify({
            summary: 's',
            items: [{ kind: 'action', title: 'X', owner: null, dueDate: null, segments: [9] }],
          }),
        ),
      }),
    ],
    ['an answer that is not JSON', () => ({ status: 200, body: completion('Here are your notes: …') })],
    ['an HTTP error', () => ({ status: 500, body: { error: { message: 'overloaded' } } })],
  ])('fall back to the extractor on %s', async (_why, answer) => {
    reply = answer;
    const notes = await notesFor('Fallback');
    expect(notes.provider).toBe('extractor');
    expect(notes.items).toEqual([
      expect.objectContaining({
        kind: 'action',
        title: 'Send the budget',
        ownerId: member.user.id,
        dueDate: '2026-12-04',
      }),
      expect.objectContaining({ kind: 'decision', title: 'Hire two people' }),
    ]);
  });

  it('fall back to the extractor when the model cannot be reached', async () => {
    const unreachable = await startTestServer(livekit, {
      notesLlm: { baseUrl: 'http://127.0.0.1:9/v1', model: 'notes-model', apiKey: null, timeoutMs: 2000 },
    });
    const unreachableStore = await openStore(unreachable.databasePath);
    try {
      const who = await signUp(unreachable.api, 'ada');
      const m = await unreachable.api.ok('createMeeting', {
        token: who.tokens.accessToken,
        body: { title: 'Offline model' },
      });
      await transcribe(unreachableStore, m, [[who, "I'll send the minutes tomorrow."]]);
      const notes = await unreachable.api.ok('generateMeetingNotes', {
        token: who.tokens.accessToken,
        params: { meetingId: m.id },
        body: {},
      });
      expect(notes).toMatchObject({
        provider: 'extractor',
        items: [{ title: 'Send the minutes', ownerId: who.user.id, dueDate: '2026-12-04' }],
      });
    } finally {
      await unreachableStore.close();
      await unreachable.close();
    }
  });
});

describe('meeting notes when the last participant leaves (LiveKit’s room_finished webhook)', () => {
  let hooked: RunningLivekit;
  let withHooks: TestServer;
  let hookedStore: Store;

  beforeAll(async () => {
    [hooked, withHooks] = await webhookPair(
      '/livekit/webhook',
      (url) => startLivekit({ webhookUrls: [url] }),
      (livekit, port) => startTestServer(livekit, { port }),
    );
    hookedStore = await openStore(withHooks.databasePath);
  }, 60_000);
  afterAll(async () => {
    await hookedStore?.close();
    await withHooks?.close();
    await hooked?.stop();
    await dispose();
  });

  it('are made once the room empties, without anyone ending the meeting', async () => {
    const host = await signUp(withHooks.api, 'ada');
    const m = await withHooks.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Drop-in' } });
    const joined = await withHooks.api.ok('joinMeeting', {
      token: host.tokens.accessToken,
      params: { meetingId: m.id },
      body: {},
    });
    if (joined.status !== 'joined') throw new Error('not joined');
    const room = new Room();
    await room.connect(joined.livekit.url, joined.livekit.token, { autoSubscribe: false, dynacast: false });
    await transcribe(hookedStore, m, [[host, "I'll send the minutes tomorrow."]]);
    await room.disconnect();

    // LiveKit closes a room some seconds after its last participant left; its webhook makes the notes.
    const notes = async () =>
      (await withHooks.api.ok('getMeetingNotes', { token: host.tokens.accessToken, params: { meetingId: m.id } }))
        .notes;
    await expect.poll(notes, { timeout: 60_000, interval: 500 }).toMatchObject({
      requestedBy: null,
      items: [{ title: 'Send the minutes', ownerId: host.user.id, dueDate: '2026-12-04' }],
    });
    const meeting = await withHooks.api.ok('getMeeting', {
      token: host.tokens.accessToken,
      params: { meetingId: m.id },
    });
    expect(meeting.status).not.toBe('ended');
  }, 90_000);
});
