import path from 'node:path';
import type { AuthSession } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/client.ts';
import { useTempFolder } from '../db/testing.ts';
import type { Emit } from './events.ts';
import { memorySecretStore } from './secretStore.ts';
import { createSession } from './session.ts';

const tempDir = useTempFolder('tandem-session-');
const AT = '2026-01-01T00:00:00.000Z';
const LATER = '2099-01-01T00:00:00.000Z';
const SIGNED_IN: AuthSession = {
  user: {
    id: '01J0000000000000000000USER',
    organisationId: '01J00000000000000000000ORG',
    email: 'bob@example.test',
    name: 'Bob',
    role: 'member',
    status: 'active',
    createdAt: AT,
  },
  organisation: { id: '01J00000000000000000000ORG', name: 'Example', createdAt: AT },
  tokens: { accessToken: 'a', accessTokenExpiresAt: LATER, refreshToken: 'r', refreshTokenExpiresAt: LATER },
};

describe('session in the real cache', () => {
  it('two reports of one deactivation at the same moment (socket close, refused refresh) end the session once', async () => {
    const db = await openDb(path.join(tempDir(), 'cache.db'));
    const ended: unknown[] = [];
    const emit: Emit = (event, payload) => {
      if (event === 'auth:ended') ended.push(payload);
    };
    try {
      // Nothing listens on port 9: the client-config look-up fails at once, as offline.
      const session = createSession({ db, secrets: memorySecretStore(), emit, deviceKeys: [] });
      await session.signInWith('http://127.0.0.1:9', async () => SIGNED_IN);
      expect(session.current()?.user.id).toBe(SIGNED_IN.user.id);

      await Promise.all([session.deactivated(), session.deactivated()]);
      expect(ended).toEqual([{ reason: 'deactivated' }]);
      expect(session.current()).toBeNull();
      expect(session.hasTokens()).toBe(false);
    } finally {
      await db.close();
    }
  });
});
