import { randomUUID } from 'node:crypto';
import { NO_PASSWORD, hashToken, newToken, openStore } from '@tandem/server';
import type { User } from '@tandem/shared';
import type { Member } from './orgClient.ts';

/** How long a seeded session's access token lives: longer than any benchmark run. */
const SEEDED_SESSION_MS = 3 * 60 * 60 * 1000;

/**
 * `organisations` organisations of `people` each (the owner first), with a signed-in session per
 * person, written straight into the server's store at `location` (its SQLite file or PostgreSQL
 * URL) as sign-up, adding people and sign-in would, but without password hashes: scrypt takes
 * 0.3–0.7 s a hash by design (services/auth.ts), so at 5,000 and 10,000 sockets a benchmark's
 * set-up through the API took longer than its measurement. Nobody can sign in to these accounts
 * by password; their tokens work as any session's.
 */
export async function seedOrganisations(location: string, organisations: number, people: number): Promise<Member[][]> {
  const store = await openStore(location);
  try {
    const out: Member[][] = [];
    for (let o = 0; o < organisations; o += 1) {
      const now = new Date().toISOString();
      const tag = randomUUID().slice(0, 8);
      const organisation = { id: randomUUID(), name: `bench-${tag}`, createdAt: now };
      const person = (i: number): User => ({
        id: randomUUID(),
        organisationId: organisation.id,
        email: `p${i}-${tag}@bench.test`,
        name: i === 0 ? 'Owner' : `Member ${i}`,
        role: i === 0 ? 'owner' : 'member',
        status: 'active',
        createdAt: now,
      });
      const users = Array.from({ length: people }, (_, i) => person(i));
      const [owner, ...rest] = users;
      if (owner === undefined) throw new Error('an organisation needs an owner');
      await store.identity.createOrganisation(organisation, owner, NO_PASSWORD);
      for (const user of rest) await store.identity.insertUser(user, NO_PASSWORD);
      const members: Member[] = [];
      for (const user of users) {
        const accessToken = newToken();
        const expiresAt = new Date(Date.now() + SEEDED_SESSION_MS).toISOString();
        await store.identity.createSession(randomUUID(), user.id, now, {
          accessHash: hashToken(accessToken),
          accessExpiresAt: expiresAt,
          refreshHash: hashToken(newToken()),
          refreshExpiresAt: expiresAt,
        });
        members.push({ userId: user.id, accessToken });
      }
      out.push(members);
    }
    return out;
  } finally {
    await store.close();
  }
}
