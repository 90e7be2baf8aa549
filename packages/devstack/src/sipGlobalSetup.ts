import { ensureSip, ensureSipp } from './sip.ts';
import { ensureEspeak } from './speech.ts';

/**
 * vitest globalSetup for phone tests: builds livekit-sip when it is not cached yet (minutes, too
 * long for a test hook) and ensures the SIP user agent and the voice the tests call with. The
 * tests start their own Redis, livekit-server and livekit-sip with `startSip()`.
 */
export default function setup(): void {
  const say = (line: string): void => {
    process.stdout.write(`[tandem] ${line}\n`);
  };
  ensureSip(say);
  ensureSipp(say);
  ensureEspeak(say);
}
