import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** Whether the set-up may install Debian packages itself: Linux, root, apt-get present. */
export function isDebianRoot(): boolean {
  return process.platform === 'linux' && process.getuid?.() === 0 && fs.existsSync('/usr/bin/apt-get');
}

/** Installs Debian packages (apt-get update first), saying so; the caller checks what it got. */
export function aptInstall(packages: readonly string[], log: (line: string) => void): void {
  log(`installing Debian ${packages.join(', ')} (apt-get)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
  spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { stdio: 'inherit', env });
}
