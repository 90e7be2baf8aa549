import { join } from 'node:path';
import type { PageKey, PageServerMessage, PresenceStatus } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { localCluster } from '../cluster/cluster.ts';
import { pageRelay } from '../cluster/pageRelay.ts';
import { openStore, type Store } from '../store/index.ts';
import { scratchDir } from '../store/testMigrations.ts';
import { pageRooms } from './pageRooms.ts';

const ORG = 'org-1';
const PO: PageKey = { app: 'procurement', view: 'PurchaseOrderView', recordId: '7' };
const PLACE = { organisationId: ORG, page: PO, url: 'http://127.0.0.1:5000/po/7', title: 'Purchase order 7' };

describe('page rooms read the presence of the people on a page only', () => {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it("asks for the statuses of the room's people at each roster and of the viewers for the Pages view, never the organisation's", async () => {
    store = await openStore(join(scratchDir('page-rooms-'), 'tandem.db'));
    const asked: string[][] = [];
    const statuses = async (organisationId: string, userIds: readonly string[]) => {
      expect(organisationId).toBe(ORG);
      asked.push([...userIds].sort());
      return new Map(userIds.map((id): [string, PresenceStatus] => [id, 'busy']));
    };
    const rooms = pageRooms(
      store,
      statuses,
      () => {},
      () => {},
      pageRelay(localCluster(), () => {}),
      () => {},
    );
    const heard: PageServerMessage[] = [];
    const member = (id: string, name: string) => ({
      person: { id, name },
      sendFrame() {},
      send: (m: PageServerMessage) => heard.push(m),
    });
    await rooms.join(PLACE, member('ada', 'Ada'), async () => new Map());
    await rooms.join(PLACE, member('bob', 'Bob'), async () => new Map());
    // Each join sends the room's roster, with the statuses of those on the page.
    await expect.poll(() => asked.at(-1)).toEqual(['ada', 'bob']);
    expect(asked.flat().every((id) => id === 'ada' || id === 'bob')).toBe(true);
    expect(heard.some((m) => m.type === 'roster')).toBe(true);

    asked.length = 0;
    const now = await rooms.now(ORG);
    expect(now.map((p) => p.viewers.map((v) => [v.userId, v.status]))).toEqual([
      [
        ['ada', 'busy'],
        ['bob', 'busy'],
      ],
    ]);
    expect(asked).toEqual([['ada', 'bob']]);
    await rooms.flush();
  });
});
