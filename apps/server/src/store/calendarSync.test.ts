import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { migrateUpTo } from './testMigrations.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-calendar-sync-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('migration 038_google_series', () => {
  it('drops the Google sync tokens taken from expanded lists, keeps the rest, and adds written_stamp', async () => {
    const file = path.join(dir, 'server.db');
    await migrateUpTo(file, '038');
    const raw = new SqliteDatabase(file);
    // The rows' organisation and person do not matter here.
    raw.pragma('foreign_keys = OFF');
    raw.exec(`
      INSERT INTO calendar_subscriptions
        (id, organisation_id, user_id, provider, client_state, expires_at, resource_id, sync_token)
      VALUES
        ('channel', 'o', 'u', 'google', 's', '2027-01-01T00:00:00.000Z', 'res', 'expanded-token'),
        ('graph', 'o', 'u', 'microsoft', 's', '2027-01-01T00:00:00.000Z', NULL, 'not-google');
    `);
    raw.close();

    const db = await openDatabase(file);
    await db.destroy();
    const check = new SqliteDatabase(file, { readonly: true });
    const tokens = check.prepare('SELECT id, sync_token FROM calendar_subscriptions ORDER BY id').all();
    const columns = (check.prepare('PRAGMA table_info(linked_meetings)').all() as { name: string }[]).map(
      (c) => c.name,
    );
    check.close();
    expect(tokens).toEqual([
      { id: 'channel', sync_token: null },
      { id: 'graph', sync_token: 'not-google' },
    ]);
    expect(columns).toContain('written_stamp');
  });
});

describe('migration 039_google_exdates', () => {
  it('marks no occurrence as cancelled by an EXDATE, and makes a far meeting an account created linked once', async () => {
    const file = path.join(dir, 'exdates.db');
    await migrateUpTo(file, '039');
    const raw = new SqliteDatabase(file);
    raw.pragma('foreign_keys = OFF');
    const link = (meeting: string, createdWith: string | null, externalId: string | null) =>
      raw
        .prepare(
          `INSERT INTO linked_meetings
             (meeting_id, organisation_id, source, created_with, external_id, platform, linked, state, created_at)
           VALUES (?, 'o', ?, ?, ?, 'meet', '{}', 'unknown', '2027-01-01T00:00:00.000Z')`,
        )
        .run(meeting, createdWith === null ? 'pasted' : 'created', createdWith, externalId);
    raw.exec(`
      INSERT INTO meeting_occurrences (meeting_id, occurrence_id, cancelled, updated_at)
      VALUES ('m', '2027-01-04T09:00:00.000Z', 1, '2027-01-01T00:00:00.000Z');
    `);
    link('m1', 'google', 'evt1');
    link('m2', null, null);
    link('m3', null, null);
    raw.close();

    const db = await openDatabase(file);
    await db.destroy();
    const check = new SqliteDatabase(file);
    expect(check.prepare('SELECT cancelled, by_exdate FROM meeting_occurrences').all()).toEqual([
      { cancelled: 1, by_exdate: 0 },
    ]);
    // Pasted links (no provider id) stay many; the same created Google event cannot be linked twice,
    // while Zoom, which recycles the ids of meetings long over, may have two meetings under one.
    check.pragma('foreign_keys = OFF');
    const insert = (meeting: string, provider: string, id: string) =>
      check
        .prepare(
          `INSERT INTO linked_meetings
             (meeting_id, organisation_id, source, created_with, external_id, platform, linked, state, created_at)
           VALUES (?, 'o', 'created', ?, ?, 'meet', '{}', 'unknown', '2027-01-01T00:00:00.000Z')`,
        )
        .run(meeting, provider, id);
    expect(() => insert('m4', 'google', 'evt1')).toThrow(/UNIQUE/);
    insert('m5', 'zoom', '85746065001');
    expect(() => insert('m6', 'zoom', '85746065001')).not.toThrow();
    check.close();
  });
});
