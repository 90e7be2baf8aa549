/**
 * The worker thread that owns the SQLite cache. Main never touches the database: it posts
 * `{ kind, name, arg }` and receives the query's result, so a slow query never blocks the UI's
 * IPC. Writes run one at a time, each in its own transaction.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { FALLBACK_CHECKPOINT_PAGES, startCheckpointer } from '@tandem/sqlite-checkpointer';
import { NativeBindingError, currentRuntime, selectNativeBinding } from './nativeBinding.ts';
import { openDatabase } from './open.ts';
import type { DbReady, DbRequest, DbResponse, DbWarning, DbWorkerData } from './protocol.ts';
import { reads, writes } from './queries.ts';

type Query = (db: unknown, arg: unknown) => unknown;

const port = parentPort;
if (port === null) throw new Error('db/worker.ts runs only as a worker thread');
const { file, native, electron } = workerData as DbWorkerData;

try {
  const runtime = currentRuntime();
  const binding = selectNativeBinding(
    { ...runtime, electron: runtime.electron ?? electron },
    native ?? { packaged: false, searchDirs: [] },
    (candidate) => fs.existsSync(candidate),
  );
  const db = openDatabase(file, binding);
  // Checkpoints from a thread of their own (BENCHMARKS.md, B4); the connection's only a fallback.
  db.pragma(`wal_autocheckpoint = ${FALLBACK_CHECKPOINT_PAGES}`);
  const checkpointer = startCheckpointer({
    file,
    driver: createRequire(import.meta.url).resolve('better-sqlite3'),
    ...(binding === undefined ? {} : { nativeBinding: binding }),
    onError: (warning) => port.postMessage({ warning } satisfies DbWarning),
  });
  const serve = (request: DbRequest) => {
    if (request.kind === 'close') {
      // Nothing after `close` is served; the client fails what is still pending when the thread ends.
      port.off('message', serve);
      checkpointer.stop();
      db.close();
      port.close();
      return;
    }
    let response: DbResponse;
    try {
      const query = (request.kind === 'read' ? reads : writes)[request.name as never] as Query | undefined;
      if (query === undefined) throw new Error(`unknown ${request.kind} ${String(request.name)}`);
      const result = request.kind === 'read' ? query(db, request.arg) : db.transaction(() => query(db, request.arg))();
      response = { id: request.id, ok: true, result };
    } catch (error) {
      response = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) };
    }
    port.postMessage(response);
  };
  port.on('message', serve);
  port.postMessage({ ready: true } satisfies DbReady);
} catch (error) {
  port.postMessage({
    ready: false,
    message: error instanceof Error ? error.message : String(error),
    code: error instanceof NativeBindingError ? error.code : undefined,
  } satisfies DbReady);
}
