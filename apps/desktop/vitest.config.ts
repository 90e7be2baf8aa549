import { defineConfig } from 'vitest/config';
import { testProject } from '../../packages/devstack/src/vitestConfig.ts';

export default defineConfig(
  testProject({
    name: 'desktop',
    livekit: true,
    testTimeoutMs: 30_000,
    // scripts/ holds the renderer's import-cycle check beside the build script.
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
  }),
);
