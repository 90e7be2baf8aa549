import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import * as initial from './migrations/001_initial.ts';
import { queryPlan, scratchDir } from './testMigrations.ts';

const dir = scratchDir('tandem-collab-store-');

describe('migration 002_collab', () => {
  const file = path.join(dir, 'server.db');

  it('applies to a database at 001 that holds a meeting, and keeps it', async () => {
    const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: new SqliteDatabase(file) }) });
    const { error } = await new Migrator({
      db: old,
      provider: { getMigrations: async () => ({ '001_initial': initial }) },
    }).migrateToLatest();
    expect(error).toBeUndefined();
    const raw = new SqliteDatabase(file);
    raw.exec(`
      INSERT INTO organisations VALUES ('o', 'Org', '2026-01-01T00:00:00.000Z');
      INSERT INTO users VALUES ('u', 'o', 'u@x.example', 'U', 'owner', 'h', '2026-01-01T00:00:00.000Z');
      INSERT INTO conversations VALUES ('c', 'o', 'meeting', 'm', 'M', 0, '2026-01-01T00:00:00.000Z');
      INSERT INTO meetings VALUES ('m', 'o', 'u', 'M', 0, NULL, NULL, 'scheduled', 0, '{}', 'code', 'c',
        '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z');
    `);
    raw.close();
    await old.destroy();

    const db = await openDatabase(file);
    await db.destroy();
    const check = new SqliteDatabase(file, { readonly: true });
    const tables = (check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[])
      .map((t) => t.name)
      .sort();
    const meetings = check.prepare('SELECT id FROM meetings').all();
    check.close();
    expect(tables).toEqual(
      expect.arrayContaining(['breakout_sessions', 'breakout_rooms', 'raised_hands', 'polls', 'questions']),
    );
    expect(meetings).toEqual([{ id: 'm' }]);
  });

  it('reads a meeting’s hands, polls, questions and breakout rooms through their indexes', () => {
    expect(queryPlan(file, 'SELECT * FROM raised_hands WHERE meeting_id = ? ORDER BY raised_at, id', 'm')).toMatch(
      /USING INDEX sqlite_autoindex_raised_hands/,
    );
    expect(queryPlan(file, 'SELECT * FROM polls WHERE meeting_id = ? ORDER BY created_at', 'm')).toMatch(
      /USING INDEX polls_by_meeting/,
    );
    expect(queryPlan(file, 'SELECT * FROM questions WHERE meeting_id = ?', 'm')).toMatch(
      /USING INDEX questions_by_meeting/,
    );
    expect(queryPlan(file, 'SELECT * FROM breakout_rooms WHERE meeting_id = ? ORDER BY position', 'm')).toMatch(
      /USING INDEX breakout_rooms_by_meeting/,
    );
    expect(queryPlan(file, 'SELECT * FROM poll_choices WHERE poll_id IN (?)', 'p')).toMatch(
      /USING INDEX poll_choices_by_poll/,
    );
  });

  it('reads attendance by meeting and by join time through their indexes (migration 036)', () => {
    expect(
      queryPlan(
        file,
        'UPDATE attendance SET left_at = ? WHERE meeting_id = ? AND identity = ? AND left_at IS NULL',
        't',
        'm',
        'u',
      ),
    ).toMatch(/USING INDEX attendance_by_meeting/);
    expect(queryPlan(file, 'SELECT * FROM attendance WHERE meeting_id = ? ORDER BY id', 'm')).toMatch(
      /USING INDEX attendance_by_meeting/,
    );
    expect(queryPlan(file, 'SELECT * FROM attendance WHERE joined_at >= ?', '2026-01-01')).toMatch(
      /USING INDEX attendance_by_joined_at/,
    );
  });

  it('reads the open visits through the partial index of migration 037, and leaves through 036', () => {
    expect(
      queryPlan(
        file,
        'SELECT DISTINCT meeting_id, identity FROM attendance WHERE left_at IS NULL AND joined_at <= ?',
        '2026-01-01',
      ),
    ).toMatch(/USING INDEX attendance_open/);
    expect(
      queryPlan(
        file,
        'UPDATE attendance SET left_at = ? WHERE meeting_id = ? AND identity = ? AND left_at IS NULL AND joined_at <= ?',
        't',
        'm',
        'u',
        '2026-01-01',
      ),
    ).toMatch(/USING INDEX attendance_by_meeting/);
  });
});
