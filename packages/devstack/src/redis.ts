import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { aptInstall, isDebianRoot } from './debian.ts';
import { logsDir } from './paths.ts';
import { PortTaken, freeTcpPort, onFreshPorts, spawnListening } from './ports.ts';
import type { Spawned } from './processes.ts';
import { SetupError } from './setupError.ts';

function onPath(): string | undefined {
  const fromEnv = process.env['REDIS_SERVER_PATH'];
  if (fromEnv !== undefined && fs.existsSync(fromEnv)) return fromEnv;
  const out = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  const found = out.stdout.trim();
  return out.status === 0 && found !== '' ? found : undefined;
}

/** Finds redis-server; on Debian as root installs the `redis-server` package when it is missing. */
export function ensureRedis(log: (line: string) => void = () => {}): string {
  const found = onPath();
  if (found !== undefined) return found;
  if (isDebianRoot()) {
    aptInstall(['redis-server'], log);
    const installed = onPath();
    if (installed !== undefined) return installed;
  }
  throw new SetupError(
    'redis-server is missing: on Debian run `apt-get install redis-server` as root; elsewhere install ' +
      'Redis 6 or newer and put redis-server on PATH (or set REDIS_SERVER_PATH).',
  );
}

export const redisAvailable = (): boolean => onPath() !== undefined;

export type RunningRedis = {
  /** `redis://127.0.0.1:port` */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Ends the server: SIGKILL when `kill`, else a normal shutdown. Its data folder goes with it. */
  stop(kill?: boolean): Promise<void>;
};

/**
 * Starts a throw-away redis-server on loopback (a free port unless `port` is given, e.g. to start
 * it again where clients look for it) with its own folder and no persistence.
 */
export function startRedis(options: { readonly port?: number } = {}): Promise<RunningRedis> {
  // A port chosen free may be taken before redis binds it: then again on another (never a port given).
  return options.port === undefined ? onFreshPorts(3, () => startOn(undefined)) : startOn(options.port);
}

async function startOn(given: number | undefined): Promise<RunningRedis> {
  const binary = ensureRedis();
  const port = given ?? (await freeTcpPort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-redis-'));
  fs.mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, `redis-${port}.log`);
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'];
  let proc: Spawned;
  try {
    proc = await spawnListening(binary, args, logFile, [port], 10_000);
  } catch (e) {
    if (e instanceof PortTaken) throw e;
    throw new Error(`redis-server did not start; see ${logFile}`, { cause: e });
  }
  const pid = proc.child.pid;
  if (pid === undefined) throw new Error('redis-server has no process id');
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid,
    async stop(kill = false) {
      if (kill) proc.child.kill('SIGKILL');
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
