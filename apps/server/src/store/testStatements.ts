import { sql } from 'kysely';
import { openDatabase } from './db.ts';

/**
 * For tests only (`onDatabase` in testSupport.ts): one statement on the database at `location`
 * (a SQLite file or a PostgreSQL URL), each `?` a parameter, through its own short-lived connection.
 */
export async function statementOn<R>(location: string, text: string, params: readonly unknown[]): Promise<R[]> {
  const parts = text.split('?');
  if (parts.length !== params.length + 1) throw new Error(`${params.length} parameters for ${parts.length - 1} ?`);
  const statement = sql.join(
    parts.map((part, i) => (i < params.length ? sql`${sql.raw(part)}${params[i]}` : sql.raw(part))),
    sql``,
  );
  const db = await openDatabase(location, { poolSize: 1 });
  try {
    return (await statement.execute(db)).rows as R[];
  } finally {
    await db.destroy();
  }
}
