import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { aptInstall, isDebianRoot } from './debian.ts';
import { repoRoot } from './paths.ts';
import { SetupError } from './setupError.ts';

/** A Python venv made from one requirements file of wheels pinned by version and hash. */
export type PinnedVenv = {
  /** Who needs it, for messages ("captions", "the pages demo"). */
  readonly purpose: string;
  readonly requirements: string;
  readonly dir: string;
  /** CPython versions the pinned wheels are for. */
  readonly pythons: readonly string[];
  /** An interpreter to try first (an environment variable's). */
  readonly preferred?: string | undefined;
};

function pythonVersion(python: string): string | undefined {
  const run = spawnSync(python, ['-c', 'import sys; print("%d.%d" % sys.version_info[:2])'], { encoding: 'utf8' });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

/**
 * Makes the venv from its requirements (every wheel pinned by version and hash; pip refuses
 * anything else), skipped when it was made from the same requirements already. On Debian as root
 * it installs python3 and python3-venv when they are missing. Returns the venv's Python.
 */
export function ensurePinnedVenv(v: PinnedVenv, log: (line: string) => void = () => {}): string {
  const python = path.join(v.dir, 'bin', 'python');
  // Written last: the hash of the requirements the venv was made from.
  const marker = path.join(v.dir, 'tandem-requirements.sha256');
  const wanted = createHash('sha256').update(fs.readFileSync(v.requirements)).digest('hex');
  if (fs.existsSync(python) && fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').trim() === wanted)
    return python;
  const find = (): string | undefined =>
    [v.preferred, 'python3', ...v.pythons.map((p) => `python${p}`), '/usr/bin/python3'].find(
      (p): p is string => p !== undefined && v.pythons.includes(pythonVersion(p) ?? ''),
    );
  let base = find();
  const canVenv = (p: string) => spawnSync(p, ['-c', 'import venv, ensurepip'], { stdio: 'ignore' }).status === 0;
  if ((base === undefined || !canVenv(base)) && isDebianRoot()) {
    aptInstall(['python3', 'python3-venv'], log);
    base = find();
  }
  if (base === undefined || !canVenv(base)) {
    throw new SetupError(
      `${v.purpose} need Python ${v.pythons.join(', ')} with venv: on Debian run \`apt-get install python3 python3-venv\` as root.`,
    );
  }
  log(`installing ${v.purpose}'s packages into ${path.relative(repoRoot, v.dir)} (pinned wheels)…`);
  fs.rmSync(v.dir, { recursive: true, force: true });
  const venv = spawnSync(base, ['-m', 'venv', v.dir], { stdio: 'inherit' });
  const pip =
    venv.status === 0
      ? spawnSync(
          python,
          [
            '-m',
            'pip',
            'install',
            '--disable-pip-version-check',
            '--no-input',
            '--quiet',
            '--require-hashes',
            '--only-binary=:all:',
            '--no-deps',
            '-r',
            v.requirements,
          ],
          { stdio: 'inherit' },
        )
      : venv;
  if (pip.status !== 0) {
    throw new SetupError(`${v.purpose}'s packages could not be installed (see pip's output above); ${v.requirements}`);
  }
  fs.writeFileSync(marker, `${wanted}\n`);
  return python;
}
