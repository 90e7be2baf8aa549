import type { User } from './api/identity.ts';

/** A page of a list read by changes (`changesQuery`, `ChangesPageFields`). */
export type ChangesPage = { readonly cursor: number; readonly hasMore: boolean };

/**
 * Reads a list by changes from `since` (a cursor a client kept; null: from the start), `limit` at
 * a time, each page handed to `take` (which keeps its items and its cursor) before the next is
 * asked for, so a read cut short goes on from the last page kept. The people directory and the
 * decisions: the desktop keeps what it read in its cache, the browser client the people in memory.
 */
export async function readChanges<P extends ChangesPage>(
  list: (query: { since?: number; limit: number }) => Promise<P>,
  since: number | null,
  limit: number,
  take: (page: P) => void | Promise<void>,
): Promise<void> {
  let from = since;
  for (;;) {
    const page = await list(from === null ? { limit } : { since: from, limit });
    await take(page);
    // A full page moves the cursor on; one that did not (a server gone wrong) ends the read.
    if (!page.hasMore || page.cursor === from) return;
    from = page.cursor;
  }
}

/** The order the server lists everyone in (`GET /users`): as they were added, then by id. */
export const inOrderAdded = (a: User, b: User): number =>
  a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id);
