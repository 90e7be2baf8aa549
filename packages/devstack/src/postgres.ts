import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { aptInstall, isDebianRoot } from './debian.ts';
import { logsDir } from './paths.ts';
import { PortTaken, freeTcpPort, onFreshPorts, spawnListening } from './ports.ts';
import type { Spawned } from './processes.ts';
import { SetupError } from './setupError.ts';

/** Debian's server binaries live per major version; the newest installed one is used. */
const DEBIAN_ROOT = '/usr/lib/postgresql';
/** The role tests connect as: the cluster's own superuser, trusted on loopback only. */
const SUPERUSER = 'tandem';

function installedBinDir(): string | undefined {
  const fromEnv = process.env['POSTGRES_BIN_DIR'];
  if (fromEnv !== undefined && fs.existsSync(path.join(fromEnv, 'postgres'))) return fromEnv;
  if (!fs.existsSync(DEBIAN_ROOT)) return undefined;
  const versions = fs
    .readdirSync(DEBIAN_ROOT)
    .filter((v) => fs.existsSync(path.join(DEBIAN_ROOT, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? undefined : path.join(DEBIAN_ROOT, versions[0], 'bin');
}

/** Finds PostgreSQL's server binaries (initdb, postgres); on Debian as root installs them when missing. */
export function ensurePostgres(log: (line: string) => void = () => {}): string {
  const found = installedBinDir();
  if (found !== undefined) return found;
  if (isDebianRoot()) {
    aptInstall(['postgresql'], log);
    const installed = installedBinDir();
    if (installed !== undefined) return installed;
  }
  throw new SetupError(
    'PostgreSQL is missing: on Debian run `apt-get install postgresql` as root; elsewhere install ' +
      'PostgreSQL 13 or newer and set POSTGRES_BIN_DIR to the folder holding initdb and postgres.',
  );
}

/** The PostgreSQL server binaries when installed (tests that need them are skipped otherwise). */
export const postgresAvailable = (): boolean => installedBinDir() !== undefined;

export type RunningPostgres = {
  /** `postgres://tandem@127.0.0.1:port/postgres`: the superuser on the maintenance database. */
  readonly url: string;
  /** The URL of another database on the same server. */
  urlOf(database: string): string;
  /** The postmaster's process id (its backends are its children). */
  readonly pid: number;
  /** Kills the server at once (SIGKILL) or shuts it down fast, then removes its data folder. */
  stop(): Promise<void>;
};

/**
 * PostgreSQL refuses to run as root: as root the server runs as Debian's `postgres` user (the
 * package creates it), each process dropping privileges before it starts (`setpriv`).
 */
function asServerUser(command: string, args: readonly string[]): [string, string[]] {
  if (process.getuid?.() !== 0) return [command, [...args]];
  // A change of user clears the parent-death signal, so the inner setpriv sets it again.
  const inner = ['setpriv', '--pdeathsig', 'TERM', '--', command, ...args];
  return ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', ...inner]];
}

/**
 * Starts a throw-away PostgreSQL cluster on a free loopback port with its own data folder in the
 * temp directory, trusting local connections (tests only), and waits until it accepts them.
 * Settings favour speed over durability (nothing here outlives the run) unless `durable`, which
 * keeps PostgreSQL's own defaults (every commit synced), as a benchmark of a deployment needs.
 */
export async function startPostgres(options: { readonly durable?: boolean } = {}): Promise<RunningPostgres> {
  const bin = ensurePostgres();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-pg-'));
  if (process.getuid?.() === 0) {
    const ids = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const uid = Number(ids.stdout.trim());
    const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
    if (ids.status !== 0 || !Number.isInteger(uid)) throw new SetupError('the `postgres` user is missing');
    fs.chownSync(dataDir, uid, gid);
  }
  const [initCmd, initArgs] = asServerUser(path.join(bin, 'initdb'), [
    '-D',
    dataDir,
    '-U',
    SUPERUSER,
    '--auth=trust',
    '--encoding=UTF8',
    '--locale=C.UTF-8',
    '--no-sync',
  ]);
  const init = spawnSync(initCmd, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
  // A port chosen free may be taken before PostgreSQL binds it: then again on another.
  const { proc, port } = await onFreshPorts(3, () => serve(bin, dataDir, options));
  const urlOf = (database: string) => `postgres://${SUPERUSER}@127.0.0.1:${port}/${database}`;
  const pid = proc.child.pid;
  if (pid === undefined) throw new Error('PostgreSQL has no process id');
  return {
    url: urlOf('postgres'),
    urlOf,
    pid,
    async stop() {
      // SIGINT is PostgreSQL's fast shutdown: it ends sessions instead of waiting for them.
      proc.child.kill('SIGINT');
      await proc.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** PostgreSQL on `dataDir`, listening on a port chosen free. */
async function serve(
  bin: string,
  dataDir: string,
  options: { readonly durable?: boolean },
): Promise<{ readonly proc: Spawned; readonly port: number }> {
  const port = await freeTcpPort();
  fs.mkdirSync(logsDir, { recursive: true });
  const logFile = path.join(logsDir, `postgres-${port}.log`);
  const [cmd, args] = asServerUser(path.join(bin, 'postgres'), [
    '-D',
    dataDir,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dataDir}`,
    ...(options.durable === true
      ? []
      : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    '-c',
    'max_connections=300',
  ]);
  let proc: Spawned;
  try {
    proc = await spawnListening(cmd, args, logFile, [port], 20_000);
  } catch (e) {
    if (e instanceof PortTaken) throw e;
    throw new Error(`PostgreSQL did not start; see ${logFile}`, { cause: e });
  }
  return { proc, port };
}
