import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestCase } from 'vitest/node';

/**
 * Writes `<name>.flaky.json` next to a workspace's JSON report: every test that failed and then
 * passed when tried again. A retry keeps a run green, so this list is what keeps it honest:
 * `npm test` prints each one above its totals.
 */
export class FlakyReporter implements Reporter {
  private readonly flaky: string[] = [];

  constructor(private readonly outputFile: string) {}

  onTestCaseResult(testCase: TestCase): void {
    if (testCase.diagnostic()?.flaky === true) {
      this.flaky.push(`${testCase.module.relativeModuleId} > ${testCase.fullName}`);
    }
  }

  onTestRunEnd(): void {
    fs.mkdirSync(path.dirname(this.outputFile), { recursive: true });
    fs.writeFileSync(this.outputFile, JSON.stringify(this.flaky));
  }
}
