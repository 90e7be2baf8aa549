import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  freeTcpPort,
  logsDir,
  repoRoot,
  spawnOwned,
  startLivekit,
  startPostgres,
  startRedis,
  type RunningLivekit,
} from '@tandem/devstack';
import { inspectorOnLoopback } from './retained.ts';

export type BenchServer = {
  readonly url: string;
  readonly pid: number;
  /**
   * Its SQLite file or PostgreSQL URL, for benchmarks that seed what another process would write
   * (transcripts, people and sessions by the thousand: seed.ts).
   */
  readonly databasePath: string;
  /** Its inspector's loopback port, to ask what it keeps (retained.ts). */
  readonly inspectorPort: number;
  stop(): Promise<void>;
};

/**
 * The coordination server in its own process (as deployed), on a fresh SQLite file, with
 * rate limits raised so the load generator measures fan-out rather than the limiter.
 */
export async function startBenchServer(
  /** More of the server's settings; transcription (the speech model) is off unless asked for. */
  env: Readonly<Record<string, string>> = {},
  /** A LiveKit the caller started and stops (instances of one cluster share it); else its own. */
  shared?: RunningLivekit,
): Promise<BenchServer> {
  const livekit: RunningLivekit = shared ?? (await startLivekit());
  const port = await freeTcpPort();
  const inspector = await inspectorOnLoopback();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bench-server-'));
  fs.mkdirSync(logsDir, { recursive: true });
  const proc = spawnOwned(
    process.execPath,
    [
      inspector.flag,
      ...(process.env['BENCH_PROF'] ? ['--cpu-prof', '--cpu-prof-dir', process.env['BENCH_PROF']] : []),
      // A heap snapshot into that folder on each SIGUSR2 (`kill -USR2 <pid>`).
      ...(process.env['BENCH_HEAP']
        ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${process.env['BENCH_HEAP']}`]
        : []),
      '--import',
      'tsx',
      // Every SQLite statement timed, into that file (sqlTimings.ts).
      ...(process.env['BENCH_SQL'] ? ['--import', path.join(repoRoot, 'bench/src/sqlTimings.ts')] : []),
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
    databasePath: env['DATABASE_URL'] ?? path.join(dir, 'server.db'),
    inspectorPort: inspector.port,
    async stop() {
      await proc.stop();
      if (shared === undefined) await livekit.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Coordination instances sharing one deployment's stores, and those stores' processes. */
export type BenchCluster = {
  readonly servers: readonly BenchServer[];
  /** PostgreSQL's and Redis's: their process trees' CPU is what the instances cost the stores. */
  readonly supportPids: readonly number[];
  stop(): Promise<void>;
};

/**
 * `instances` coordination servers as deployed beyond one machine (docs/deploy/): one PostgreSQL
 * with its own durability defaults (every commit synced), one Redis, one LiveKit, all on loopback.
 */
export async function startBenchCluster(instances: number): Promise<BenchCluster> {
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of [...stops].reverse()) await s();
  };
  try {
    const postgres = await startPostgres({ durable: true });
    stops.push(() => postgres.stop());
    const redis = await startRedis();
    stops.push(() => redis.stop());
    const livekit = await startLivekit();
    stops.push(() => livekit.stop());
    const env = { DATABASE_URL: postgres.url, REDIS_URL: redis.url };
    const servers: BenchServer[] = [];
    // One after another: the first migrates the database, the others find it current.
    for (let i = 0; i < instances; i += 1) {
      const server = await startBenchServer(env, livekit);
      servers.push(server);
      stops.push(() => server.stop());
    }
    return { servers, supportPids: [postgres.pid, redis.pid], stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSecondsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

type ProcessStat = {
  readonly pid: number;
  readonly ppid: number;
  /**
   * CPU seconds (user + system) it used so far, and those of its children that ended and it
   * waited for (the kernel adds them to the parent's `cutime`/`cstime`): a PostgreSQL backend
   * whose connection closed still counts, in its postmaster, instead of vanishing from the sum.
   */
  readonly cpuSeconds: number;
};

/** Every process's parent and CPU seconds so far (user + system, its ended children's included), from /proc. */
function processes(): ProcessStat[] {
  const out: ProcessStat[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended meanwhile
    }
    // The command name may hold spaces and parentheses: the fields follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.push({
      pid: Number(entry),
      ppid: Number(fields[1]),
      cpuSeconds:
        (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / TICKS_PER_SECOND,
    });
  }
  return out;
}

/**
 * CPU seconds used so far by `root` and every process below it (PostgreSQL's backends), those
 * that ended meanwhile included: a delta of two readings is the CPU the tree used between them.
 */
export function treeCpuSeconds(root: number): number {
  const all = processes();
  return (all.find((p) => p.pid === root)?.cpuSeconds ?? 0) + descendantsOf(root, all).cpuSeconds;
}

/** The CPU seconds used so far by the descendants of `root` (not `root` itself), and how many there are. */
export function descendantsCpu(root: number): { readonly cpuSeconds: number; readonly count: number } {
  return descendantsOf(root, processes());
}

function descendantsOf(
  root: number,
  all: readonly ProcessStat[],
): { readonly cpuSeconds: number; readonly count: number } {
  const children = new Map<number, ProcessStat[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  let cpuSeconds = 0;
  let count = 0;
  const stack = [...(children.get(root) ?? [])];
  for (let p = stack.pop(); p !== undefined; p = stack.pop()) {
    cpuSeconds += p.cpuSeconds;
    count += 1;
    stack.push(...(children.get(p.pid) ?? []));
  }
  return { cpuSeconds, count };
}

/** Resident memory of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  return Number(kb ?? 0) * 1024;
}
