import { sql, type Transaction } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/**
 * Lists read by changes (`GET /users`, `GET /decisions`): each organisation numbers the changes
 * of each such list (its column on `organisations`), and each item keeps the position of its
 * latest change, so a client reads what changed after the position it holds.
 */
export type PositionColumn = 'directory_seq' | 'decisions_seq';

/** A page of a list read by changes: `cursor` is the next `since`; `hasMore`, the page was full. */
export type ChangesPage<T> = {
  readonly items: T[];
  readonly cursor: number;
  readonly hasMore: boolean;
  /** `since` was ahead of the list (a server restored from an older backup): read from the start. */
  readonly reset: boolean;
};

/**
 * The organisation's next position in `column`, taken in `tx` with the change: the
 * organisation's row stays locked until the transaction ends, so positions commit in the order
 * they are taken and a reader paging by `since` never passes one that commits later.
 */
export async function nextPosition(
  tx: Transaction<Database>,
  organisationId: string,
  column: PositionColumn,
): Promise<number> {
  const { rows } = await sql<{ position: number }>`UPDATE organisations SET ${sql.ref(column)} = ${sql.ref(column)} + 1
    WHERE id = ${organisationId} RETURNING ${sql.ref(column)} AS position`.execute(tx);
  const [row] = rows;
  if (row === undefined) throw new Error(`no organisation ${organisationId}`);
  return row.position;
}

/**
 * What changed after `since` (0: everything), at most `limit` (undefined: all): `read(from,
 * upTo)` answers the items past position `from` in position order, `upTo` of them at most
 * (undefined: all), and `positionOf` tells an item's position.
 */
export async function changedSince<T>(
  db: Db,
  organisationId: string,
  column: PositionColumn,
  since: number,
  limit: number | undefined,
  read: (from: number, upTo: number | undefined) => Promise<T[]>,
  positionOf: (item: T) => number,
): Promise<ChangesPage<T>> {
  const latest = await db
    .selectFrom('organisations')
    .select(sql<number>`${sql.ref(column)}`.as('position'))
    .where('id', '=', organisationId)
    .executeTakeFirstOrThrow();
  const reset = since > latest.position;
  const from = reset ? 0 : since;
  const rows = await read(from, limit === undefined ? undefined : limit + 1);
  const items = limit === undefined ? rows : rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    cursor: last === undefined ? from : positionOf(last),
    hasMore: rows.length > items.length,
    reset,
  };
}
