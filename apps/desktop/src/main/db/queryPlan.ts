import type { Database } from 'better-sqlite3';

/** What SQLite plans for a statement, one line per step (`EXPLAIN QUERY PLAN`'s detail column). */
export function queryPlan(db: Database, sql: string, params: readonly unknown[] = []): string[] {
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[];
  return rows.map((row) => row.detail);
}

/** Throws unless the plan searches with `index`: a query that silently scans is a slow cache. */
export function assertUsesIndex(db: Database, sql: string, params: readonly unknown[], index: string): void {
  const plan = queryPlan(db, sql, params);
  if (!plan.some((step) => new RegExp(`\\bUSING (COVERING )?INDEX ${index}\\b`).test(step))) {
    throw new Error(`expected the plan to use index ${index}, got:\n${plan.join('\n')}`);
  }
}
