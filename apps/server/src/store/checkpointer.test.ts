import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './db.ts';

describe('WAL checkpoints in a worker thread', () => {
  let db: Db | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await db?.destroy();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('moves committed writes into the database file without the server connection checkpointing', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-checkpoint-'));
    const file = path.join(dir, 'server.db');
    db = await openDatabase(file);
    await sql`create table filler (body text not null)`.execute(db);
    const before = fs.statSync(file).size;
    // About 2 MiB in the log: far below the connection's own threshold (FALLBACK_CHECKPOINT_PAGES).
    for (let i = 0; i < 200; i += 1) await sql`insert into filler (body) values (${'x'.repeat(10_000)})`.execute(db);
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).size < before + 2_000_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(fs.statSync(file).size).toBeGreaterThan(before + 2_000_000);
  });

  it('closes the worker’s connection first, so closing the database leaves no -wal or -shm behind', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-checkpoint-'));
    const file = path.join(dir, 'server.db');
    db = await openDatabase(file);
    await sql`create table filler (body text not null)`.execute(db);
    // Closed at once, likely before the worker has even opened its connection: it still closes it first.
    await db.destroy();
    db = undefined;
    expect(fs.readdirSync(dir)).toEqual(['server.db']);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fs.readdirSync(dir)).toEqual(['server.db']);
  });

  it('restarts the log in a pause of the connection’s work long before the connection’s own checkpoint, under writes that never break', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-checkpoint-'));
    const file = path.join(dir, 'server.db');
    db = await openDatabase(file);
    await sql`create table filler (body text not null)`.execute(db);
    const body = 'x'.repeat(1_000);
    const wal = `${file}-wal`;
    // The log's checkpoint sequence number (its header's bytes 12–15): SQLite adds one at every restart.
    const restarts = (): number => {
      const header = Buffer.alloc(16);
      const fd = fs.openSync(wal, 'r');
      fs.readSync(fd, header, 0, 16, 0);
      fs.closeSync(fd);
      return header.readUInt32BE(12);
    };
    const before = restarts();
    // A row every 0.4 ms (about 3,000 log pages a second), waiting between them without yielding to
    // timers, so no checkpoint ever finds the log at rest: until the log restarts, or grows to
    // 9,000 pages, near the connection's own checkpoint (10,000: FALLBACK_CHECKPOINT_PAGES).
    let next = performance.now();
    while (restarts() === before && fs.statSync(wal).size < 9_000 * 4_096) {
      for (let i = 0; i < 25; i += 1) {
        await sql`insert into filler (body) values (${body})`.execute(db);
        next += 0.4;
        while (performance.now() < next);
      }
    }
    expect(restarts()).toBeGreaterThan(before);
    expect(fs.statSync(wal).size).toBeLessThan(9_000 * 4_096);
  });
});
