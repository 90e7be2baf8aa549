import { defineConfig } from 'vitest/config';
import { testProject } from '../../packages/devstack/src/vitestConfig.ts';

export default defineConfig(testProject({ name: 'sqlite-checkpointer' }));
