import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROUTES, type AuthSession, type Meeting, type RouteName } from '@tandem/shared';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startServer, type RunningServer } from './index.ts';
import { addPerson, api, connectWs, signUp, type Api, type WsClient } from './testSupport.ts';

const livekit = inject('livekit');

/** Like startTestServer, but on a database file the test keeps, so a restart finds what was written. */
async function startOn(databasePath: string): Promise<RunningServer & { readonly api: Api }> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    livekit: { wsUrl: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, tokenTtlSeconds: 60 },
    databasePath,
    logLevel: 'warn',
    seedDemo: false,
    auth: { accessTtlSeconds: 900, refreshTtlSeconds: 3600, refreshGraceSeconds: 30 },
    rateLimits: { signInPerMinute: 1000, signUpPerMinute: 1000, messagesPerMinute: 1000, scimPerMinute: 1000 },
  });
  return { ...server, api: api(server.url) };
}

describe('polls and Q&A over real HTTP and WebSocket, kept across a restart', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-polls-'));
  const databasePath = path.join(dir, 'server.db');
  let server: Awaited<ReturnType<typeof startOn>>;
  let host: AuthSession;
  let voters: AuthSession[];
  let outsider: AuthSession;
  let watcher: WsClient;
  let meeting: Meeting;
  const ids = { single: '', multiple: '', anonymous: '' };

  beforeAll(async () => {
    server = await startOn(databasePath);
    host = await signUp(server.api, 'poll-host');
    voters = [];
    for (const who of ['v1', 'v2', 'v3']) voters.push(await addPerson(server.api, host, who, 'member'));
    outsider = await signUp(server.api, 'poll-outsider');
    meeting = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Polls' } });
    for (const v of voters) {
      await server.api.ok('joinMeeting', { token: v.tokens.accessToken, params: { meetingId: meeting.id }, body: {} });
    }
    watcher = await connectWs(server.url, voters[0]?.tokens.accessToken);
  });
  afterAll(async () => {
    watcher?.close();
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const m = () => ({ meetingId: meeting.id });
  const voter = (i: number): AuthSession => {
    const v = voters[i];
    if (v === undefined) throw new Error(`no voter ${i}`);
    return v;
  };
  const vote = (who: AuthSession, pollId: string, options: number[]) =>
    server.api.call('votePoll', { token: who.tokens.accessToken, params: { ...m(), pollId }, body: { options } });
  const counts = async (pollId: string) =>
    (await server.api.ok('listPolls', { token: host.tokens.accessToken, params: m() })).polls
      .find((p) => p.id === pollId)
      ?.options.map((o) => o.votes);

  it('counts a single-choice poll, one vote per person, live to the meeting', async () => {
    const poll = await server.api.ok('createPoll', {
      token: host.tokens.accessToken,
      params: m(),
      body: { question: 'Lunch?', options: ['Pizza', 'Salad', 'Soup'] },
    });
    ids.single = poll.id;
    expect(poll).toMatchObject({ status: 'draft', multiple: false, anonymous: false });
    expect(await vote(voter(0), poll.id, [0])).toMatchObject({ status: 409 });
    expect(
      await server.api.call('openPoll', { token: voter(0).tokens.accessToken, params: { ...m(), pollId: poll.id } }),
    ).toMatchObject({ status: 403 });
    await server.api.ok('openPoll', { token: host.tokens.accessToken, params: { ...m(), pollId: poll.id } });

    for (const [i, option] of [
      [0, 1],
      [1, 1],
      [2, 0],
    ] as const)
      expect(await vote(voter(i), poll.id, [option])).toMatchObject({ status: 200 });
    expect(await vote(voter(0), poll.id, [2])).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(await vote(voter(1), poll.id, [0, 1])).toMatchObject({ status: 400 });
    expect(await vote(voter(1), poll.id, [7])).toMatchObject({ status: 400 });
    expect(await counts(poll.id)).toEqual([1, 2, 0]);

    const live = await watcher.next('poll.changed', (x) => x.poll.id === poll.id && x.poll.voterCount === 3);
    expect(live.poll.options[1]?.voterIds?.sort()).toEqual([voter(0).user.id, voter(1).user.id].sort());

    await server.api.ok('closePoll', { token: host.tokens.accessToken, params: { ...m(), pollId: poll.id } });
    expect(await vote(host, poll.id, [2])).toMatchObject({ status: 409 });
    expect(await counts(poll.id)).toEqual([1, 2, 0]);
  });

  it('counts a multiple-choice poll and an anonymous one that names no voter', async () => {
    const multiple = await server.api.ok('createPoll', {
      token: host.tokens.accessToken,
      params: m(),
      body: { question: 'Which days?', options: ['Mon', 'Tue', 'Wed'], multiple: true, open: true },
    });
    ids.multiple = multiple.id;
    await vote(voter(0), multiple.id, [0, 2]);
    await vote(voter(1), multiple.id, [2]);
    await vote(voter(2), multiple.id, [0, 1, 2]);
    expect(await counts(multiple.id)).toEqual([2, 1, 3]);

    const anonymous = await server.api.ok('createPoll', {
      token: host.tokens.accessToken,
      params: m(),
      body: { question: 'Secret?', options: ['Yes', 'No'], anonymous: true, open: true },
    });
    ids.anonymous = anonymous.id;
    await vote(voter(0), anonymous.id, [1]);
    await vote(voter(1), anonymous.id, [1]);
    expect(await vote(voter(1), anonymous.id, [0])).toMatchObject({ status: 409 });
    const result = await server.api.ok('listPolls', { token: voter(2).tokens.accessToken, params: m() });
    const secret = result.polls.find((p) => p.id === anonymous.id);
    expect(secret).toMatchObject({ voterCount: 2, options: [{ votes: 0 }, { votes: 2 }] });
    expect(secret?.options.every((o) => o.voterIds === null)).toBe(true);
    await watcher.next('poll.changed', (x) => x.poll.id === anonymous.id && x.poll.voterCount === 2);
    const heard = watcher.received.filter((x) => x.type === 'poll.changed' && x.poll.id === anonymous.id);
    const exposed = JSON.stringify([secret, heard]);
    for (const v of [voter(0), voter(1)]) expect(exposed).not.toContain(v.user.id);
  });

  it('orders questions by votes then time; upvotes are one per person and idempotent', async () => {
    const ask = (who: AuthSession, text: string) =>
      server.api.ok('askQuestion', { token: who.tokens.accessToken, params: m(), body: { text } });
    const upvote = (who: AuthSession, questionId: string, up: boolean) =>
      server.api.ok('upvoteQuestion', {
        token: who.tokens.accessToken,
        params: { ...m(), questionId },
        body: { up },
      });
    const early = await ask(voter(0), 'Early question');
    const popular = await ask(voter(1), 'Popular question');
    const late = await ask(voter(2), 'Late question');
    await upvote(voter(0), popular.id, true);
    await upvote(voter(0), popular.id, true);
    await upvote(voter(2), popular.id, true);
    await upvote(voter(1), late.id, true);
    await upvote(voter(2), late.id, true);
    const cleared = await upvote(voter(2), late.id, false);
    expect(cleared.votes).toBe(1);
    const list = await server.api.ok('listQuestions', { token: host.tokens.accessToken, params: m() });
    expect(list.questions.map((q) => [q.text, q.votes])).toEqual([
      ['Popular question', 2],
      ['Late question', 1],
      ['Early question', 0],
    ]);

    const attempt = await server.api.call('answerQuestion', {
      token: voter(0).tokens.accessToken,
      params: { ...m(), questionId: popular.id },
      body: { answer: 'me' },
    });
    expect(attempt).toMatchObject({ status: 403 });
    const answered = await server.api.ok('answerQuestion', {
      token: host.tokens.accessToken,
      params: { ...m(), questionId: popular.id },
      body: { answer: 'Next sprint' },
    });
    expect(answered).toMatchObject({ answered: true, answer: 'Next sprint' });
    await watcher.next('question.changed', (x) => x.question.id === popular.id && x.question.answered);
    const byAuthor = await server.api.ok('markQuestionAnswered', {
      token: voter(0).tokens.accessToken,
      params: { ...m(), questionId: early.id },
      body: { answered: true },
    });
    expect(byAuthor.answered).toBe(true);
    const notAuthor = await server.api.call('markQuestionAnswered', {
      token: voter(1).tokens.accessToken,
      params: { ...m(), questionId: late.id },
      body: { answered: true },
    });
    expect(notAuthor).toMatchObject({ status: 403 });
    const empty = await server.api.call('askQuestion', {
      token: voter(0).tokens.accessToken,
      params: m(),
      body: { text: '   ' },
    });
    expect(empty).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    expect(
      (await server.api.ok('listQuestions', { token: host.tokens.accessToken, params: m() })).questions,
    ).toHaveLength(3);
  });

  it('answers 404 to another organisation on every collaboration route and changes nothing', async () => {
    const t = host.tokens.accessToken;
    const session = await server.api.ok('createBreakouts', { token: t, params: m(), body: { rooms: [{ name: 'R' }] } });
    const questionId = (await server.api.ok('listQuestions', { token: t, params: m() })).questions[0]?.id ?? '';
    const snapshot = async () => ({
      polls: await server.api.ok('listPolls', { token: t, params: m() }),
      questions: await server.api.ok('listQuestions', { token: t, params: m() }),
      hands: await server.api.ok('listHands', { token: t, params: m() }),
      breakouts: await server.api.ok('getBreakouts', { token: t, params: m() }),
    });
    const before = await snapshot();
    const roomId = session.rooms[0]?.id ?? '';
    const poll = { ...m(), pollId: ids.single };
    const question = { ...m(), questionId };
    const attempts: readonly (readonly [RouteName, Record<string, string>, unknown?])[] = [
      ['getBreakouts', m()],
      ['createBreakouts', m(), { rooms: [{ name: 'x' }] }],
      ['assignBreakouts', m(), { mode: 'auto', userIds: [outsider.user.id], seed: 's' }],
      ['chooseBreakout', m(), { roomId }],
      ['openBreakouts', m(), {}],
      ['closeBreakouts', m(), {}],
      ['breakoutCountdown', m(), { seconds: 60 }],
      ['broadcastBreakouts', m(), { message: 'x' }],
      ['myBreakout', m()],
      ['joinBreakoutRoom', { ...m(), roomId }, {}],
      ['askBreakoutHelp', m(), {}],
      ['listHands', m()],
      ['raiseHand', m(), {}],
      ['lowerHand', m(), { userId: voter(0).user.id }],
      ['lowerAllHands', m(), {}],
      ['listPolls', m()],
      ['createPoll', m(), { question: 'x', options: ['a', 'b'] }],
      ['openPoll', poll, {}],
      ['closePoll', poll, {}],
      ['votePoll', poll, { options: [0] }],
      ['listQuestions', m()],
      ['askQuestion', m(), { text: 'x' }],
      ['upvoteQuestion', question, { up: true }],
      ['answerQuestion', question, { answer: 'x' }],
      ['markQuestionAnswered', question, { answered: true }],
      ['moderateQuestion', question, { moderation: 'published' }],
    ];
    const collabRoutes = (Object.keys(ROUTES) as RouteName[]).filter((n) =>
      /^\/meetings\/:meetingId\/(breakouts|hands|polls|questions)/.test(ROUTES[n].path),
    );
    expect(attempts.map(([name]) => name).sort()).toEqual(collabRoutes.sort());
    const outcomes: string[] = [];
    for (const [name, params, body] of attempts) {
      const reply = await server.api.call(name, { token: outsider.tokens.accessToken, params, body });
      outcomes.push(`${name} ${reply.status}`);
    }
    expect(outcomes).toEqual(attempts.map(([name]) => `${name} 404`));
    expect(await snapshot()).toEqual(before);
  });

  it('keeps poll results, questions, hands and breakout rooms across a restart; rooms whose countdown ran out meanwhile close', async () => {
    await server.api.ok('raiseHand', { token: voter(2).tokens.accessToken, params: m() });
    await server.api.ok('createBreakouts', {
      token: host.tokens.accessToken,
      params: m(),
      body: { rooms: [{ name: 'Kept' }] },
    });
    const breakouts = await server.api.ok('openBreakouts', {
      token: host.tokens.accessToken,
      params: m(),
      body: { durationSeconds: 600 },
    });
    const before = {
      polls: await server.api.ok('listPolls', { token: host.tokens.accessToken, params: m() }),
      questions: await server.api.ok('listQuestions', { token: host.tokens.accessToken, params: m() }),
      hands: await server.api.ok('listHands', { token: host.tokens.accessToken, params: m() }),
    };
    watcher.close();
    await server.close();
    // The countdown runs out while the server is down.
    const file = new SqliteDatabase(databasePath);
    file
      .prepare('UPDATE breakout_sessions SET ends_at = ? WHERE meeting_id = ?')
      .run(new Date(Date.now() - 1000).toISOString(), meeting.id);
    file.close();

    server = await startOn(databasePath);
    const t = host.tokens.accessToken;
    expect(await server.api.ok('listPolls', { token: t, params: m() })).toEqual(before.polls);
    expect(before.polls.polls.map((p) => p.options.map((o) => o.votes))).toEqual([
      [1, 2, 0],
      [2, 1, 3],
      [0, 2],
    ]);
    expect(await server.api.ok('listQuestions', { token: t, params: m() })).toEqual(before.questions);
    expect(await server.api.ok('listHands', { token: t, params: m() })).toEqual(before.hands);
    const after = await server.api.ok('getBreakouts', { token: t, params: m() });
    expect(after).toMatchObject({ status: 'closed', endsAt: null, rooms: breakouts.rooms });
    expect(breakouts.status).toBe('open');
    expect(
      await server.api.call('votePoll', {
        token: voter(2).tokens.accessToken,
        params: { ...m(), pollId: ids.anonymous },
        body: { options: [0] },
      }),
    ).toMatchObject({ status: 200 });
    expect(
      await server.api.call('votePoll', {
        token: voter(2).tokens.accessToken,
        params: { ...m(), pollId: ids.anonymous },
        body: { options: [1] },
      }),
    ).toMatchObject({ status: 409 });
  });
});
