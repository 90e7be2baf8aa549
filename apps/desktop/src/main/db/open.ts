import Database from 'better-sqlite3';
import { migrate } from './migrate.ts';

/**
 * Opens the cache file ready for use: WAL, foreign keys, schema brought to the newest version.
 * `nativeBinding` is the compiled better-sqlite3 to load (an Electron build, see nativeBinding.ts);
 * undefined loads the package's own.
 */
export function openDatabase(file: string, nativeBinding?: string): Database.Database {
  const db = new Database(file, nativeBinding === undefined ? {} : { nativeBinding });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}
