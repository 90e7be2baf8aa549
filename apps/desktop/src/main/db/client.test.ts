import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheOpenError, DB_WORKER_SOURCE, openDb, spawnDbWorker } from './client.ts';
import { BINDING_FILE, currentRuntime, electronBuildDirName } from './nativeBinding.ts';
import type { DbReady, DbRequest, DbWorkerData } from './protocol.ts';
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

/** The worker's start-up report, for worker data main could not produce under Node. */
async function startUp(data: DbWorkerData): Promise<DbReady> {
  const worker = spawnDbWorker(DB_WORKER_SOURCE, data);
  const exited = new Promise((resolve) => worker.once('exit', resolve));
  const ready = await new Promise<DbReady>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // Closed as the client closes it: terminating a thread with an open database can crash the process.
  if (ready.ready) worker.postMessage({ id: 0, kind: 'close' } satisfies DbRequest);
  await exited;
  return ready;
}

/** The Node build of better-sqlite3 that node_modules holds. */
const nodeBuild = path.join(
  path.dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json')),
  'build',
  'Release',
  BINDING_FILE,
);

describe('cache worker under Electron (told so by main; Electron itself cannot run here)', () => {
  it('loads better-sqlite3 from the build main pointed it at', async () => {
    const dir = tempDir();
    const place = (folder: string) => path.join(dir, folder, electronBuildDirName(currentRuntime()), BINDING_FILE);
    // This runtime's ABI, so a copy of the Node build stands in for the Electron one.
    fs.mkdirSync(path.dirname(place('good')), { recursive: true });
    fs.copyFileSync(nodeBuild, place('good'));
    const good = { packaged: false, searchDirs: [path.join(dir, 'good')] };
    expect(await startUp({ file: path.join(dir, 'a.db'), native: good, electron: '45.5.0' })).toEqual({ ready: true });

    // Junk in the chosen place: the open fails, so it is that file that loads, not the package's.
    // (Another folder: a loaded shared object stays mapped, and rewriting it would crash the process.)
    fs.mkdirSync(path.dirname(place('junk')), { recursive: true });
    fs.writeFileSync(place('junk'), 'not a shared object');
    const junk = { packaged: false, searchDirs: [path.join(dir, 'junk')] };
    expect(await startUp({ file: path.join(dir, 'b.db'), native: junk, electron: '45.5.0' })).toMatchObject({
      ready: false,
      code: undefined,
    });
  });

  it('answers native_module_missing, naming the fix, when no build matches', async () => {
    const dir = tempDir();
    const ready = await startUp({
      file: path.join(dir, 'c.db'),
      native: { packaged: false, searchDirs: [path.join(dir, 'native')] },
      electron: '45.5.0',
    });
    expect(ready).toMatchObject({ ready: false, code: 'native_module_missing' });
    expect(ready.ready === false && ready.message).toMatch(/npm run rebuild:electron/);
    expect(fs.existsSync(path.join(dir, 'c.db'))).toBe(false);
  });

  it('keeps the Node build under Node whatever main passes, and says why an open failed', async () => {
    const dir = tempDir();
    const db = await openDb(path.join(dir, 'd.db'), DB_WORKER_SOURCE, { packaged: false, searchDirs: [] });
    await db.close();
    fs.writeFileSync(path.join(dir, 'junk.db'), 'not sqlite at all, just some bytes '.repeat(200));
    const failure = await openDb(path.join(dir, 'junk.db')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CacheOpenError);
    expect((failure as CacheOpenError).code).toBeUndefined();
  });
});
