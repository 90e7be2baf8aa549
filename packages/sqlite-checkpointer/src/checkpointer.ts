import { Worker } from 'node:worker_threads';

/** How often the worker moves the write-ahead log into the database file. */
const EVERY_MS = 500;

/**
 * The caller's own connection should still checkpoint by itself past this many WAL pages
 * (40 MiB; `PRAGMA wal_autocheckpoint`), should the worker fall behind or be gone: the log never
 * grows without bound.
 */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;

/** How long stopping waits at most for the worker to close its connection (a checkpoint in progress). */
const STOP_WAIT_MS = 5_000;

/**
 * The worker's code: its own connection to the same file, checkpointing in PASSIVE mode (never
 * waiting for, nor blocking, the caller's readers and writers). It reports a failure once per
 * kind of message, not every half second.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const closed = () => { Atomics.store(workerData.closed, 0, 1); Atomics.notify(workerData.closed, 0); };
let db;
try {
  const Database = require(workerData.driver);
  db = new Database(workerData.file, workerData.nativeBinding === undefined ? {} : { nativeBinding: workerData.nativeBinding });
  db.pragma('busy_timeout = 5000');
} catch (error) {
  // No connection to close: stopping need not wait for one.
  closed();
  throw error;
}
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
  closed();
  parentPort.close();
});
`;

export type CheckpointerOptions = {
  /** The database file, in WAL mode. */
  readonly file: string;
  /** Where better-sqlite3 is (`require.resolve('better-sqlite3')` from the caller). */
  readonly driver: string;
  /** The better-sqlite3 native build the caller's connection loaded, when not the default one. */
  readonly nativeBinding?: string;
  /** A failed checkpoint, or the worker stopping on its own; never while stopping. */
  readonly onError: (message: string) => void;
};

export type Checkpointer = {
  /**
   * Closes the worker's connection before returning, so that the caller's connection, closed
   * next, is the file's last one: SQLite then checkpoints what is left and removes the -wal and
   * -shm files, and the folder can be deleted at once.
   */
  stop(): void;
};

/**
 * Checkpoints a SQLite database in WAL mode from a worker thread. SQLite's automatic checkpoint
 * runs inside whichever commit crosses its threshold, on the caller's thread, and with
 * `synchronous = NORMAL` it syncs the log and the database file there: on the server it stalled
 * every request and socket for 20–35 ms at chat load (BENCHMARKS.md, B2), in the desktop cache it
 * was half of ingest's time (B4). Here the copying and the syncing happen beside them. The caller
 * sets its connection's `wal_autocheckpoint` to FALLBACK_CHECKPOINT_PAGES.
 */
export function startCheckpointer(options: CheckpointerOptions): Checkpointer {
  const closed = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      file: options.file,
      driver: options.driver,
      nativeBinding: options.nativeBinding,
      everyMs: EVERY_MS,
      closed,
    },
  });
  worker.unref();
  // Once stopping, the database may be gone already (a test's folder): nothing to report then.
  let stopping = false;
  worker.on('message', (message: string) => {
    if (!stopping) options.onError(`WAL checkpoint failed: ${message}`);
  });
  worker.on('error', (error) => {
    if (!stopping) options.onError(`WAL checkpointer stopped: ${String(error)}`);
  });
  return {
    stop() {
      stopping = true;
      worker.postMessage('stop');
      // Blocks this thread only: the worker runs on its own, and stopping waits for nothing else.
      Atomics.wait(closed, 0, 0, STOP_WAIT_MS);
    },
  };
}
