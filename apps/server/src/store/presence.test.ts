import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { migrateUpTo } from './testMigrations.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-presence-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 044_chosen_status', () => {
  it('carries do not disturb over as the chosen status with its end, and leaves everyone else available', async () => {
    const file = path.join(dir, 'server.db');
    await migrateUpTo(file, '044');
    const raw = new SqliteDatabase(file);
    // The rows' organisation and person do not matter here.
    raw.pragma('foreign_keys = OFF');
    raw.exec(`
      INSERT INTO presence (user_id, organisation_id, status, meeting_id, updated_at, dnd, dnd_until, status_text)
      VALUES
        ('until', 'o', 'online', NULL, '2027-01-01T00:00:00.000Z', 1, '2027-01-01T10:00:00.000Z', 'Focus'),
        ('off', 'o', 'away', NULL, '2027-01-01T00:00:00.000Z', 1, NULL, NULL),
        ('none', 'o', 'offline', NULL, '2027-01-01T00:00:00.000Z', 0, NULL, NULL);
    `);
    raw.close();

    const db = await openDatabase(file);
    await db.destroy();
    const check = new SqliteDatabase(file, { readonly: true });
    // The old columns stay for instances on the previous version during a rolling upgrade.
    const rows = check
      .prepare(
        'SELECT user_id, organisation_id, status, meeting_id, updated_at, status_text, chosen, chosen_until, dnd FROM presence ORDER BY user_id',
      )
      .all();
    check.close();
    const common = { organisation_id: 'o', meeting_id: null, updated_at: '2027-01-01T00:00:00.000Z' };
    expect(rows).toEqual([
      {
        ...common,
        user_id: 'none',
        status: 'offline',
        status_text: null,
        chosen: 'available',
        chosen_until: null,
        dnd: 0,
      },
      { ...common, user_id: 'off', status: 'away', status_text: null, chosen: 'dnd', chosen_until: null, dnd: 1 },
      {
        ...common,
        user_id: 'until',
        status: 'online',
        status_text: 'Focus',
        chosen: 'dnd',
        chosen_until: '2027-01-01T10:00:00.000Z',
        dnd: 1,
      },
    ]);
  });
});
