import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { migrate } from '../migrate.ts';
import { reads, writes } from '../queries.ts';
import { useTempFolder } from '../testing.ts';
import { migration012 } from './012_directory_records.ts';

const tempDir = useTempFolder();

describe('migration 012', () => {
  it('keeps the names cached before it, and makes the next directory read a full one that fills the records', () => {
    const db = new Database(path.join(tempDir(), `m012-${Math.random()}.db`));
    expect(migrate(db, migration012.version - 1)).toBe(11);
    writes.upsertUsers(db, [{ id: 'u1', name: 'Ada' }]);
    writes.kvSet(db, { key: 'directory.cursor', value: '42' });
    expect(migrate(db, 12)).toBe(12);
    expect(reads.people(db, null)).toEqual([{ id: 'u1', name: 'Ada' }]);
    // Read from the start again: the people cached by name alone get their records.
    expect(reads.directoryCursor(db, null)).toBeNull();
    expect(reads.directoryRecords(db, null)).toEqual([]);
    writes.storeDirectoryPage(db, { users: [{ id: 'u1', name: 'Ada L.', record: '{"id":"u1"}' }], cursor: 3 });
    expect(reads.people(db, null)).toEqual([{ id: 'u1', name: 'Ada L.' }]);
    expect(reads.directoryRecords(db, null)).toEqual(['{"id":"u1"}']);
    expect(reads.directoryCursor(db, null)).toBe(3);
    db.close();
  });
});
