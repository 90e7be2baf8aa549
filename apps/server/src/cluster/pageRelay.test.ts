import { join } from 'node:path';
import { redisAvailable, startRedis, type RunningRedis } from '@tandem/devstack';
import type { PageKey, PageServerMessage } from '@tandem/shared';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { pageRooms } from '../services/pageRooms.ts';
import { openStore, type Store } from '../store/index.ts';
import { scratchDir } from '../store/testMigrations.ts';
import { redisCluster, type Cluster } from './cluster.ts';
import { pageChannel, pageRelay } from './pageRelay.ts';

const PO: PageKey = { app: 'procurement', view: 'PurchaseOrderView', recordId: '7' };
const ORG = 'org-1';
/** The Redis channels of cluster.ts: the common bus, and a page's own beneath it. */
const BUS = 'tandem:bus';

describe.skipIf(!redisAvailable())('a page’s broadcast from another instance, through a real Redis', () => {
  let redis: RunningRedis | undefined;
  let cluster: Cluster | undefined;
  let store: Store | undefined;

  afterEach(async () => {
    await cluster?.close();
    await store?.close();
    await redis?.stop();
  });

  it('is heard before the next message of the same read of the bus is handled (a thread’s place before its first message)', async () => {
    redis = await startRedis();
    cluster = await redisCluster(redis.url, () => {});
    store = await openStore(join(scratchDir('page-relay-'), 'tandem.db'));
    const heard: PageServerMessage[] = [];
    const rooms = pageRooms(
      store,
      async () => new Map(),
      () => {},
      () => {},
      pageRelay(cluster, () => {}),
      (_organisationId, message) => heard.push(message),
    );
    await rooms.join(
      { organisationId: ORG, page: PO, url: 'http://127.0.0.1:5000/po/7', title: 'Purchase order 7' },
      { person: { id: 'ada', name: 'Ada' }, sendFrame() {}, send() {} },
      async () => new Map(),
    );
    /** What had been heard of the page when the common bus's next message was handled. */
    const heardBefore: number[] = [];
    cluster.onMessage((m) => {
      if (typeof m === 'object' && m !== null && 'kind' in m && m.kind === 'next') heardBefore.push(heard.length);
    });

    // Another instance's broadcast on the page's channel and its next word on the common bus, in
    // one transaction: Redis hands both to the subscriber in one write, read in one go.
    const broadcast: PageServerMessage = { type: 'threads', threads: [] };
    const other = new Redis(redis.url);
    try {
      const envelope = (message: unknown) => JSON.stringify({ from: 'another-instance', message });
      await other
        .multi()
        .publish(
          `${BUS}:${pageChannel(ORG, PO)}`,
          envelope({ kind: 'page', op: { op: 'broadcast', organisationId: ORG, page: PO, message: broadcast } }),
        )
        .publish(BUS, envelope({ kind: 'next' }))
        .exec();
      await expect.poll(() => heardBefore).toEqual([1]);
      expect(heard).toEqual([broadcast]);
    } finally {
      other.disconnect();
    }
  });
});
