import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { meetingStore } from './meetings.ts';
import { recordingStore } from './recordings.ts';
import { streamStore } from './streams.ts';
import { queryPlan, recordedOrganisation, scratchDir } from './testMigrations.ts';

const dir = scratchDir('tandem-sweep-plans-');
const now = '2026-12-06T10:00:00.000Z';

describe('the leased sweeps on SQLite', () => {
  it('read only what is running or waiting, through their partial indexes, never every row ever written', async () => {
    const file = path.join(dir, 'sweeps.db');
    // The store's statements, as prepared, on a file with an organisation.
    const { db, prepared } = await recordedOrganisation(file, now);
    try {
      await recordingStore(db).allRunning();
      await streamStore(db).allRunning();
      await meetingStore(db, (code) => `http://127.0.0.1/j/${code}`).abandonedEntries(now, 10);
    } finally {
      await db.destroy();
    }

    const plans = [...prepared].map((text) => queryPlan(file, text));
    expect(plans).toHaveLength(3);
    // A partial index is not proved to cover a bound parameter: the statuses must be in the text.
    expect(plans.join('\n')).toMatch(/USING INDEX recordings_one_running/);
    expect(plans.join('\n')).toMatch(/USING INDEX meeting_streams_running/);
    expect(plans.join('\n')).toMatch(/USING INDEX lobby_waiting/);
  });
});
