import type { CreateUserRequest, Role, TandemClient, User } from '@tandem/shared';
import { createContext, useContext } from 'react';
import type { MessageId } from '../i18n/locales/en.ts';

/** Each role's name, from the message catalogue. */
export const ROLE_LABELS: Readonly<Record<Role, MessageId>> = {
  owner: 'people.role.owner',
  admin: 'people.role.admin',
  member: 'people.role.member',
  guest: 'people.role.guest',
};

/** Only owners and admins manage people (the server refuses anyone else). */
export const managesPeople = (me: User): boolean => me.role === 'owner' || me.role === 'admin';

/** The roles `me` may give: only an owner makes an owner. */
export const assignableRoles = (me: User): readonly Role[] =>
  me.role === 'owner' ? ['owner', 'admin', 'member', 'guest'] : ['admin', 'member', 'guest'];

/**
 * What `me` may do to `person`, so the screen offers nothing the server would refuse on sight:
 * only an owner changes an owner, and nobody deactivates themselves. (The last owner's demotion
 * is the server's to refuse: it knows how many owners there are right now.)
 */
export function mayChange(me: User, person: User): { readonly role: boolean; readonly deactivate: boolean } {
  const allowed = managesPeople(me) && (person.role !== 'owner' || me.role === 'owner');
  return { role: allowed, deactivate: allowed && person.id !== me.id };
}

/** The people list with one person's new record in place (or added at the end). */
export const withPerson = (people: readonly User[], person: User): User[] =>
  people.some((p) => p.id === person.id) ? people.map((p) => (p.id === person.id ? person : p)) : [...people, person];

/** What the People section asks of main: the list from the directory the app keeps, each change forwarded to the server's route. */
export type PeopleController = {
  list(): Promise<readonly User[]>;
  add(request: CreateUserRequest): Promise<User>;
  setRole(userId: string, role: Role): Promise<User>;
  deactivate(userId: string): Promise<User>;
  reactivate(userId: string): Promise<User>;
};

export function createPeopleController(
  client: Pick<TandemClient, 'peopleList' | 'peopleAdd' | 'peopleUpdate' | 'peopleDeactivate' | 'peopleReactivate'>,
): PeopleController {
  return {
    list: async () => (await client.peopleList()).users,
    add: (body) => client.peopleAdd({ params: {}, body }),
    setRole: (userId, role) => client.peopleUpdate({ params: { userId }, body: { role } }),
    deactivate: (userId) => client.peopleDeactivate({ params: { userId }, body: {} }),
    reactivate: (userId) => client.peopleReactivate({ params: { userId }, body: {} }),
  };
}

/** Provided by the composition root (`main.tsx`) with `createPeopleController(client)`. */
export const PeopleControllerContext = createContext<PeopleController | undefined>(undefined);

export function usePeopleController(): PeopleController {
  const controller = useContext(PeopleControllerContext);
  if (controller === undefined) throw new Error('usePeopleController must be used inside PeopleControllerContext');
  return controller;
}
