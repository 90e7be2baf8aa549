import { testProject } from '../packages/devstack/src/vitestConfig.ts';
import { defineConfig } from 'vitest/config';

export default defineConfig(
  testProject({
    name: 'e2e',
    livekit: true,
    sip: true,
    renderer: true,
    rtmp: true,
    testTimeoutMs: 90_000,
    include: ['**/*.e2e.test.ts'],
  }),
);
