import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { activityStore } from './activity.ts';
import { identityStore } from './identity.ts';
import { queryPlan, recordedOrganisation, scratchDir } from './testMigrations.ts';

const dir = scratchDir('tandem-people-plans-');
const now = '2026-12-06T10:00:00.000Z';

describe('reads of a few people on SQLite', () => {
  it('find them by their ids or roles, never by walking every person of the organisation', async () => {
    const file = path.join(dir, 'plans.db');
    // The store's statements, as prepared, on a file with an organisation.
    const { user: ada, db, prepared } = await recordedOrganisation(file, now);
    try {
      const org = ada.organisationId;
      expect((await identityStore(db).usersIn(org, [ada.id])).map((u) => u.id)).toEqual([ada.id]);
      expect((await identityStore(db).withRoles(org, ['owner', 'admin'])).map((u) => u.id)).toEqual([ada.id]);
      await activityStore(db).listPresence(org, [ada.id]);
    } finally {
      await db.destroy();
    }

    expect(prepared.size).toBe(3);
    for (const text of prepared) {
      const plan = queryPlan(file, text);
      // A scan, or a search by the organisation alone, reads every person of it.
      expect(plan, text).not.toMatch(/^SCAN (users|presence)|\(organisation_id=\?\)$/m);
    }
  });

  it('page the presence of an organisation by its index, in order, without sorting or reading other organisations', async () => {
    const file = path.join(dir, 'presence.db');
    const { user: ada, db, prepared } = await recordedOrganisation(file, now);
    try {
      await activityStore(db).presencePage(ada.organisationId, null, 10);
      await activityStore(db).presencePage(ada.organisationId, ada.id, 10);
    } finally {
      await db.destroy();
    }

    expect(prepared.size).toBe(2);
    for (const text of prepared) {
      const plan = queryPlan(file, text);
      expect(plan, text).toMatch(/SEARCH presence USING INDEX presence_by_org \(organisation_id=\?/);
      expect(plan, text).not.toMatch(/TEMP B-TREE/);
    }
  });
});
