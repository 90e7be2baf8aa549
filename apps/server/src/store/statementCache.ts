import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Prepared statements kept per connection: the server's queries are a few hundred distinct texts. */
const DEFAULT_CAPACITY = 500;

type Preparing = {
  close(): void;
  prepare(sql: string): SqliteStatement & { readonly busy: boolean };
};

/**
 * The SQLite connection as Kysely's dialect sees it, preparing each query text once. Kysely
 * prepares every query it runs; compiling the same SQL again was a sixth of the server's CPU under
 * chat load (BENCHMARKS.md, B2). The oldest statement goes when the cache is full (a query with an
 * `in (…)` list of a new length is a new text); a statement still being iterated is never handed
 * out twice.
 */
export function cachingStatements(database: Preparing, capacity = DEFAULT_CAPACITY): SqliteDatabase {
  const statements = new Map<string, SqliteStatement & { readonly busy: boolean }>();
  return {
    close: () => {
      statements.clear();
      database.close();
    },
    prepare(sql) {
      const cached = statements.get(sql);
      if (cached !== undefined && !cached.busy) return cached;
      const statement = database.prepare(sql);
      if (cached === undefined) {
        statements.set(sql, statement);
        if (statements.size > capacity) statements.delete(statements.keys().next().value as string);
      }
      return statement;
    },
  };
}
