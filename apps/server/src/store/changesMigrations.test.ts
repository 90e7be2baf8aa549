import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { decisionStore } from './decisions.ts';
import { identityStore } from './identity.ts';
import { migrateUpTo, queryPlan, scratchDir } from './testMigrations.ts';

const dir = scratchDir('tandem-changes-');

describe('migration 047_directory_seq', () => {
  it('numbers the people already there in the order they were added, per organisation, and goes on from there', async () => {
    const file = path.join(dir, 'directory.db');
    await migrateUpTo(file, '047');
    const seed = new SqliteDatabase(file);
    const org = seed.prepare('INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)');
    const user = seed.prepare(
      'INSERT INTO users (id, organisation_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    org.run('org-a', 'A', '2026-01-01T00:00:00.000Z');
    org.run('org-b', 'B', '2026-01-01T00:00:00.000Z');
    // Inserted out of order: numbered by when they were added (then by id), not by insertion.
    user.run('a-3', 'org-a', 'c@a.test', 'Cat', 'member', 'h', '2026-03-01T00:00:00.000Z');
    user.run('a-1', 'org-a', 'a@a.test', 'Ann', 'owner', 'h', '2026-01-01T00:00:00.000Z');
    user.run('b-1', 'org-b', 'x@b.test', 'Xia', 'owner', 'h', '2026-01-02T00:00:00.000Z');
    user.run('a-2', 'org-a', 'b@a.test', 'Ben', 'member', 'h', '2026-02-01T00:00:00.000Z');
    seed.close();

    const db = await openDatabase(file);
    try {
      const identity = identityStore(db);
      const a = await identity.directorySince('org-a', 0, undefined);
      expect(a.users.map((u) => u.name)).toEqual(['Ann', 'Ben', 'Cat']);
      expect(a.cursor).toBe(3);
      expect((await identity.directorySince('org-b', 0, undefined)).cursor).toBe(1);
      // The next change takes the organisation's next position.
      await identity.changeUser('org-a', 'a-1', () => ({ name: 'Ann A.' }), '2026-12-05T00:00:00.000Z');
      expect(await identity.directorySince('org-a', 3, undefined)).toMatchObject({
        users: [{ id: 'a-1', name: 'Ann A.' }],
        cursor: 4,
      });
    } finally {
      await db.destroy();
    }
    expect(
      queryPlan(
        file,
        'SELECT * FROM users WHERE organisation_id = ? AND directory_seq > ? ORDER BY directory_seq',
        'org-a',
        0,
      ),
    ).toMatch(/USING INDEX users_directory/);
  });
});

describe('migration 055_decision_seq', () => {
  it('numbers the decisions already there in the order they last changed, per organisation, and goes on from there', async () => {
    const file = path.join(dir, 'decisions.db');
    await migrateUpTo(file, '055');
    const seed = new SqliteDatabase(file);
    const org = seed.prepare('INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)');
    const decision = seed.prepare(
      `INSERT INTO decisions (id, organisation_id, client_id, title, detail, outcome, status, version, created_by, created_at, updated_at)
       VALUES (?, ?, ?, ?, '', '', 'proposed', 1, 'someone', ?, ?)`,
    );
    org.run('org-a', 'A', '2026-01-01T00:00:00.000Z');
    org.run('org-b', 'B', '2026-01-01T00:00:00.000Z');
    seed
      .prepare(
        'INSERT INTO users (id, organisation_id, email, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      )
      .run('someone', 'org-a', 's@a.test', 'Sam', 'owner', 'h', '2026-01-01T00:00:00.000Z');
    // Created in one order, last changed in another: numbered by the last change.
    decision.run('d-1', 'org-a', 'c-1', 'Old, changed last', '2026-01-01T00:00:00.000Z', '2026-06-01T00:00:00.000Z');
    decision.run('d-2', 'org-a', 'c-2', 'Newer', '2026-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z');
    decision.run('d-3', 'org-b', 'c-3', 'Elsewhere', '2026-03-01T00:00:00.000Z', '2026-03-01T00:00:00.000Z');
    seed.close();

    const db = await openDatabase(file);
    try {
      const decisions = decisionStore(db);
      const a = await decisions.changedSince('org-a', 0, undefined);
      expect(a.items.map((d) => d.title)).toEqual(['Newer', 'Old, changed last']);
      expect(a.cursor).toBe(2);
      expect((await decisions.changedSince('org-b', 0, undefined)).cursor).toBe(1);
      const [newer] = a.items;
      if (newer === undefined) throw new Error('none');
      const at = '2026-12-06T00:00:00.000Z';
      const change = { decisionId: newer.id, version: 2, changedBy: 'someone', changedAt: at, changes: {} };
      await decisions.update({ ...newer, status: 'agreed', version: 2, updatedAt: at }, 1, change);
      expect(await decisions.changedSince('org-a', 2, undefined)).toMatchObject({
        items: [{ id: 'd-2', status: 'agreed' }],
        cursor: 3,
      });
    } finally {
      await db.destroy();
    }
    expect(
      queryPlan(
        file,
        'SELECT * FROM decisions WHERE organisation_id = ? AND change_seq > ? ORDER BY change_seq',
        'org-a',
        0,
      ),
    ).toMatch(/USING INDEX decisions_by_change/);
  });
});
