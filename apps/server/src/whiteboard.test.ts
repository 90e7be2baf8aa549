import { annotations, type AuthSession, type Meeting } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { addPerson, signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

/** A valid pen record by `authorId`. */
function pen(
  id: string,
  authorId: string,
  over: Partial<annotations.FreehandElement> = {},
): annotations.AnnotationElement {
  return {
    id,
    authorId,
    version: 1,
    versionNonce: 7,
    index: 0,
    isDeleted: false,
    color: '#4cc9f0',
    strokeWidth: 0.004,
    kind: 'pen',
    points: [
      [0.1, 0.1],
      [0.2, 0.3],
    ],
    ...over,
  };
}

describe('a meeting whiteboard over real HTTP: kept with the meeting, scoped to its participants', () => {
  let server: TestServer;
  let host: AuthSession;
  let member: AuthSession;
  let bystander: AuthSession;
  let outsider: AuthSession;
  let meeting: Meeting;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    host = await signUp(server.api, 'board-host');
    member = await addPerson(server.api, host, 'board-member', 'member');
    bystander = await addPerson(server.api, host, 'board-bystander', 'member');
    outsider = await signUp(server.api, 'board-outsider');
    meeting = await server.api.ok('createMeeting', { token: host.tokens.accessToken, body: { title: 'Board' } });
    await server.api.ok('joinMeeting', {
      token: member.tokens.accessToken,
      params: { meetingId: meeting.id },
      body: {},
    });
  });
  afterAll(async () => {
    await server?.close();
  });

  const params = () => ({ meetingId: meeting.id });
  const save = (who: AuthSession, elements: unknown[]) =>
    server.api.call('saveWhiteboard', { token: who.tokens.accessToken, params: params(), body: { elements } });
  const board = (who: AuthSession) =>
    server.api.ok('getWhiteboard', { token: who.tokens.accessToken, params: params() });

  it('starts empty, keeps what participants draw and merges by version like every client', async () => {
    expect(await board(host)).toEqual({ elements: [], updatedAt: null });
    const mine = pen('m1', member.user.id);
    expect(await save(member, [mine])).toMatchObject({ status: 200, body: { changed: 1 } });
    const hers = pen('h1', host.user.id, { index: 1 });
    expect(await save(host, [hers])).toMatchObject({ status: 200, body: { changed: 1 } });

    // A newer version wins; an older one arriving late changes nothing; the same one twice is one.
    const moved = { ...mine, version: 2, versionNonce: 3, points: [[0.5, 0.5]] };
    expect(await save(member, [moved])).toMatchObject({ body: { changed: 1 } });
    expect(await save(member, [mine, moved])).toMatchObject({ body: { changed: 0 } });

    const read = await board(member);
    expect(read.updatedAt).not.toBeNull();
    const scene = annotations.reconcile(new Map(), read.elements);
    expect(scene.get('m1')).toEqual(moved);
    expect(scene.get('h1')).toEqual(hers);
  });

  it("refuses others' marks, except a host's tombstone, and lets the author erase and undo", async () => {
    const forged = await save(member, [pen('f1', host.user.id)]);
    expect(forged).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    const scene = annotations.reconcile(new Map(), (await board(host)).elements);
    // Taking over someone else's id is refused as well, whoever claims to be its author.
    const takeover = { ...pen('h1', member.user.id), version: 9 };
    expect(await save(member, [takeover])).toMatchObject({ status: 403 });
    // The host erases the member's stroke: a tombstone of someone else's element, allowed for hosts.
    const erased = annotations.erase(scene, ['m1']);
    expect(await save(host, erased)).toMatchObject({ status: 200, body: { changed: 1 } });
    // A member may not erase the host's.
    expect(await save(member, annotations.erase(scene, ['h1']))).toMatchObject({ status: 403 });
    const after = annotations.reconcile(new Map(), (await board(member)).elements);
    expect(after.get('m1')?.isDeleted).toBe(true);
    expect(annotations.paintOrder(after).map((e) => e.id)).toEqual(['h1']);
  });

  it('answers bad bodies with machine-readable errors', async () => {
    for (const body of [
      { elements: [] },
      { elements: [{ ...pen('b1', member.user.id), color: 'red' }] },
      { elements: [pen('b2', member.user.id)], extra: true },
      {
        elements: Array.from({ length: annotations.WHITEBOARD_LIMITS.recordsPerSave + 1 }, (_, i) =>
          pen(`n${i}`, member.user.id),
        ),
      },
    ]) {
      const reply = await server.api.call('saveWhiteboard', {
        token: member.tokens.accessToken,
        params: params(),
        body: body as never,
      });
      expect(reply).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    }
    // Records within the count and the body limit (64 KiB) but over the save budget (60 000 bytes).
    const long = Array.from({ length: 3 }, (_, i) =>
      pen(`long${i}`, member.user.id, {
        points: Array.from({ length: 1_280 }, (_p, j) => annotations.quantize([0.1234 + j / 100_000, 0.5678])),
      }),
    );
    expect(await save(member, long)).toMatchObject({ status: 400, body: { error: { code: 'bad_request' } } });
    const tooBig = await server.api.raw('POST', `/meetings/${meeting.id}/whiteboard/elements`, {
      headers: { authorization: `Bearer ${member.tokens.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ elements: [pen('x', member.user.id)], pad: 'x'.repeat(70_000) }),
    });
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
  });

  it('is refused to people of the organisation who did not take part (403) and to other organisations (404)', async () => {
    expect(
      await server.api.call('getWhiteboard', { token: bystander.tokens.accessToken, params: params() }),
    ).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
    expect(await save(bystander, [pen('by', bystander.user.id)])).toMatchObject({ status: 403 });
    expect(
      await server.api.call('getWhiteboard', { token: outsider.tokens.accessToken, params: params() }),
    ).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    expect(await save(outsider, [pen('out', outsider.user.id)])).toMatchObject({ status: 404 });
  });

  it('stays readable after the meeting ended and after a restart', async () => {
    await server.api.ok('endMeeting', { token: host.tokens.accessToken, params: params() });
    server = await server.restart();
    const read = await server.api.ok('getWhiteboard', { token: member.tokens.accessToken, params: params() });
    expect(new Set(read.elements.map((e) => e.id))).toEqual(new Set(['m1', 'h1']));
  });

  it('has no board in an end-to-end encrypted meeting: the server refuses to keep one', async () => {
    const sealed = await server.api.ok('createMeeting', {
      token: host.tokens.accessToken,
      body: { title: 'Sealed', settings: { e2ee: true } },
    });
    const reply = await server.api.call('saveWhiteboard', {
      token: host.tokens.accessToken,
      params: { meetingId: sealed.id },
      body: { elements: [pen('s1', host.user.id)] },
    });
    expect(reply).toMatchObject({ status: 409, body: { error: { code: 'conflict' } } });
    expect(
      await server.api.call('getWhiteboard', { token: host.tokens.accessToken, params: { meetingId: sealed.id } }),
    ).toMatchObject({ status: 409 });
  });
});
