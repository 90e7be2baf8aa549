import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { MIGRATIONS } from './db.ts';

/** A SQLite file migrated up to, not including, the migration named `next` (a test of that migration). */
export async function migrateUpTo(file: string, next: string): Promise<void> {
  const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < next));
  const { error } = await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest();
  await old.destroy();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}
