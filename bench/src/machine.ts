import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { ensureChromium } from '@tandem/devstack';

export type Machine = {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  readonly chromium: string;
  /** 1-minute load average when the run started: figures from a busy machine are not comparable. */
  readonly loadAverage1m: number;
};

/** What the figures were measured on; every result line carries it. */
export function describeMachine(): Machine {
  const chromium = spawnSync(ensureChromium(), ['--version'], { encoding: 'utf8' }).stdout.trim();
  return {
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    chromium,
    loadAverage1m: Math.round((os.loadavg()[0] ?? 0) * 100) / 100,
  };
}
