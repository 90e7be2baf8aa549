import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { User } from '@tandem/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/index.ts';
import { auditService } from './audit.ts';
import { authService, hashToken, newToken } from './auth.ts';
import type { RequestOrigin } from './context.ts';

const ORIGIN: RequestOrigin = { address: '127.0.0.1', client: 'test' };
const SETTINGS = { accessTtlSeconds: 600, refreshTtlSeconds: 3600, refreshGraceSeconds: 10 };

/**
 * Token lookups against a real SQLite store, counted: what a burst of sockets authenticating at
 * once (an instance died and its clients came here; every socket re-checked after the bus came
 * back) costs the database.
 */
describe('access token lookups', () => {
  let dir: string;
  let store: Store;
  let user: User;
  const lookups: number[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-auth-'));
    store = await openStore(path.join(dir, 'server.db'));
    const now = new Date().toISOString();
    user = {
      id: randomUUID(),
      organisationId: randomUUID(),
      email: `${randomUUID()}@tandem.example`,
      name: 'Ada',
      role: 'member',
      status: 'active',
      createdAt: now,
    };
    await store.identity.createOrganisation({ id: user.organisationId, name: 'Org', createdAt: now }, user, 'hash');
  });
  afterAll(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A session of Ada's made in the store; answers its access token and session id. */
  async function session(): Promise<{ token: string; sessionId: string }> {
    const token = newToken();
    const sessionId = randomUUID();
    const soon = new Date(Date.now() + 600_000).toISOString();
    await store.identity.createSession(sessionId, user.id, new Date().toISOString(), {
      accessHash: hashToken(token),
      accessExpiresAt: soon,
      refreshHash: hashToken(newToken()),
      refreshExpiresAt: soon,
    });
    return { token, sessionId };
  }

  it('asks for a burst of tokens in one lookup (a query per 500), refuses the revoked and unknown ones, and caches the rest', async () => {
    const counted: Store = {
      ...store,
      identity: {
        ...store.identity,
        findAccess: (hashes, now) => {
          lookups.push(hashes.length);
          return store.identity.findAccess(hashes, now);
        },
      },
    };
    const auth = authService(counted, SETTINGS, () => undefined, auditService(store));
    const sessions = await Promise.all(Array.from({ length: 620 }, session));
    const revoked = sessions[7];
    if (revoked === undefined) throw new Error('no session');
    await store.identity.revokeSession(revoked.sessionId, new Date().toISOString());

    const answers = await Promise.allSettled([
      ...sessions.map((s) => auth.authenticate(s.token, ORIGIN)),
      auth.authenticate(newToken(), ORIGIN),
    ]);
    expect(lookups).toEqual([621]);
    const accepted = answers.filter((a) => a.status === 'fulfilled');
    expect(accepted).toHaveLength(619);
    for (const a of accepted) expect(a.value).toMatchObject({ user: { id: user.id } });
    expect(answers[7]).toMatchObject({ status: 'rejected', reason: { code: 'unauthenticated' } });
    expect(answers[620]).toMatchObject({ status: 'rejected', reason: { code: 'unauthenticated' } });

    // Known now: asked again, nothing goes to the store.
    await Promise.all(sessions.filter((s) => s !== revoked).map((s) => auth.authenticate(s.token, ORIGIN)));
    expect(lookups).toEqual([621]);
  });
});
