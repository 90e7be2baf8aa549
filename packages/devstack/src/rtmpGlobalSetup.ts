import { ensureRtmpServer } from './rtmp.ts';

/**
 * vitest globalSetup for live streaming tests: installs nginx and its RTMP module when missing
 * (apt-get, too long for a test hook). The tests start their own nginx with `startRtmpServer()`.
 */
export default function setup(): void {
  ensureRtmpServer((line) => {
    process.stdout.write(`[tandem] ${line}\n`);
  });
}
