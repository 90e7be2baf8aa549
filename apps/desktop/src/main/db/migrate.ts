import type { Database } from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database to `target` (the newest by default), each step in its own transaction
 * together with its `user_version` bump, so a crash leaves a whole version. A database newer than
 * this build (a downgrade) is refused rather than guessed at.
 */
export function migrate(db: Database, target?: number, migrations: readonly Migration[] = MIGRATIONS): number {
  const newest = migrations.at(-1)?.version ?? 0;
  const goal = target ?? newest;
  const current = schemaVersion(db);
  if (current > newest) throw new Error(`cache schema ${current} is newer than this app knows (${newest})`);
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > goal) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return schemaVersion(db);
}
