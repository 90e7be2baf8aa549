import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { expect, it } from 'vitest';
import { treeCpuSeconds } from './serverProcess.ts';

it('counts the CPU of a process below the root that ended between two readings (a PostgreSQL backend whose connection closed)', async () => {
  // A child that starts a grandchild using 0.4 s of CPU, which ends before the second reading;
  // the child then becomes `sleep` (exec), so killing it leaves nothing behind.
  const burn = 'while (process.cpuUsage().user < 400000);';
  const root = spawn('sh', ['-c', `sleep 0.3; "${process.execPath}" -e '${burn}'; echo ended; exec sleep 30`], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const pid = root.pid;
    if (pid === undefined) throw new Error('sh did not start');
    const before = treeCpuSeconds(pid);
    const [line] = (await once(root.stdout, 'data')) as [Buffer];
    expect(line.toString()).toBe('ended\n');
    expect(treeCpuSeconds(pid) - before).toBeGreaterThanOrEqual(0.35);
  } finally {
    root.kill();
  }
}, 20_000);
