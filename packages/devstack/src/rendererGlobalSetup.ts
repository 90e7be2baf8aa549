import fs from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildRenderer } from './renderer.ts';

/**
 * vitest globalSetup: one build of the renderer for the whole run (a production build takes
 * seconds, and every end-to-end file serves the same one), removed at the end. Files only read it.
 */
export default function setup(project: TestProject): () => void {
  const dir = buildRenderer();
  project.provide('renderer', dir);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
