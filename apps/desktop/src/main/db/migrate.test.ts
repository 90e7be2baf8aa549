import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate, schemaVersion } from './migrate.ts';
import { MIGRATIONS, type Migration } from './migrations/index.ts';
import { useTempFolder } from './testing.ts';

const tempDir = useTempFolder();

describe('migrate', () => {
  it('numbers the migrations 1, 2, 3… with no gap, so user_version names exactly one schema', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1));
  });

  it('leaves a failed step wholly undone, at the version before it', () => {
    const db = new Database(path.join(tempDir(), 'cache.db'));
    const broken: Migration = {
      version: 2,
      name: 'fails halfway',
      up(d) {
        d.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('disk full');
      },
    };
    const steps = [MIGRATIONS[0] as Migration, broken];
    expect(() => migrate(db, undefined, steps)).toThrow('disk full');
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE name = 'half_done'").all()).toEqual([]);
    db.close();
  });

  it('does nothing on a database already at the newest version', () => {
    const db = new Database(path.join(tempDir(), 'cache.db'));
    const newest = migrate(db);
    expect(migrate(db)).toBe(newest);
    db.close();
  });
});
