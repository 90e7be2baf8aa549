import type { User } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { hashPassword } from './auth.ts';
import { newId, nowIso } from './context.ts';

export const DEMO_PASSWORD = 'tandem-demo-password';
export const DEMO_PEOPLE = [
  { email: 'ada@tandem.example', name: 'Ada Demo', role: 'owner' },
  { email: 'grace@tandem.example', name: 'Grace Demo', role: 'member' },
] as const;

/** A demo organisation for people trying `npm start`; does nothing when it exists already. */
export async function seedDemo(store: Store): Promise<void> {
  if (await store.identity.emailTaken(DEMO_PEOPLE[0].email)) return;
  const now = nowIso();
  const organisation = { id: newId(), name: 'Tandem Demo', createdAt: now };
  const hash = await hashPassword(DEMO_PASSWORD);
  const [owner, ...others] = DEMO_PEOPLE.map((p): User => ({
    id: newId(),
    organisationId: organisation.id,
    email: p.email,
    name: p.name,
    role: p.role,
    status: 'active',
    createdAt: now,
  }));
  if (owner === undefined) return;
  await store.identity.createOrganisation(organisation, owner, hash);
  for (const user of others) await store.identity.insertUser(user, hash);
}
