import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/**
 * Children this process started. They are ended when this process exits normally, and on
 * Linux the kernel ends them when it dies any other way (setpriv --pdeathsig), so an
 * interrupted test run never leaves a livekit-server behind.
 */
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

const hasSetpriv = process.platform === 'linux' && spawnSync('setpriv', ['--help'], { stdio: 'ignore' }).status === 0;

export type Spawned = {
  readonly child: ChildProcess;
  /** Ends the process: SIGTERM, then SIGKILL after graceMs. Resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
};

export function spawnOwned(
  command: string,
  args: readonly string[],
  logFile: string,
  env: Readonly<Record<string, string>> = {},
): Spawned {
  const log = fs.openSync(logFile, 'a');
  const [cmd, argv] = hasSetpriv ? ['setpriv', ['--pdeathsig', 'TERM', '--', command, ...args]] : [command, [...args]];
  const child = spawn(cmd, argv, { stdio: ['ignore', log, log], env: { ...process.env, ...env } });
  fs.closeSync(log);
  children.add(child);
  child.once('exit', () => children.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const c of children) c.kill('SIGKILL');
    });
  }
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
  return {
    child,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The processes (Linux: from /proc) whose command line holds every one of `args`, e.g. a
 * recorder by `--recording <id>`: how a test finds one process it did not start itself.
 */
export function processesWithArgs(...args: readonly string[]): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      // It ended while we looked.
      continue;
    }
    if (args.every((a) => argv.includes(a))) found.push(Number(entry));
  }
  return found;
}
