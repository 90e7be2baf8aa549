import type { Database } from 'better-sqlite3';

/** One schema step. `version` is what `user_version` reads after it; steps run in order, once. */
export type Migration = {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
};
