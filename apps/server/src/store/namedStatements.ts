import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from 'kysely';
import type pg from 'pg';

/**
 * Statements PostgreSQL keeps prepared. An unnamed statement is parsed, analysed and planned
 * again by PostgreSQL on every execution; a named one once per connection, after which each
 * execution sends only its values. A chat post was some eight statements on PostgreSQL, and
 * planning them was half of PostgreSQL's CPU a post (B2X: 1.0 → 0.5 ms; docs/deploy). As Npgsql's
 * auto-prepare does, a statement is named once it has been sent `usesBeforeNaming` times, so the
 * hot statements are named whatever builds them and one-off ones (migrations, reports) are not;
 * at most `maxNamed` are, so a connection's prepared statements stay bounded.
 */
export type NamingLimits = {
  readonly usesBeforeNaming: number;
  readonly maxNamed: number;
};

const DEFAULT_NAMING: NamingLimits = { usesBeforeNaming: 5, maxNamed: 200 };

/** Texts counted while not yet named; past this many the counts start again, so rare texts cannot grow it. */
const MAX_COUNTED = 2_000;

/**
 * PostgreSQL's `feature_not_supported`, which a named statement answers when a table it reads
 * changed the shape of its rows since it was prepared ("cached plan must not change result
 * type", a `SELECT *` after another instance's migration added a column).
 */
const STALE_STATEMENT = '0A000';

/** The name a statement's text is sent under, or undefined while it stays unnamed. */
export function statementNamer(limits: NamingLimits = DEFAULT_NAMING): (text: string) => string | undefined {
  const named = new Map<string, string>();
  const uses = new Map<string, number>();
  return (text) => {
    const name = named.get(text);
    if (name !== undefined || named.size >= limits.maxNamed) return name;
    const count = (uses.get(text) ?? 0) + 1;
    if (count < limits.usesBeforeNaming) {
      if (uses.size >= MAX_COUNTED) uses.clear();
      uses.set(text, count);
      return undefined;
    }
    uses.delete(text);
    const fresh = `tandem_${named.size + 1}`;
    named.set(text, fresh);
    return fresh;
  };
}

const codeOf = (error: unknown): unknown =>
  typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;

/**
 * `pool` for Kysely's PostgreSQL dialect, sending each statement with values under the name
 * `nameOf` gives it (statements without values, BEGIN and COMMIT, go as simple queries). A
 * connection whose named statement turned stale is closed when released, not reused: PostgreSQL
 * refuses that statement on it until it is dropped, which an aborted transaction cannot do; its
 * caller's statement fails once and the next connection prepares the statement afresh.
 */
export function namingPool(pool: pg.Pool, nameOf: (text: string) => string | undefined): PostgresPool {
  const clients = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  const wrap = (client: pg.PoolClient): PostgresPoolClient => {
    let stale = false;
    async function send(text: string, values: unknown[]): Promise<pg.QueryResult> {
      const name = values.length === 0 ? undefined : nameOf(text);
      if (name === undefined) return client.query(text, values);
      try {
        return await client.query({ name, text, values });
      } catch (error) {
        if (codeOf(error) === STALE_STATEMENT) stale = true;
        throw error;
      }
    }
    function query<R>(sql: string, parameters: readonly unknown[]): Promise<PostgresQueryResult<R>>;
    function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    function query(sql: string | PostgresCursor<unknown>, parameters: readonly unknown[] = []): unknown {
      // Kysely streams through a cursor only when the dialect is given one, which ours is not.
      if (typeof sql !== 'string') throw new Error('no cursor is configured for streaming from PostgreSQL');
      return send(sql, [...parameters]);
    }
    return { query, release: (destroy?: boolean) => client.release(destroy === true || stale) };
  };
  return {
    async connect() {
      const client = await pool.connect();
      let wrapped = clients.get(client);
      if (wrapped === undefined) {
        wrapped = wrap(client);
        clients.set(client, wrapped);
      }
      return wrapped;
    },
    end: () => pool.end(),
  };
}
