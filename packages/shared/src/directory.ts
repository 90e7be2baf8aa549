import { USER_PAGE_LIMIT, type User, type UserList, type UserListQuery } from './api/identity.ts';

/**
 * Reads the people directory from `since` (a cursor a client kept; null: from the start), a page
 * of USER_PAGE_LIMIT at a time, each handed to `take` (which keeps its people and its cursor)
 * before the next is asked for, so a read cut short goes on from the last page kept. The desktop
 * keeps what it read in its cache, the browser client in memory.
 */
export async function readDirectory(
  list: (query: UserListQuery) => Promise<UserList>,
  since: number | null,
  take: (page: UserList) => void | Promise<void>,
): Promise<void> {
  let from = since;
  for (;;) {
    const page = await list(from === null ? { limit: USER_PAGE_LIMIT } : { since: from, limit: USER_PAGE_LIMIT });
    await take(page);
    // A full page moves the cursor on; one that did not (a server gone wrong) ends the read.
    if (!page.hasMore || page.cursor === from) return;
    from = page.cursor;
  }
}

/** The order the server lists everyone in (`GET /users`): as they were added, then by id. */
export const inOrderAdded = (a: User, b: User): number =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
