import type { TestProject } from 'vitest/node';
import { startLivekit } from './livekit.ts';

/** vitest globalSetup: one real livekit-server for the whole run, stopped at the end. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const livekit = await startLivekit();
  project.provide('livekit', {
    wsUrl: livekit.wsUrl,
    httpUrl: livekit.httpUrl,
    apiKey: livekit.apiKey,
    apiSecret: livekit.apiSecret,
    logFile: livekit.logFile,
  });
  return () => livekit.stop();
}
