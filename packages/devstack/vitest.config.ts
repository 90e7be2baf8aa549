import { defineConfig } from 'vitest/config';
import { testProject } from './src/vitestConfig.ts';

export default defineConfig(testProject({ name: 'devstack', sip: true, testTimeoutMs: 30_000 }));
