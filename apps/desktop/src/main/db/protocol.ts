import type { NativeLookup } from './nativeBinding.ts';
import type { Reads, Writes } from './queries.ts';

/** Main → worker: call one query by name. Results come back by structured clone. */
export type DbRequest =
  | { readonly id: number; readonly kind: 'read'; readonly name: keyof Reads; readonly arg: unknown }
  | { readonly id: number; readonly kind: 'write'; readonly name: keyof Writes; readonly arg: unknown }
  /** Close the database (checkpointing the WAL) and end the thread. */
  | { readonly id: number; readonly kind: 'close' };

export type DbResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** Something main should log, the cache still working (its checkpointer failed, say). */
export type DbWarning = { readonly warning: string };

/** The worker's start-up report: the schema is ready, or why it is not (`code` when it is known). */
export type DbReady =
  { readonly ready: true } | { readonly ready: false; readonly message: string; readonly code?: string | undefined };

export type DbWorkerData = {
  readonly file: string;
  /** Where an Electron build of better-sqlite3 may be; none under Node (tests, harness, bench). */
  readonly native?: NativeLookup | undefined;
  /** Main's `process.versions.electron`: a worker thread's own `process.versions` may lack it. */
  readonly electron?: string | undefined;
};
