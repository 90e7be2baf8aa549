import { Worker } from 'node:worker_threads';

/** How often the worker moves the write-ahead log into the database file. */
const EVERY_MS = 500;

/**
 * The caller's own connection should still checkpoint by itself past this many WAL pages
 * (40 MiB; `PRAGMA wal_autocheckpoint`), should the worker fall behind or be gone: the log never
 * grows without bound.
 */
export const FALLBACK_CHECKPOINT_PAGES = 10_000;

/**
 * Pages in the log at which a caller that keeps pauses (`restartAtPages`) should have it
 * restarted: far enough below FALLBACK_CHECKPOINT_PAGES that a log growing by thousands of pages
 * between two checkpoints (chat load: about 3,500 a second, a page of each index a message is in)
 * is restarted in a pause before the caller's own checkpoint stalls it (BENCHMARKS.md, B2).
 */
export const RESTART_AT_PAGES = 4_000;

/** How long stopping waits at most for the worker to close its connection (a checkpoint in progress). */
const STOP_WAIT_MS = 5_000;

/** How long a restart waits at most for the caller's connection to be put down (`restartAtPages`). */
const QUIET_WAIT_MS = 50;

/**
 * How long the caller waits at most in `enter` for a restart to end. The pause is advice: nothing
 * is wrong if the caller goes on (the checkpoint then merely ends without restarting the log), so a
 * worker that died or a disk that stalls never holds the caller's database for longer.
 */
const MAX_PAUSE_MS = 1_000;

/** Slots of the array the threads share: the worker closed its connection; a restart asks the caller to pause; the caller's connections in use. */
const CLOSED = 0;
const PAUSED = 1;
const IN_USE = 2;

/**
 * The worker's code: its own connection to the same file, checkpointing in PASSIVE mode (never
 * waiting for, nor blocking, the caller's readers and writers). It reports a failure once per
 * kind of message, not every half second.
 *
 * A passive checkpoint under steady writes never restarts the log: SQLite writes the log from its
 * beginning again only when a write begins after a checkpoint that copied every frame in it, and a
 * commit that lands while a checkpoint runs (its syncs take milliseconds) leaves frames behind.
 * The log then grew until the caller's connection checkpointed it inside a commit
 * (FALLBACK_CHECKPOINT_PAGES), stalling the caller's thread for 10–15 ms every few seconds under
 * chat load (BENCHMARKS.md, B2). With `restartAtPages`, a log that long is restarted in a pause
 * instead: the worker checkpoints what was written meanwhile, asks the caller not to take its
 * connection up again (PAUSED), waits until it is put down (IN_USE is 0) and checkpoints what is
 * left, which then copies every frame; the caller's next write restarts the log. The caller's
 * thread never waits: only its database work does, for that last checkpoint.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const shared = workerData.shared;
const closed = () => { Atomics.store(shared, ${CLOSED}, 1); Atomics.notify(shared, ${CLOSED}); };
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
const checkpoint = () => db.pragma('wal_checkpoint(PASSIVE)')[0];
function restart() {
  // What was written while the last checkpoint ran, copied and synced first: the one in the pause
  // then has almost nothing to sync.
  checkpoint();
  Atomics.store(shared, ${PAUSED}, 1);
  try {
    const until = Date.now() + ${QUIET_WAIT_MS};
    for (let inUse = Atomics.load(shared, ${IN_USE}); inUse !== 0; inUse = Atomics.load(shared, ${IN_USE})) {
      const left = until - Date.now();
      // Still in use (a long transaction): tried again at a later tick.
      if (left <= 0) return;
      Atomics.wait(shared, ${IN_USE}, inUse, left);
    }
    checkpoint();
  } finally {
    Atomics.store(shared, ${PAUSED}, 0);
    Atomics.notify(shared, ${PAUSED});
  }
}
const reported = new Set();
const timer = setInterval(() => {
  try {
    const { log } = checkpoint();
    if (workerData.restartAtPages !== undefined && log >= workerData.restartAtPages) restart();
  } catch (error) {
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
  /**
   * Restart the log once it holds this many pages (RESTART_AT_PAGES), in a pause of the caller's
   * database work: the caller then brackets every use of its connection with `enter` and
   * `leave`. Without it (a caller whose connection works on a thread of its own) the log restarts
   * by itself only in a lull of writes, and otherwise at FALLBACK_CHECKPOINT_PAGES, inside a commit.
   */
  readonly restartAtPages?: number;
};

export type Checkpointer = {
  /**
   * Closes the worker's connection before returning, so that the caller's connection, closed
   * next, is the file's last one: SQLite then checkpoints what is left and removes the -wal and
   * -shm files, and the folder can be deleted at once.
   */
  stop(): void;
  /**
   * Before the caller's connection is taken up: undefined when it may be used at once, else a
   * promise to await first (a restart's pause, a few milliseconds). Each `enter` is followed by
   * one `leave` once the connection is put down.
   */
  enter(): Promise<void> | undefined;
  leave(): void;
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
  const shared = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      file: options.file,
      driver: options.driver,
      nativeBinding: options.nativeBinding,
      everyMs: EVERY_MS,
      restartAtPages: options.restartAtPages,
      shared,
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
  // A worker gone in the middle of a restart asks no one to pause any more.
  worker.on('exit', () => {
    Atomics.store(shared, PAUSED, 0);
    Atomics.notify(shared, PAUSED);
  });
  const taken = (): void => {
    Atomics.add(shared, IN_USE, 1);
  };
  const leave = (): void => {
    if (Atomics.sub(shared, IN_USE, 1) === 1) Atomics.notify(shared, IN_USE);
  };
  return {
    stop() {
      stopping = true;
      worker.postMessage('stop');
      // Blocks this thread only: the worker runs on its own, and stopping waits for nothing else.
      Atomics.wait(shared, CLOSED, 0, STOP_WAIT_MS);
    },
    enter() {
      // Counted first, then the pause read: a restart that begins meanwhile waits for `leave`.
      taken();
      if (Atomics.load(shared, PAUSED) === 0) return undefined;
      leave();
      const pause = Atomics.waitAsync(shared, PAUSED, 1, MAX_PAUSE_MS);
      if (!pause.async) {
        taken();
        return undefined;
      }
      return pause.value.then(taken);
    },
    leave,
  };
}
