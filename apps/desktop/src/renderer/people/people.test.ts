import type { Role, User } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { assignableRoles, createPeopleController, managesPeople, mayChange, withPerson } from './people.ts';

const person = (id: string, role: Role): User => ({
  id,
  organisationId: 'o1',
  email: `${id}@example.org`,
  name: id,
  role,
  status: 'active',
  createdAt: '2026-11-26T09:00:00.000Z',
});

describe('people rules on screen', () => {
  const owner = person('owner', 'owner');
  const admin = person('admin', 'admin');
  const member = person('member', 'member');

  it('lets owners and admins manage people, and only owners make owners', () => {
    expect([owner, admin, member, person('guest', 'guest')].map(managesPeople)).toEqual([true, true, false, false]);
    expect(assignableRoles(owner)).toContain('owner');
    expect(assignableRoles(admin)).toEqual(['admin', 'member', 'guest']);
  });

  it('offers no change of an owner to an admin, and no self-deactivation', () => {
    expect(mayChange(admin, owner)).toEqual({ role: false, deactivate: false });
    expect(mayChange(admin, member)).toEqual({ role: true, deactivate: true });
    expect(mayChange(owner, owner)).toEqual({ role: true, deactivate: false });
    expect(mayChange(owner, admin)).toEqual({ role: true, deactivate: true });
    expect(mayChange(member, admin)).toEqual({ role: false, deactivate: false });
  });

  it('puts a changed person in place and a new one at the end', () => {
    const changed = { ...member, status: 'deactivated' as const };
    expect(withPerson([owner, member], changed)).toEqual([owner, changed]);
    expect(withPerson([owner], member)).toEqual([owner, member]);
  });

  it('forwards each action with its path parameters and body', async () => {
    const calls: unknown[] = [];
    const answer = async (request: unknown) => (calls.push(request), member);
    const controller = createPeopleController({
      peopleList: async () => ({ users: [owner], cursor: 1, hasMore: false, reset: false }),
      peopleAdd: answer,
      peopleUpdate: answer,
      peopleDeactivate: answer,
      peopleReactivate: answer,
    });
    expect(await controller.list()).toEqual([owner]);
    await controller.setRole('u1', 'guest');
    await controller.deactivate('u2');
    expect(calls).toEqual([
      { params: { userId: 'u1' }, body: { role: 'guest' } },
      { params: { userId: 'u2' }, body: {} },
    ]);
  });
});
