import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { totalResults } from './testTotals.ts';

function scratch(): { results: string; runs: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'totals-'));
  const results = path.join(root, 'results');
  const runs = path.join(root, 'runs');
  fs.mkdirSync(results);
  fs.mkdirSync(runs);
  return { results, runs };
}

const report = (passed: number, failed: number, brokenSuites = 0) => ({
  numPassedTests: passed,
  numFailedTests: failed,
  testResults: [
    { status: failed > 0 ? 'failed' : 'passed', assertionResults: [{}] },
    ...Array.from({ length: brokenSuites }, () => ({ status: 'failed', assertionResults: [] })),
  ],
});

describe('totalResults', () => {
  it('adds tests over every workspace report', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir.results, 'server.json'), JSON.stringify(report(5, 1)));
    fs.writeFileSync(path.join(dir.results, 'e2e.json'), JSON.stringify(report(2, 0)));
    expect(totalResults(dir.results, dir.runs)).toMatchObject({ passed: 7, failed: 1 });
  });

  it('counts a suite that failed to load and a failed typecheck as failures', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir.results, 'server.json'), JSON.stringify(report(3, 0, 1)));
    fs.writeFileSync(
      path.join(dir.runs, 'run.json'),
      JSON.stringify({
        tasks: [
          { taskId: '@tandem/shared#typecheck', task: 'typecheck', execution: { exitCode: 2 } },
          { taskId: '@tandem/server#test', task: 'test', execution: { exitCode: 1 } },
          { taskId: '@tandem/e2e#e2e', task: 'e2e', execution: { exitCode: 0 } },
        ],
      }),
    );
    const totals = totalResults(dir.results, dir.runs);
    // 1 broken suite in server (its failed test task is already counted by it) + 1 typecheck
    expect(totals).toMatchObject({ passed: 3, failed: 2 });
    expect(totals.failedTasks).toEqual(['@tandem/shared#typecheck', '@tandem/server#test']);
  });

  it('counts a test task that failed without writing a report', () => {
    const dir = scratch();
    fs.writeFileSync(
      path.join(dir.runs, 'run.json'),
      JSON.stringify({ tasks: [{ taskId: '@tandem/e2e#e2e', task: 'e2e', execution: { exitCode: 1 } }] }),
    );
    expect(totalResults(dir.results, dir.runs)).toMatchObject({ passed: 0, failed: 1 });
  });
});

describe('flaky tests', () => {
  it('lists the tests that passed only when tried again, from every workspace', () => {
    const dir = scratch();
    fs.writeFileSync(path.join(dir.results, 'server.json'), JSON.stringify(report(4, 0)));
    fs.mkdirSync(path.join(dir.results, 'flaky'));
    fs.writeFileSync(path.join(dir.results, 'flaky', 'server.json'), JSON.stringify(['a.test.ts > joins']));
    fs.writeFileSync(path.join(dir.results, 'flaky', 'e2e.json'), JSON.stringify([]));
    expect(totalResults(dir.results, dir.runs)).toMatchObject({ passed: 4, failed: 0, flaky: ['a.test.ts > joins'] });
  });
});
