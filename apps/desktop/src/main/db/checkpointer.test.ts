import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FALLBACK_CHECKPOINT_PAGES, startCheckpointer } from './checkpointer.ts';
import { openDatabase } from './open.ts';
import { useTempFolder } from './testing.ts';

const tempDir = useTempFolder();

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

describe('WAL checkpointer', () => {
  it('moves committed pages into the database file from its own thread, the connection’s own checkpoint only a fallback', async () => {
    const file = path.join(tempDir(), 'cache.db');
    const db = openDatabase(file);
    const warnings: string[] = [];
    const checkpointer = startCheckpointer(db, file, undefined, (warning) => warnings.push(warning));
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(FALLBACK_CHECKPOINT_PAGES);
    const before = fs.statSync(file).size;
    // About 300 pages, far below the fallback: only the checkpointer can move them to the file.
    db.transaction(() => {
      const put = db.prepare('INSERT INTO kv (key, value) VALUES (?, ?)');
      for (let i = 0; i < 300; i += 1) put.run(`k${i}`, 'x'.repeat(3000));
    })();
    expect(fs.statSync(file).size).toBe(before);
    expect(await until(() => fs.statSync(file).size > before + 300 * 3000, 5000)).toBe(true);

    await checkpointer.stop();
    db.close();
    // The cache connection was the file's last: the log went with it.
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    expect(warnings).toEqual([]);
  });

  it('reports a failure to open its connection, and stops all the same', async () => {
    const file = path.join(tempDir(), 'cache.db');
    const db = openDatabase(file);
    const warnings: string[] = [];
    const checkpointer = startCheckpointer(db, file, path.join(tempDir(), 'missing.node'), (w) => warnings.push(w));
    expect(await until(() => warnings.length > 0, 5000)).toBe(true);
    expect(warnings[0]).toMatch(/^WAL checkpointer stopped: /);
    await checkpointer.stop();
    db.close();
  });
});
