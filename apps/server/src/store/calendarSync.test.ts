import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { calendarSubscriptionStore } from './calendarSubscriptions.ts';
import { openDatabase } from './db.ts';
import { migrateUpTo, queryPlan, scratchDir } from './testMigrations.ts';

const dir = scratchDir('tandem-calendar-sync-');

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

describe('migration 046_calendar_notifications', () => {
  it('queues notifications to follow: claimed ones wait out their claim, retried ones come back later, done ones go; due ones are read by their index', async () => {
    const file = path.join(dir, 'notifications.db');
    await migrateUpTo(file, '046');
    const db = await openDatabase(file);
    const queue = calendarSubscriptionStore(db).notifications;
    try {
      const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 6, 0, s)).toISOString();
      await queue.enqueue({ id: 'n1', subscriptionId: 'sub-1', eventIds: ['AAMk1', 'AAMk2'] }, at(0));
      await queue.enqueue({ id: 'n2', subscriptionId: 'channel', eventIds: [] }, at(1));
      expect(await queue.claimDue(at(0), 8, at(30))).toEqual([
        { id: 'n1', subscriptionId: 'sub-1', eventIds: ['AAMk1', 'AAMk2'], attempts: 0 },
      ]);
      expect((await queue.claimDue(at(2), 8, at(32))).map((n) => n.id)).toEqual(['n2']);
      // Both claimed: nothing is due until the first claim runs out.
      expect(await queue.claimDue(at(3), 8, at(33))).toEqual([]);
      expect(await queue.nextDueAt()).toBe(at(30));
      await queue.retry('n1', 1, at(20));
      await queue.done('n2');
      expect(await queue.nextDueAt()).toBe(at(20));
      expect(await queue.claimDue(at(20), 8, at(50))).toEqual([
        { id: 'n1', subscriptionId: 'sub-1', eventIds: ['AAMk1', 'AAMk2'], attempts: 1 },
      ]);
      // A claim not settled in time (its instance died mid-way): due again.
      expect((await queue.claimDue(at(50), 8, at(80))).map((n) => n.id)).toEqual(['n1']);
      await queue.done('n1');
      expect(await queue.nextDueAt()).toBeNull();
    } finally {
      await db.destroy();
    }
    expect(
      queryPlan(
        file,
        'SELECT * FROM calendar_notifications WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT 8',
        '2026-12-05T06:00:00.000Z',
      ),
    ).toMatch(/USING INDEX calendar_notifications_due/);
  });
});
