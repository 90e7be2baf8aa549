import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { startVitest } from 'vitest/node';
import { FlakyReporter } from './flakyReporter.ts';

it('records a test that failed once and passed when tried again, and not one that passed at once', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'flaky-'));
  try {
    // The first try of "settles late" fails (no marker file yet) and leaves the marker behind.
    fs.writeFileSync(
      path.join(root, 'sample.test.ts'),
      [
        "import fs from 'node:fs';",
        "import { expect, it } from 'vitest';",
        `const marker = ${JSON.stringify(path.join(root, 'tried'))};`,
        "it('settles late', () => {",
        '  const triedBefore = fs.existsSync(marker);',
        "  fs.writeFileSync(marker, '');",
        '  expect(triedBefore).toBe(true);',
        '});',
        "it('passes at once', () => expect(1).toBe(1));",
      ].join('\n'),
    );
    const outputFile = path.join(root, 'flaky', 'sample.json');
    const vitest = await startVitest('test', [], {
      root,
      retry: 1,
      watch: false,
      config: false,
      reporters: [new FlakyReporter(outputFile)],
    });
    await vitest.close();
    expect(JSON.parse(fs.readFileSync(outputFile, 'utf8'))).toEqual(['sample.test.ts > settles late']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 5 });
  }
});
