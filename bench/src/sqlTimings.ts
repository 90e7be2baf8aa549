/**
 * Loaded into a bench coordination server before its code (`--import`, when `BENCH_SQL=<file>` is
 * set: serverProcess.ts): times every SQLite statement the server runs and writes to that file,
 * every few seconds and at exit, each statement's count and total time, and each run slower than
 * SLOW_MS with its wall-clock time, to be set beside a run's other records (statements read by
 * `iterate`, which runs nothing until it is stepped, are not timed). It found the commits
 * that stalled the server for a checkpoint (BENCHMARKS.md, session 27). Timing adds two clock
 * readings to every statement: a run with it is not one to take figures from.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type BetterSqlite3 from 'better-sqlite3';

/** A statement run slower than this (ms) is listed on its own. */
const SLOW_MS = 3;
const WRITE_EVERY_MS = 3_000;
/** Statements listed, the most time first. */
const LISTED = 40;

const file = process.env['BENCH_SQL'];
if (file !== undefined && file !== '') {
  // The server's own better-sqlite3 (the module every connection of this process comes from).
  const serverPackage = fileURLToPath(new URL('../../apps/server/package.json', import.meta.url));
  const Database = createRequire(serverPackage)('better-sqlite3') as typeof BetterSqlite3;
  const totals = new Map<string, { count: number; ms: number }>();
  const slow: { at: string; ms: number; sql: string }[] = [];
  const timed = <A extends unknown[], R>(sql: string, run: (...args: A) => R) =>
    function (this: unknown, ...args: A): R {
      const started = performance.now();
      try {
        return run.apply(this, args);
      } finally {
        const ms = performance.now() - started;
        const total = totals.get(sql) ?? { count: 0, ms: 0 };
        total.count += 1;
        total.ms += ms;
        totals.set(sql, total);
        if (ms > SLOW_MS)
          slow.push({ at: new Date().toISOString(), ms: Math.round(ms * 10) / 10, sql: sql.slice(0, 120) });
      }
    };
  const prepare = Database.prototype.prepare;
  Database.prototype.prepare = function (this: BetterSqlite3.Database, sql: string) {
    const statement = prepare.call(this, sql);
    statement.run = timed(sql, statement.run);
    statement.get = timed(sql, statement.get);
    statement.all = timed(sql, statement.all);
    return statement;
  } as typeof prepare;
  const write = (): void => {
    const statements = [...totals]
      .map(([sql, t]) => ({ sql, count: t.count, ms: Math.round(t.ms * 10) / 10 }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, LISTED);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ pid: process.pid, statements, slow }, null, 1));
  };
  setInterval(write, WRITE_EVERY_MS).unref();
  process.on('exit', write);
}
