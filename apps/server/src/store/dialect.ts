import {
  PostgresAdapter,
  sql,
  type ColumnDefinitionBuilder,
  type DialectAdapter,
  type ColumnDataType,
  type CompiledQuery,
  type Expression,
  type Kysely,
  type RawBuilder,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { Database } from './schema.ts';

/**
 * What differs between the two stores (SQLite embedded, PostgreSQL for several instances), kept
 * here so store files and migrations branch in one place. Everything else is plain Kysely.
 */
export function isPostgres(db: { getExecutor(): { readonly adapter: DialectAdapter } }): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Makes the transaction wait for any other that locked the same row, for a read-then-write that
 * must not interleave (the next seq, the next key generation). SQLite runs one transaction at a
 * time already; PostgreSQL runs them side by side, so the row is locked (`FOR UPDATE`).
 */
export async function lockRow(
  tx: Transaction<Database>,
  table: 'conversations' | 'meetings',
  id: string,
): Promise<void> {
  for (const query of rowLocks(tx, table, [id])) await tx.executeQuery(query);
}

/** The statement that locks the rows `ids` of `table` in id order (PostgreSQL), none on SQLite. */
export function rowLocks(
  db: Kysely<Database>,
  table: 'conversations' | 'meetings',
  ids: readonly string[],
): CompiledQuery[] {
  if (!isPostgres(db) || ids.length === 0) return [];
  return [db.selectFrom(table).select('id').where('id', 'in', ids).orderBy('id').forUpdate().compile()];
}

/**
 * The statements that lock the conversations' rows and then their organisations' (whose change
 * offsets their events bump), `lockRow` for several conversations at once: each kind in id
 * order, conversations first, as a single append takes them too, so two transactions never wait
 * on each other in a circle. None on SQLite.
 */
export function conversationLocks(db: Kysely<Database>, conversationIds: readonly string[]): CompiledQuery[] {
  if (!isPostgres(db) || conversationIds.length === 0) return [];
  return [
    ...rowLocks(db, 'conversations', conversationIds),
    db
      .selectFrom('organisations')
      .select('id')
      .where('id', 'in', db.selectFrom('conversations').select('organisation_id').where('id', 'in', conversationIds))
      .orderBy('id')
      .forUpdate()
      .compile(),
  ];
}

/**
 * An integer primary key the database numbers itself: SQLite's `integer primary key
 * autoincrement` (unchanged from what the migrations always created), PostgreSQL's identity.
 */
export function autoIncrementKey<DB>(
  db: Kysely<DB>,
): [ColumnDataType, (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder] {
  return isPostgres(db)
    ? ['integer', (c) => c.primaryKey().generatedByDefaultAsIdentity()]
    : ['integer', (c) => c.primaryKey().autoIncrement()];
}

/**
 * An integer that may pass 2^31 (byte sizes, organisation-wide offsets): SQLite's integers are
 * 64-bit already; PostgreSQL's `bigint` (read back as a number, see db.ts).
 */
export function bigInteger<DB>(db: Kysely<DB>): ColumnDataType {
  return isPostgres(db) ? 'bigint' : 'integer';
}

/** `%words%` for LIKE, its own wildcards escaped with a backslash. */
export const likeWords = (words: string): string => `%${words.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * `text` contains `words` without regard to case: SQLite's LIKE already ignores ASCII case;
 * PostgreSQL's ILIKE ignores case in every script. A substring match on both (no word stemming),
 * so the same search finds the same messages on either store.
 */
export function containsWords<DB>(db: Kysely<DB>, text: Expression<unknown>, words: string): RawBuilder<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${text} ilike ${likeWords(words)} escape '\\'`
    : sql<SqlBool>`${text} like ${likeWords(words)} escape '\\'`;
}

/** `column` is one of `values` with one bound parameter however many there are. */
export function inList<DB>(
  db: Kysely<DB>,
  column: Expression<unknown>,
  values: readonly string[],
): RawBuilder<SqlBool> {
  return isPostgres(db)
    ? sql<SqlBool>`${column} = any(${[...values]}::text[])`
    : sql<SqlBool>`${column} in (select value from json_each(${JSON.stringify(values)}))`;
}

/**
 * The JSON object stored as text in `column` has each of `fields` at its top level with that
 * value: PostgreSQL's containment (`@>`), SQLite's `json_extract` per field (which answers a JSON
 * boolean as 1 or 0).
 */
export function jsonMatches<DB>(
  db: Kysely<DB>,
  column: Expression<unknown>,
  fields: Readonly<Record<string, boolean | string | number>>,
): RawBuilder<SqlBool> {
  if (isPostgres(db)) return sql<SqlBool>`${column}::jsonb @> ${JSON.stringify(fields)}::jsonb`;
  const each = Object.entries(fields).map(
    ([key, value]) =>
      sql`json_extract(${column}, ${`$.${key}`}) = ${typeof value === 'boolean' ? Number(value) : value}`,
  );
  return sql<SqlBool>`(${sql.join(each, sql` and `)})`;
}
