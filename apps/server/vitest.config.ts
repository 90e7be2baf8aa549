import { defineConfig } from 'vitest/config';
import { testProject } from '../../packages/devstack/src/vitestConfig.ts';

export default defineConfig(
  testProject({ name: 'server', livekit: true, postgres: true, sip: true, rtmp: true, testTimeoutMs: 30_000 }),
);
