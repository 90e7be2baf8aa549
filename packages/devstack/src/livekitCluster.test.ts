import { RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { redisAvailable } from './redis.ts';
import { startLivekitCluster } from './livekitCluster.ts';

describe.skipIf(!redisAvailable())('startLivekitCluster (real livekit-server nodes on one Redis)', () => {
  it('starts two nodes on their own ports that share their rooms, and stops them all', async () => {
    const cluster = await startLivekitCluster({ nodes: 2 });
    const [a, b] = cluster.nodes;
    try {
      if (a === undefined || b === undefined) throw new Error('two nodes were asked for');
      expect(a.wsUrl).not.toBe(b.wsUrl);
      expect(a.nodeId).toMatch(/^ND_\w+$/);
      expect(b.nodeId).toMatch(/^ND_\w+$/);
      expect(a.nodeId).not.toBe(b.nodeId);
      const throughA = new RoomServiceClient(a.httpUrl, a.apiKey, a.apiSecret);
      const throughB = new RoomServiceClient(b.httpUrl, b.apiKey, b.apiSecret);
      // LiveKit places each room on a node of its choosing: several rooms land on both.
      const names = ['one', 'two', 'three', 'four', 'five', 'six'].map((n) => `cluster-probe-${n}`);
      for (const name of names) await throughA.createRoom({ name });
      expect((await throughB.listRooms()).map((r) => r.name).sort()).toEqual([...names].sort());
      for (const name of names) await throughB.deleteRoom(name);
      expect(await throughA.listRooms()).toEqual([]);
    } finally {
      await cluster.stop();
    }
    for (const node of cluster.nodes) await expect(fetch(node.httpUrl)).rejects.toThrow();
  });
});
