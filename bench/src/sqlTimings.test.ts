import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const timings = fileURLToPath(new URL('./sqlTimings.ts', import.meta.url));
const serverPackage = fileURLToPath(new URL('../../apps/server/package.json', import.meta.url));

it('times the statements a process runs on the server’s better-sqlite3 and lists a slow one with its time (BENCH_SQL)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sql-timings-'));
  try {
    const out = path.join(dir, 'timings.json');
    // A process loaded as the bench server is: its own connection, three quick statements and a
    // slow one (a recursive count to 3 million).
    const script = `
      const Database = require('node:module').createRequire(${JSON.stringify(serverPackage)})('better-sqlite3');
      const db = new Database(':memory:');
      const select = db.prepare('select 1 as one');
      for (let i = 0; i < 3; i += 1) select.get();
      db.prepare('with recursive n(x) as (select 1 union all select x + 1 from n where x < 3000000) select count(*) from n').get();
    `;
    execFileSync(process.execPath, ['--import', 'tsx', '--import', timings, '-e', script], {
      env: { ...process.env, BENCH_SQL: out },
    });
    const written = JSON.parse(fs.readFileSync(out, 'utf8')) as {
      statements: { sql: string; count: number; ms: number }[];
      slow: { at: string; ms: number; sql: string }[];
    };
    expect(written.statements.find((s) => s.sql === 'select 1 as one')?.count).toBe(3);
    expect(written.slow).toHaveLength(1);
    expect(written.slow[0]?.sql).toMatch(/^with recursive n/);
    expect(written.slow[0]?.ms).toBeGreaterThan(3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
