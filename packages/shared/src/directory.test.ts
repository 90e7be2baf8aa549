import { describe, expect, it } from 'vitest';
import { USER_PAGE_LIMIT, type User, type UserList, type UserListQuery } from './api/identity.ts';
import { readChanges } from './directory.ts';

const person = (n: number): User => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  organisationId: '00000000-0000-4000-8000-000000000000',
  email: `p${n}@tandem.example`,
  name: `Person ${n}`,
  role: 'member',
  status: 'active',
  createdAt: '2026-12-05T10:00:00.000Z',
});

/** A directory of `size` people at positions 1…size, paged as the server pages it. */
function directory(size: number, stuckAt?: number) {
  const asked: UserListQuery[] = [];
  const list = async (query: UserListQuery): Promise<UserList> => {
    asked.push(query);
    const from = query.since ?? 0;
    const limit = query.limit ?? size;
    const upTo = Math.min(size, from + limit);
    const users = Array.from({ length: upTo - from }, (_, i) => person(from + i + 1));
    // A server gone wrong answers a full page without moving on.
    if (stuckAt !== undefined && from >= stuckAt) return { users, cursor: from, hasMore: true, reset: false };
    return { users, cursor: upTo, hasMore: upTo < size, reset: false };
  };
  return { asked, list };
}

describe('readChanges (the people directory)', () => {
  it('reads everyone a page at a time the first time, handing each page over before asking for the next', async () => {
    const { asked, list } = directory(2 * USER_PAGE_LIMIT + 5);
    const pages: number[] = [];
    await readChanges(list, null, USER_PAGE_LIMIT, (page) => {
      // The next page is asked for only after this one was kept.
      expect(asked).toHaveLength(pages.length + 1);
      pages.push(page.users.length);
    });
    expect(asked).toEqual([
      { limit: USER_PAGE_LIMIT },
      { since: USER_PAGE_LIMIT, limit: USER_PAGE_LIMIT },
      { since: 2 * USER_PAGE_LIMIT, limit: USER_PAGE_LIMIT },
    ]);
    expect(pages).toEqual([USER_PAGE_LIMIT, USER_PAGE_LIMIT, 5]);
  });

  it('reads only what changed after a kept cursor, and stops when a full page does not move on', async () => {
    const changed = directory(12);
    const kept: number[] = [];
    await readChanges(changed.list, 10, USER_PAGE_LIMIT, (page) => {
      kept.push(page.cursor);
    });
    expect(changed.asked).toEqual([{ since: 10, limit: USER_PAGE_LIMIT }]);
    expect(kept).toEqual([12]);

    const stuck = directory(3 * USER_PAGE_LIMIT, USER_PAGE_LIMIT);
    await readChanges(stuck.list, null, USER_PAGE_LIMIT, () => {});
    expect(stuck.asked).toHaveLength(2);
  });
});
