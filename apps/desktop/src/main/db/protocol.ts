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

/** The worker's start-up report: the schema is ready, or why it is not. */
export type DbReady = { readonly ready: true } | { readonly ready: false; readonly message: string };

export type DbWorkerData = { readonly file: string };
