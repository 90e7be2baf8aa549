import { Worker } from 'node:worker_threads';
import type { NativeLookup } from './nativeBinding.ts';
import type { DbReady, DbRequest, DbResponse, DbWarning, DbWorkerData } from './protocol.ts';
import type { Reads, Writes } from './queries.ts';

type ArgOf<F> = F extends (db: never, arg: infer A) => unknown ? A : never;
type ResultOf<F> = F extends (...args: never[]) => infer R ? R : never;

/** Main's typed handle on the cache worker: every query of queries.ts, by name, as a promise. */
export type DbClient = {
  read<N extends keyof Reads>(name: N, arg: ArgOf<Reads[N]>): Promise<ResultOf<Reads[N]>>;
  write<N extends keyof Writes>(name: N, arg: ArgOf<Writes[N]>): Promise<ResultOf<Writes[N]>>;
  close(): Promise<void>;
};

/** The cache could not be opened; `code` says why when it is known (`native_module_missing`). */
export class CacheOpenError extends Error {
  readonly code: string | undefined;

  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'CacheOpenError';
    this.code = code;
  }
}

/** The worker as TypeScript source, for tests and the e2e harness; a build passes its bundled file. */
export const DB_WORKER_SOURCE = new URL('./worker.ts', import.meta.url);

/**
 * TypeScript source runs through tsx, registered inside the worker before the entry loads (a
 * worker does not inherit the parent's loaders).
 */
export function spawnDbWorker(entry: URL, data: DbWorkerData): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData: data });
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}

/**
 * Starts the worker on `file` (created and migrated if needed) and resolves once it is ready.
 * `native` says where an Electron build of better-sqlite3 may be (the app passes it); under
 * plain Node the package's own build loads whatever it says. `onWarning` hears what the worker
 * reports while the cache keeps working (its WAL checkpointer failing).
 */
export async function openDb(
  file: string,
  entry: URL = DB_WORKER_SOURCE,
  native?: NativeLookup,
  onWarning: (message: string) => void = () => {},
): Promise<DbClient> {
  const worker = spawnDbWorker(entry, { file, native, electron: process.versions.electron });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let failure: Error | undefined;

  await new Promise<void>((resolve, reject) => {
    worker.once('message', (ready: DbReady) =>
      ready.ready
        ? resolve()
        : reject(new CacheOpenError(`cache ${file} failed to open: ${ready.message}`, ready.code)),
    );
    worker.once('error', reject);
  });
  worker.on('message', (response: DbResponse | DbWarning) => {
    if ('warning' in response) {
      onWarning(response.warning);
      return;
    }
    const call = pending.get(response.id);
    pending.delete(response.id);
    if (response.ok) call?.resolve(response.result);
    else call?.reject(new Error(response.message));
  });
  const failAll = (error: Error) => {
    failure = error;
    for (const call of pending.values()) call.reject(error);
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('cache worker stopped')));

  function call(kind: 'read' | 'write', name: string, arg: unknown): Promise<never> {
    if (failure !== undefined) return Promise.reject(failure);
    const id = nextId++;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, kind, name, arg } as DbRequest);
    });
  }

  return {
    read: (name, arg) => call('read', name, arg),
    write: (name, arg) => call('write', name, arg),
    async close() {
      if (failure !== undefined) return;
      const exited = new Promise((resolve) => worker.once('exit', resolve));
      worker.postMessage({ id: nextId++, kind: 'close' } satisfies DbRequest);
      await exited;
    },
  };
}
