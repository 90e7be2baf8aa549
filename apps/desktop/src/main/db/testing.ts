import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from 'vitest';

/**
 * A fresh folder under the OS temp dir for each test's real SQLite files, removed after it.
 * Returns a getter because the folder exists only while a test runs.
 */
export function useTempFolder(prefix = 'tandem-cache-'): () => string {
  let dir: string | undefined;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  });
  afterEach(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return () => {
    if (dir === undefined) throw new Error('useTempFolder: no test is running');
    return dir;
  };
}
