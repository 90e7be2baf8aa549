import fs from 'node:fs';
import path from 'node:path';

export type Totals = {
  readonly passed: number;
  readonly failed: number;
  readonly failedTasks: readonly string[];
  /** Tests that passed only when tried again (see FlakyReporter), as `file > name`. */
  readonly flaky: readonly string[];
};

type VitestJson = {
  numPassedTests: number;
  numFailedTests: number;
  testResults: readonly { status: string; assertionResults: readonly unknown[] }[];
};
type TurboSummary = {
  tasks: readonly { taskId: string; task: string; execution?: { exitCode?: number | null } }[];
};

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * Totals over every suite: tests from each workspace's vitest JSON report (named after the
 * workspace), plus one failure for each suite file that failed before running any test, and
 * one for each failed turbo task (typecheck, lint, or a test run that failed without a
 * failing test to show for it).
 */
export function totalResults(resultsDir: string, turboRunsDir: string): Totals {
  let passed = 0;
  let failed = 0;
  const failedTasks: string[] = [];
  /** Failed test count per report, by workspace name (the report's file name). */
  const failedByReport = new Map<string, number>();
  const reports = fs.existsSync(resultsDir) ? fs.readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
  for (const file of reports) {
    const report = readJson<VitestJson>(path.join(resultsDir, file));
    if (report === undefined) {
      failed += 1;
      failedTasks.push(`unreadable report ${file}`);
      continue;
    }
    const brokenSuites = report.testResults.filter(
      (s) => s.status === 'failed' && s.assertionResults.length === 0,
    ).length;
    passed += report.numPassedTests;
    failed += report.numFailedTests + brokenSuites;
    failedByReport.set(path.basename(file, '.json'), report.numFailedTests + brokenSuites);
  }
  const summaries = fs.existsSync(turboRunsDir) ? fs.readdirSync(turboRunsDir).filter((f) => f.endsWith('.json')) : [];
  for (const file of summaries) {
    const summary = readJson<TurboSummary>(path.join(turboRunsDir, file));
    for (const task of summary?.tasks ?? []) {
      const exitCode = task.execution?.exitCode;
      if (exitCode === undefined || exitCode === null || exitCode === 0) continue;
      failedTasks.push(task.taskId);
      const workspace = (task.taskId.split('#')[0] ?? '').replace(/^@[^/]+\//, '');
      const countedAlready = (failedByReport.get(workspace) ?? 0) > 0;
      if (!countedAlready) failed += 1;
    }
  }
  const flakyDir = path.join(resultsDir, 'flaky');
  const flaky = (fs.existsSync(flakyDir) ? fs.readdirSync(flakyDir) : []).flatMap(
    (file) => readJson<string[]>(path.join(flakyDir, file)) ?? [],
  );
  return { passed, failed, failedTasks, flaky };
}
