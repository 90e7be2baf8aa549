import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the worker moves the write-ahead log into the database file. */
const EVERY_MS = 500;
/**
 * The main connection still checkpoints by itself past this many WAL pages (40 MiB), should the
 * worker fall behind or be gone: the log never grows without bound.
 */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;

/**
 * The worker's code: its own connection to the same file, checkpointing in PASSIVE mode (never
 * waiting for, nor blocking, the main connection's readers and writers).
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  Atomics.store(workerData.closed, 0, 1);
  Atomics.notify(workerData.closed, 0);
  parentPort.close();
});
`;

/** How long stopping waits at most for the worker to close its connection (a checkpoint in progress). */
const STOP_WAIT_MS = 5_000;

export type Checkpointer = {
  /**
   * Closes the worker's connection before returning, so that the caller's connection, closed
   * next, is the file's last one: SQLite then removes the -wal and -shm files, and the folder
   * can be deleted at once (a test's, a migrated copy's).
   */
  stop(): void;
};

/**
 * Checkpoints a SQLite database in WAL mode from a worker thread. SQLite's automatic checkpoint
 * runs inside whichever commit crosses the threshold, on the server's one event loop: copying the
 * log into the database and syncing it stalled every request and every socket for 20–35 ms at
 * chat load (BENCHMARKS.md, B2). Here the copying and the sync happen beside the event loop.
 */
export function startCheckpointer(path: string, log: (message: string) => void): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const closed = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WORKER, { eval: true, workerData: { path, driver, everyMs: EVERY_MS, closed } });
  worker.unref();
  // Once stopping, the database may be gone already (a test's folder): nothing to report then.
  let stopping = false;
  worker.on('message', (message: string) => {
    if (!stopping) log(`WAL checkpoint failed: ${message}`);
  });
  worker.on('error', (error) => {
    if (!stopping) log(`WAL checkpointer stopped: ${String(error)}`);
  });
  return {
    stop() {
      stopping = true;
      worker.postMessage('stop');
      // Blocks this thread only: the worker runs on its own, and shutting down waits for nothing else.
      Atomics.wait(closed, 0, 0, STOP_WAIT_MS);
    },
  };
}
