import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from './client.ts';
import { useTempFolder } from './testing.ts';

const tempDir = useTempFolder();

describe('cache worker client', () => {
  it('runs reads and writes in the worker and keeps them in the file across restarts', async () => {
    const file = path.join(tempDir(), 'cache.db');
    const first = await openDb(file);
    await first.write('kvSet', { key: 'k', value: 'v' });
    expect(await first.read('kvGet', 'k')).toBe('v');
    await first.close();

    const second = await openDb(file);
    expect(await second.read('kvGet', 'k')).toBe('v');
    await second.close();
  });

  it('answers a failed query as a rejection and keeps serving', async () => {
    const db = await openDb(path.join(tempDir(), 'cache.db'));
    await db.write('enqueueMessage', { conversationId: 'c', clientId: 'dup', authorId: 'u', body: 'x', at: 't' });
    await expect(
      db.write('enqueueMessage', { conversationId: 'c', clientId: 'dup', authorId: 'u', body: 'y', at: 't' }),
    ).rejects.toThrow(/UNIQUE/);
    // The failed write rolled back whole: no second outbox entry either.
    expect(await db.read('outboxSize', null)).toBe(1);
    await db.close();
  });

  it('refuses to open a file that is not a database', async () => {
    const file = path.join(tempDir(), 'junk.db');
    await import('node:fs').then((fs) => fs.writeFileSync(file, 'not sqlite at all, just some bytes '.repeat(200)));
    await expect(openDb(file)).rejects.toThrow(/failed to open/);
  });
});
