import type { Database } from 'better-sqlite3';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer moves the write-ahead log into the database file. */
const EVERY_MS = 500;
/**
 * The cache's own connection still checkpoints by itself past this many WAL pages (40 MiB),
 * should the checkpointer fall behind or be gone: the log never grows without bound.
 */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;

/**
 * The thread's code: its own connection to the same file, checkpointing in PASSIVE mode (never
 * waiting for, nor blocking, the cache connection's reads and writes). It reports a failure once
 * per kind of message, not every half second.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, workerData.nativeBinding === undefined ? {} : { nativeBinding: workerData.nativeBinding });
db.pragma('busy_timeout = 5000');
const reported = new Set();
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) {
    const message = String(error);
    if (!reported.has(message)) { reported.add(message); parentPort.postMessage(message); }
  }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export type Checkpointer = {
  /**
   * Closes the thread's connection, so that the cache's own, closed next, is the file's last one:
   * SQLite then checkpoints whatever is left and removes the -wal and -shm files.
   */
  stop(): Promise<void>;
};

/**
 * Checkpoints the cache from a thread of its own. SQLite's automatic checkpoint runs inside
 * whichever commit crosses 1,000 WAL pages, and with `synchronous = NORMAL` it syncs the log and
 * the database file there: at ingest that sync was half of every applied batch's time
 * (BENCHMARKS.md, B4). Here the copying and the syncing happen beside the cache's writes. The
 * server does the same for its database (apps/server/src/store/checkpointer.ts).
 *
 * `nativeBinding`: the better-sqlite3 build the cache connection loaded (see nativeBinding.ts).
 */
export function startCheckpointer(
  db: Database,
  file: string,
  nativeBinding: string | undefined,
  onError: (message: string) => void,
): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(THREAD, { eval: true, workerData: { driver, file, nativeBinding, everyMs: EVERY_MS } });
  let stopping = false;
  worker.on('message', (message: string) => {
    if (!stopping) onError(`WAL checkpoint failed: ${message}`);
  });
  worker.on('error', (error) => {
    if (!stopping) onError(`WAL checkpointer stopped: ${String(error)}`);
  });
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      await exited;
    },
  };
}
