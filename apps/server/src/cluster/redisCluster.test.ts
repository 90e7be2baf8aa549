import { redisAvailable, startRedis, type RunningRedis } from '@tandem/devstack';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisCluster, type Cluster } from './cluster.ts';

/** Dead after its last heartbeat, as cluster.ts counts it, with a margin. */
const DEAD_AFTER_MS = 10_000 + 1_000;
const HEARTBEAT_MS = 3_000;

// Never tried again: its tests restart Redis, so a second try would start from another state.
describe.skipIf(!redisAvailable())('presence marks of instances in a real Redis that restarts', { retry: 0 }, () => {
  let redis: RunningRedis | undefined;
  const clusters: Cluster[] = [];

  afterEach(async () => {
    vi.useRealTimers();
    for (const c of clusters.splice(0)) await c.close();
    await redis?.stop();
  });

  it('writes whom an instance holds again after Redis lost it, so the others still see them connected and sweep them once it dies', async () => {
    // Heartbeats only when the test says so: an instance that is never beaten again has died.
    vi.useFakeTimers({ toFake: ['setInterval'] });
    redis = await startRedis();
    const log = () => {};
    const doomed = await redisCluster(redis.url, log);
    const survivor = await redisCluster(redis.url, log);
    clusters.push(doomed, survivor);
    await doomed.connections('ada', 1);
    await doomed.connections('grace', 1);
    await doomed.connections('grace', -1);
    expect(await survivor.connectedAnywhere('ada')).toBe(true);

    const port = redis.port;
    await redis.stop(true);
    redis = await startRedis({ port });
    // Both reconnect by themselves; the doomed instance's next heartbeats write it all again.
    await vi.waitFor(
      async () => {
        vi.advanceTimersByTime(HEARTBEAT_MS);
        expect(await survivor.connectedAnywhere('ada')).toBe(true);
      },
      { timeout: 15_000, interval: 500 },
    );
    expect(await survivor.connectedAnywhere('grace')).toBe(false);

    // The doomed instance beats no more: once its mark lapses, its people are the survivor's to sweep, once.
    await new Promise((resolve) => setTimeout(resolve, DEAD_AFTER_MS));
    expect(await survivor.connectedAnywhere('ada')).toBe(false);
    expect(await survivor.orphans()).toEqual(['ada']);
    expect(await survivor.orphans()).toEqual([]);
  }, 40_000);
});
