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
});
