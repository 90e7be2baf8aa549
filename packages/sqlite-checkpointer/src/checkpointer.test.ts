import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { FALLBACK_CHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from './checkpointer.ts';

const driver = createRequire(import.meta.url).resolve('better-sqlite3');

type Restarts = { readonly restartAtPages?: number; readonly ownCheckpoints?: boolean };

describe('WAL checkpoints in a worker thread', () => {
  let dir: string;
  let db: Database.Database | undefined;
  let checkpointer: Checkpointer | undefined;
  const errors: string[] = [];

  function open(nativeBinding?: string, { restartAtPages, ownCheckpoints = true }: Restarts = {}): string {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-checkpointer-'));
    const file = path.join(dir, 'data.db');
    db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma(`wal_autocheckpoint = ${ownCheckpoints ? FALLBACK_CHECKPOINT_PAGES : 0}`);
    checkpointer = startCheckpointer({
      file,
      driver,
      ...(nativeBinding === undefined ? {} : { nativeBinding }),
      ...(restartAtPages === undefined ? {} : { restartAtPages }),
      onError: (message) => errors.push(message),
    });
    return file;
  }

  /**
   * Commits a row every 0.2 ms for `ms` (about 5,000 log pages a second, chat load's order), each
   * bracketed by `enter` and `leave` as a caller keeping pauses does, waiting between them without
   * yielding: the thread lets go only when a pause asks it to. Answers the log's checkpoint
   * sequence number (its header's bytes 12–15), which SQLite increments at every restart of the log.
   */
  async function writeWithoutBreaks(file: string, ms: number): Promise<number> {
    db?.exec('create table filler (body text not null)');
    const insert = db?.prepare('insert into filler (body) values (?)');
    const body = 'x'.repeat(1_000);
    const until = performance.now() + ms;
    for (let next = performance.now(); next < until; next += 0.2) {
      const entering = checkpointer?.enter();
      if (entering !== undefined) await entering;
      insert?.run(body);
      checkpointer?.leave();
      while (performance.now() < next);
    }
    const header = Buffer.alloc(16);
    const wal = fs.openSync(`${file}-wal`, 'r');
    fs.readSync(wal, header, 0, 16, 0);
    fs.closeSync(wal);
    return header.readUInt32BE(12);
  }
  function close(): void {
    checkpointer?.stop();
    db?.close();
    checkpointer = undefined;
    db = undefined;
  }
  afterEach(() => {
    close();
    fs.rmSync(dir, { recursive: true, force: true });
    errors.length = 0;
  });

  it('moves committed writes into the database file without the writing connection checkpointing', async () => {
    const file = open();
    db?.exec('create table filler (body text not null)');
    const before = fs.statSync(file).size;
    // About 2 MiB in the log: far below the connection's own threshold (FALLBACK_CHECKPOINT_PAGES).
    const insert = db?.prepare('insert into filler (body) values (?)');
    for (let i = 0; i < 200; i += 1) insert?.run('x'.repeat(10_000));
    const deadline = Date.now() + 10_000;
    while (fs.statSync(file).size < before + 2_000_000 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(fs.statSync(file).size).toBeGreaterThan(before + 2_000_000);
    expect(errors).toEqual([]);
  });

  it('closes the worker’s connection first, so closing the database leaves no -wal or -shm behind', async () => {
    open();
    db?.exec('create table filler (body text not null)');
    // Stopped at once, likely before the worker has even opened its connection: it still closes it first.
    close();
    expect(fs.readdirSync(dir)).toEqual(['data.db']);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(fs.readdirSync(dir)).toEqual(['data.db']);
  });

  it('reports a worker that cannot open its connection, and stops at once all the same', async () => {
    open('/nonexistent/better_sqlite3.node');
    const deadline = Date.now() + 5_000;
    while (errors.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(errors[0]).toMatch(/^WAL checkpointer stopped: /);
    const started = Date.now();
    close();
    // Not the 5 s a connection being closed may take.
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(errors).toHaveLength(1);
  });

  it('under writes that never break, a passive checkpoint never restarts the log: it grows with every commit', async () => {
    const file = open(undefined, { ownCheckpoints: false });
    // The worker copies the log into the file all along, but a commit always lands while it does.
    expect(await writeWithoutBreaks(file, 2_000)).toBe(0);
    expect(errors).toEqual([]);
  });

  it('restarts a log past restartAtPages in a pause of the caller’s work, which `enter` makes it wait for', async () => {
    const file = open(undefined, { restartAtPages: 200, ownCheckpoints: false });
    // A check every 500 ms, and the log is past 200 pages at each.
    expect(await writeWithoutBreaks(file, 2_000)).toBeGreaterThanOrEqual(2);
    expect(errors).toEqual([]);
  });
});
