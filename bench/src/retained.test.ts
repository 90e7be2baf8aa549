import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { inspectorOnLoopback, retainedBytes } from './retained.ts';

const MiB = 2 ** 20;

/** A Node process that keeps `keptMiB` outside its heap and `garbageMiB` of strings it dropped, then idles. */
async function holder(keptMiB: number, garbageMiB: number) {
  const inspector = await inspectorOnLoopback();
  const script = `
    const kept = Buffer.alloc(${keptMiB} * 2 ** 20, 1);
    let dropped = [];
    for (let i = 0; i < ${garbageMiB} * 1024; i += 1) dropped.push('x'.repeat(1000) + i);
    dropped = null;
    setInterval(() => { kept[0] += 1; }, 1000);
    console.log('ready');
  `;
  const child = spawn(process.execPath, [inspector.flag, '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(child.stdout, 'data');
  return { port: inspector.port, stop: () => child.kill() };
}

/** A Node process whose main thread is busy from `busyAfterMs` on for `busyMs` (no inspector answer meanwhile), then exits. */
async function busy(busyAfterMs: number, busyMs: number) {
  const inspector = await inspectorOnLoopback();
  const script = `
    setTimeout(() => { const end = Date.now() + ${busyMs}; while (Date.now() < end); process.exit(0); }, ${busyAfterMs});
    console.log('ready');
  `;
  const child = spawn(process.execPath, [inspector.flag, '-e', script], { stdio: ['ignore', 'pipe', 'ignore'] });
  await once(child.stdout, 'data');
  return { port: inspector.port, child };
}

describe('retainedBytes (a real Node process, over its inspector)', () => {
  it('counts what the process keeps, outside the heap too, and not the garbage it dropped', async () => {
    const small = await holder(2, 64);
    const large = await holder(34, 64);
    try {
      const [a, b] = [await retainedBytes(small.port), await retainedBytes(large.port)];
      // 64 MiB of dropped strings would dwarf both if they were counted.
      expect(a).toBeLessThan(32 * MiB);
      expect(b - a).toBeGreaterThan(31 * MiB);
      expect(b - a).toBeLessThan(33 * MiB);
    } finally {
      small.stop();
      large.stop();
    }
  });

  it('is refused, not left waiting, when the process does not answer or dies', async () => {
    // Busy, then exiting: Node waits for the inspector's client to leave, so no answer ever comes.
    const silent = await busy(100, 1500);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(retainedBytes(silent.port, 2000)).rejects.toThrow(/no answer within 2000 ms/);
    silent.child.kill();

    const killed = await busy(100, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const asked = retainedBytes(killed.port, 20_000);
    setTimeout(() => killed.child.kill('SIGKILL'), 500);
    await expect(asked).rejects.toThrow(/the inspector closed the connection/);
  });
});
