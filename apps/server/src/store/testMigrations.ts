import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { afterAll } from 'vitest';
import { MIGRATIONS } from './db.ts';
import { openStore } from './index.ts';
import type { Database } from './schema.ts';
import { orgWithChannel } from './testOrganisations.ts';

/** A folder of its own for a test file's databases, removed after the file's tests. */
export function scratchDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A Kysely on the SQLite `file` that keeps the text of every statement it prepares (`prepared`):
 * a store made on it runs as the server's does, and its statements' plans can then be read.
 */
export function recordingDb<DB>(file: string): { readonly db: Kysely<DB>; readonly prepared: ReadonlySet<string> } {
  const prepared = new Set<string>();
  const sqlite = new SqliteDatabase(file);
  const db = new Kysely<DB>({
    dialect: new SqliteDialect({
      database: {
        prepare(text) {
          prepared.add(text);
          return sqlite.prepare(text);
        },
        close: () => sqlite.close(),
      },
    }),
  });
  return { db, prepared };
}

/**
 * A SQLite file `file` with one organisation (its owner, `ada`, and a public channel), and the
 * store's statements recorded on it from then on (`recordingDb`): for the tests of their plans.
 */
export async function recordedOrganisation(file: string, at: string) {
  const store = await openStore(file);
  const { user, channel } = await orgWithChannel(store, 'ada', at);
  await store.close();
  return { user, channel, ...recordingDb<Database>(file) };
}

/** The plan SQLite picks for a statement on `file` with `params` (all null when none are given), one line per step. */
export function queryPlan(file: string, statement: string, ...params: unknown[]): string {
  const db = new SqliteDatabase(file, { readonly: true });
  try {
    const values = params.length > 0 ? params : Array<null>(statement.split('?').length - 1).fill(null);
    const rows = db.prepare(`EXPLAIN QUERY PLAN ${statement}`).all(...values) as { detail: string }[];
    return rows.map((r) => r.detail).join('\n');
  } finally {
    db.close();
  }
}

/** A SQLite file migrated up to, not including, the migration named `next` (a test of that migration). */
export async function migrateUpTo(file: string, next: string): Promise<void> {
  const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
  const before = Object.fromEntries(Object.entries(MIGRATIONS).filter(([name]) => name < next));
  const { error } = await new Migrator({ db: old, provider: { getMigrations: async () => before } }).migrateToLatest();
  await old.destroy();
  if (error !== undefined) throw error instanceof Error ? error : new Error(String(error));
}
