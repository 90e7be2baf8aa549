import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freeTcpPort, logsDir, repoRoot, spawnOwned, startLivekit, type RunningLivekit } from '@tandem/devstack';

export type BenchServer = {
  readonly url: string;
  readonly pid: number;
  /** Its SQLite file, for benchmarks that seed what another process would write (transcripts). */
  readonly databasePath: string;
  stop(): Promise<void>;
};

/**
 * The coordination server in its own process (as deployed), on a fresh SQLite file, with
 * rate limits raised so the load generator measures fan-out rather than the limiter.
 */
export async function startBenchServer(
  /** More of the server's settings; transcription (the speech model) is off unless asked for. */
  env: Readonly<Record<string, string>> = {},
): Promise<BenchServer> {
  const livekit: RunningLivekit = await startLivekit();
  const port = await freeTcpPort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-server-'));
  fs.mkdirSync(logsDir, { recursive: true });
  const proc = spawnOwned(
    process.execPath,
    [
      ...(process.env['BENCH_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROF']] : []),
      // A heap snapshot into that folder on each SIGUSR2 (`kill -USR2 <pid>`).
      ...(process.env['BENCH_HEAP']
        ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${process.env['BENCH_HEAP']}`]
        : []),
      '--import',
      'tsx',
      path.join(repoRoot, 'apps/server/src/main.ts'),
    ],
    path.join(logsDir, `bench-server-${port}.log`),
    {
      PORT: String(port),
      DATABASE_PATH: path.join(dir, 'server.db'),
      LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
      LIVEKIT_URL: livekit.wsUrl,
      LIVEKIT_API_KEY: livekit.apiKey,
      LIVEKIT_API_SECRET: livekit.apiSecret,
      SIGNIN_RATE_PER_MINUTE: '1000000',
      SIGNUP_RATE_PER_MINUTE: '1000000',
      MESSAGE_RATE_PER_MINUTE: '1000000',
      TRANSCRIPTION: 'off',
      ...env,
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (
    !(await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > deadline || proc.child.exitCode !== null)
      throw new Error(`bench server did not start; see ${logsDir}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const pid = proc.child.pid;
  if (pid === undefined) throw new Error('bench server has no pid');
  return {
    url,
    pid,
    databasePath: path.join(dir, 'server.db'),
    async stop() {
      await proc.stop();
      await livekit.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}
