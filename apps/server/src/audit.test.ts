import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { onDatabase, PASSWORD, signUp, startTestServer, uniqueEmail, type TestServer } from './testSupport.ts';

/**
 * The audit log's core (issue 13): what sign-up, sign-in and its failures, sign-out and a spent
 * refresh token write, with the caller's address and client, over real HTTP; and that the table
 * refuses to be changed. The read side (`GET /audit`, export) has tests of its own.
 */

const livekit = inject('livekit');

type Row = {
  organisation_id: string;
  action: string;
  actor_kind: string;
  actor_id: string | null;
  target_id: string | null;
  address: string;
  client: string;
  detail: string;
};

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer(livekit);
});
afterAll(() => server.close());

const rows = (organisationId: string): Promise<Row[]> =>
  onDatabase<Row>(server, 'SELECT * FROM audit_log WHERE organisation_id = ? ORDER BY seq', organisationId);

const post = (path: string, body: unknown, client: string) =>
  server.api.raw('POST', path, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'user-agent': client },
  });

describe('the audit log', () => {
  it('records sign-up, a failed and a good sign-in, and sign-out, with who, where from and which client', async () => {
    const email = uniqueEmail('ada');
    const up = await post(
      '/auth/signup',
      { organisationName: 'Audit org', name: 'Ada', email, password: PASSWORD },
      'probe/1',
    );
    expect(up.status).toBe(201);
    const session = (await up.json()) as { user: { id: string; organisationId: string } };
    const org = session.user.organisationId;

    expect((await post('/auth/signin', { email, password: 'not the password' }, 'probe/2')).status).toBe(401);
    const good = await post('/auth/signin', { email, password: PASSWORD }, 'probe/3');
    const tokens = ((await good.json()) as { tokens: { accessToken: string } }).tokens;
    const out = await server.api.raw('POST', '/auth/signout', {
      headers: { authorization: `Bearer ${tokens.accessToken}`, 'user-agent': 'probe/4' },
    });
    expect(out.status).toBe(200);

    const log = await rows(org);
    expect(log.map((r) => [r.action, r.client])).toEqual([
      ['auth.signed_up', 'probe/1'],
      ['auth.sign_in_failed', 'probe/2'],
      ['auth.sign_in', 'probe/3'],
      ['auth.sign_out', 'probe/4'],
    ]);
    expect(log.every((r) => r.address === '127.0.0.1')).toBe(true);
    const [, failed, signedIn, signedOut] = log;
    // A failure names the account tried, never who tried it (they are not known).
    expect(failed).toMatchObject({ actor_kind: 'anonymous', actor_id: null, target_id: session.user.id });
    expect(JSON.parse(failed?.detail ?? '{}')).toEqual({ reason: 'wrong_password' });
    expect(signedIn).toMatchObject({ actor_kind: 'person', actor_id: session.user.id });
    expect(JSON.parse(signedIn?.detail ?? '{}')).toEqual({ method: 'password' });
    expect(signedOut).toMatchObject({ actor_id: session.user.id });
  });

  it('records a spent refresh token presented again, and the session it revoked', async () => {
    const ada = await signUp(server.api, 'ada');
    await server.api.ok('refresh', { body: { refreshToken: ada.tokens.refreshToken } });
    // Past the grace window a second use is theft: tokens made with a zero grace show it at once.
    const strict = await startTestServer(livekit, { auth: { refreshGraceSeconds: 0 } });
    try {
      const bob = await signUp(strict.api, 'bob');
      await strict.api.ok('refresh', { body: { refreshToken: bob.tokens.refreshToken } });
      expect((await strict.api.call('refresh', { body: { refreshToken: bob.tokens.refreshToken } })).status).toBe(401);
      const reused = await onDatabase<Row>(strict, "SELECT * FROM audit_log WHERE action = 'auth.refresh_reused'");
      expect(reused).toHaveLength(1);
      expect(reused[0]).toMatchObject({ organisation_id: bob.user.organisationId, target_id: bob.user.id });
    } finally {
      await strict.close();
    }
  });

  it('keeps each organisation to its own log', async () => {
    const a = await signUp(server.api, 'ann');
    const b = await signUp(server.api, 'ben');
    expect((await rows(a.user.organisationId)).every((r) => r.actor_id === a.user.id)).toBe(true);
    expect((await rows(b.user.organisationId)).map((r) => r.actor_id)).toEqual([b.user.id]);
  });

  it('refuses every change and deletion of an entry, whoever asks', async () => {
    const ada = await signUp(server.api, 'ada');
    const org = ada.user.organisationId;
    await expect(
      onDatabase(server, "UPDATE audit_log SET action = 'x' WHERE organisation_id = ?", org),
    ).rejects.toThrow(/append-only/);
    await expect(onDatabase(server, 'DELETE FROM audit_log WHERE organisation_id = ?', org)).rejects.toThrow(
      /append-only/,
    );
    expect((await rows(ada.user.organisationId)).map((r) => r.action)).toEqual(['auth.signed_up']);
  });
});
