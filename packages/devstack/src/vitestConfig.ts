import path from 'node:path';
import type { ViteUserConfig } from 'vitest/config';
import type { LivekitInfo } from './livekit.ts';
import { FlakyReporter } from './flakyReporter.ts';
import { testResultsDir } from './paths.ts';

declare module 'vitest' {
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions -- module augmentation merges interfaces only
  export interface ProvidedContext {
    /** The real livekit-server started for this test run (see livekitGlobalSetup.ts). */
    livekit: LivekitInfo;
    /** The superuser URL of the PostgreSQL started for this run, or null without PostgreSQL (postgresGlobalSetup.ts). */
    postgres: string | null;
    /** The run's production build of the renderer (rendererGlobalSetup.ts): served read-only by every file. */
    renderer: string;
    /** Where test servers keep their data: `postgres` when the run was started with TANDEM_TEST_STORE=postgres. */
    testStore: 'sqlite' | 'postgres';
  }
}

export type TestProjectOptions = {
  /** Used for the JSON results file that `npm test` totals. */
  readonly name: string;
  /** Start a real livekit-server for the run; tests read it with `inject('livekit')`. */
  readonly livekit?: boolean;
  /** Start a throw-away PostgreSQL for the run; tests read its URL with `inject('postgres')`. */
  readonly postgres?: boolean;
  /** Build livekit-sip and install the SIP test agent before the run (phone tests start them with `startSip()`). */
  readonly sip?: boolean;
  /** Build the renderer once for the run; tests read its folder with `inject('renderer')`. */
  readonly renderer?: boolean;
  /** Install nginx with its RTMP module before the run (live streaming tests start it with `startRtmpServer()`). */
  readonly rtmp?: boolean;
  /** Per-test timeout; end-to-end tests with browsers and media need more than the default. */
  readonly testTimeoutMs?: number;
  readonly include?: readonly string[];
  readonly environment?: 'node' | 'jsdom';
  /**
   * Where the run's test servers keep their data (`inject('testStore')`): SQLite files unless
   * given, or the run's PostgreSQL (with `postgres`), as TANDEM_TEST_STORE=postgres does for any run.
   */
  readonly store?: 'sqlite' | 'postgres';
};

/**
 * One vitest configuration shape for every workspace, so results land where `npm test` reads them.
 * Under CI a test that runs against real processes (livekit-server, browsers, the speech model) is
 * tried once more when it fails, since a loaded machine can slow one of them past a deadline; a
 * test that passes only on that second try is listed by `npm test` as flaky, not hidden.
 */
export function testProject(options: TestProjectOptions): ViteUserConfig {
  const realProcesses = options.livekit === true || options.sip === true;
  return {
    test: {
      retry: realProcesses && ['true', '1'].includes(process.env['CI'] ?? '') ? 1 : 0,
      name: options.name,
      provide: { testStore: options.store ?? 'sqlite' },
      include: [...(options.include ?? ['src/**/*.test.ts', 'src/**/*.test.tsx'])],
      testTimeout: options.testTimeoutMs ?? 10_000,
      // Set-up (servers, browsers, sign-ins) is not tried again like a test, so it gets room to be slow.
      hookTimeout: Math.max(options.testTimeoutMs ?? 10_000, 120_000),
      globalSetup: [
        ...(options.livekit === true ? [path.join(import.meta.dirname, 'livekitGlobalSetup.ts')] : []),
        ...(options.postgres === true ? [path.join(import.meta.dirname, 'postgresGlobalSetup.ts')] : []),
        ...(options.renderer === true ? [path.join(import.meta.dirname, 'rendererGlobalSetup.ts')] : []),
        ...(options.sip === true ? [path.join(import.meta.dirname, 'sipGlobalSetup.ts')] : []),
        ...(options.rtmp === true ? [path.join(import.meta.dirname, 'rtmpGlobalSetup.ts')] : []),
      ],
      reporters: [
        'default',
        ['json', { outputFile: path.join(testResultsDir, `${options.name}.json`) }],
        new FlakyReporter(path.join(testResultsDir, 'flaky', `${options.name}.json`)),
      ],
    },
  };
}
