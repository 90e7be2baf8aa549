import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.ts';

/**
 * Builds the renderer exactly as the app ships it (vite, the same CSP, no dev server) into a new
 * temporary folder and answers it: the app's page, the browser client, and the recorder's
 * composition page (`recorder.html`). Each call has its own folder: test files run in parallel
 * workers, and one build emptying a shared folder would pull files from under another's page.
 * A build error throws with vite's output. Vite keeps a `NODE_ENV` it finds set, and vitest sets
 * `test`: the build is told `production`, or React and every library would ship their development
 * builds (several times slower, and not what users run).
 */
export function buildRenderer(): string {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-renderer-'));
  const build = spawnSync(
    path.join(repoRoot, 'node_modules/.bin/vite'),
    ['build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'],
    { cwd: path.join(repoRoot, 'apps/desktop'), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (build.status !== 0) {
    fs.rmSync(outDir, { recursive: true, force: true });
    throw new Error(`renderer build failed:\n${build.stdout}\n${build.stderr}`);
  }
  return outDir;
}
