import { defineConfig } from 'vitest/config';
import { testProject } from '../../packages/devstack/src/vitestConfig.ts';
import { wat } from './scripts/wat.ts';

export default defineConfig({
  // The renderer's WebAssembly loops (media/wasm/) are compiled from their text as in the build.
  plugins: [wat()],
  ...testProject({
    name: 'desktop',
    livekit: true,
    testTimeoutMs: 30_000,
    // scripts/ holds the renderer's import-cycle check beside the build script.
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
  }),
});
