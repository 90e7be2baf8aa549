import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE, openStore } from '@tandem/server';
import {
  DecisionListSchema,
  MeetingNotesResultSchema,
  MeetingSchema,
  UserListSchema,
  type CreateMeetingRequest,
  type Meeting,
  type MeetingNotes,
} from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { ownerToken, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const NOTES = { timeout: 30_000, interval: 250 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** Thursday 3 December 2026, 10:00 UTC: "by Friday" is the 4th. */
const THURSDAY = Date.parse('2026-12-03T10:00:00Z');

/**
 * Meeting notes end to end (issue 14) in real Chromium on the real coordination server. The
 * transcript is seeded through the server's own store (what the transcriber process would have
 * stored; the captions test covers the real speech path), the host ends the meeting over HTTP and
 * the server makes the notes. Ada opens them from the Decisions view, sees the action item for
 * Grace due that Friday with the words it came from, confirms it, and finds it in the Decisions
 * view with its owner, due date and history.
 */
describe('meeting notes from a seeded transcript: proposed, confirmed, in the Decisions view', () => {
  let world: World<readonly ['ada']>;
  let ada: Page;
  let meeting: Meeting;
  /** The owner's (Ada's) token, signed in once: sign-ins are rate-limited per account. */
  let token: string;
  async function api(method: 'GET' | 'POST', route: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${world.server.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}`);
    return response.json();
  }
  const asOwner = (route: string) => api('GET', route);
  const createMeeting = async (request: CreateMeetingRequest) =>
    MeetingSchema.parse(await api('POST', '/meetings', request));

  const notesOf = async (): Promise<MeetingNotes | null> =>
    MeetingNotesResultSchema.parse(await asOwner(`/meetings/${meeting.id}/notes`)).notes;
  const decisionsOf = async () =>
    DecisionListSchema.parse(await asOwner(`/decisions?meetingId=${meeting.id}`)).decisions;

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada']);
    ada = world.desktops[0].page;
    token = await ownerToken(world.server.url);
    const people = UserListSchema.parse(await asOwner('/users')).users;
    const grace = people.find((p) => p.email === GRACE.email);
    if (grace === undefined) throw new Error('no Grace in the demo organisation');
    meeting = await createMeeting({ title: 'Budget 2027', invitees: [grace.id] });
    const adaUser = people.find((p) => p.email === ADA.email);
    const store = await openStore(world.server.databasePath);
    try {
      const lines: [string, string, string][] = [
        [adaUser?.id ?? '', ADA.name, 'Thanks for coming. Today we settle the budget for next year.'],
        [grace.id, GRACE.name, 'I have the numbers from finance with me.'],
        [adaUser?.id ?? '', ADA.name, 'Grace, please send the budget by Friday.'],
        [grace.id, GRACE.name, "It will rain on Friday, so I won't be able to come in."],
      ];
      for (const [i, [userId, name, text]] of lines.entries()) {
        await store.transcripts.add({
          id: randomUUID(),
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          speaker: { userId, name },
          startedAt: new Date(THURSDAY + i * 30_000).toISOString(),
          endedAt: new Date(THURSDAY + i * 30_000 + 4000).toISOString(),
          text,
        });
      }
      // Who was in the call (what LiveKit's webhooks record), and earlier meetings for the organisation's plots.
      await store.activity.joined(
        meeting.id,
        adaUser?.id ?? '',
        adaUser?.id ?? null,
        new Date(THURSDAY - 60_000).toISOString(),
      );
      await store.activity.joined(meeting.id, grace.id, grace.id, new Date(THURSDAY).toISOString());
      await store.activity.left(meeting.id, grace.id, new Date(THURSDAY + 150_000).toISOString());
      await store.activity.left(meeting.id, adaUser?.id ?? '', new Date(THURSDAY + 180_000).toISOString());
      for (const [weeksAgo, minutes] of [
        [1, 45],
        [1, 30],
        [2, 60],
        [4, 25],
        [5, 90],
      ] as const) {
        const earlier = await createMeeting({ title: `Weekly ${weeksAgo}-${minutes}` });
        const at = THURSDAY - weeksAgo * 7 * 86_400_000;
        for (const who of [adaUser?.id ?? '', grace.id]) {
          await store.activity.joined(earlier.id, who, who, new Date(at).toISOString());
          await store.activity.left(earlier.id, who, new Date(at + minutes * 60_000).toISOString());
        }
      }
    } finally {
      await store.close();
    }
    await signIn(ada, world.server.url, ADA);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('(transcript seeded through the server store) Ada confirms Grace’s action item due that Friday and finds it among the decisions', async () => {
    // The host ends the meeting: the server makes its notes.
    await api('POST', `/meetings/${meeting.id}/end`);
    await expect.poll(notesOf, NOTES).not.toBeNull();
    expect(await decisionsOf(), 'nothing is a decision before it is confirmed').toEqual([]);

    await ada.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Decisions' }).click();
    await ada.getByRole('heading', { name: 'Decisions', level: 1 }).waitFor();
    await ada.getByText('No decisions recorded yet.').waitFor();
    await ada.getByLabel('Meeting').selectOption({ label: meeting.title });
    await ada.getByRole('button', { name: `Notes of ${meeting.title}` }).click();

    const dialog = ada.getByRole('dialog', { name: `Notes of ${meeting.title}` });
    const item = dialog.getByRole('listitem').filter({ has: ada.getByRole('heading', { name: 'Send the budget' }) });
    await item.waitFor();
    await expect.poll(() => item.getByText('Grace Demo', { exact: true }).count()).toBe(1);
    // That Friday, as this machine's locale writes it.
    const friday = await ada.evaluate(() =>
      new Intl.DateTimeFormat(undefined, {
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        timeZone: 'UTC',
      }).format(new Date(Date.UTC(2026, 11, 4))),
    );
    await item.getByText(friday, { exact: true }).waitFor();
    await item.getByText('Grace, please send the budget by Friday.').waitFor();
    await dialog.getByText('Ada Demo, Grace Demo spoke most', { exact: false }).waitFor();
    // The sentence about rain names a Friday too, but proposes nothing.
    expect(await dialog.getByRole('heading', { level: 3 }).allTextContents()).toEqual([
      'Summary',
      'Decisions and action items · 1 to confirm',
      'Send the budget',
    ]);
    expect(await accessibilityViolations(ada), 'the notes to confirm').toEqual([]);
    await shot(ada, 'notes-to-confirm');

    await item.getByRole('button', { name: 'Confirm Send the budget' }).click();
    await item.getByText(/^Confirmed by Ada Demo/).waitFor();
    await expect
      .poll(async () => (await decisionsOf()).map((d) => [d.title, d.dueDate]), NOTES)
      .toEqual([['Send the budget', '2026-12-04']]);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    // The Decisions view shows it (live, from the server's decision.changed), with owner and due date.
    const row = ada
      .getByRole('list', { name: 'Decisions' })
      .getByRole('listitem')
      .filter({ hasText: 'Send the budget' });
    await row.waitFor({ timeout: NOTES.timeout });
    await row.getByText('Grace Demo', { exact: true }).waitFor();
    // Its due date, marked Overdue once that Friday is past (the test's transcript is dated).
    await row.getByText(new RegExp(`^${friday}( Overdue)?$`)).waitFor();
    await row.getByText('Budget 2027', { exact: true }).waitFor();
    await row.getByRole('button', { name: 'Show history' }).click();
    await row
      .getByRole('list', { name: 'Status history' })
      .getByText(/Recorded: .*status Agreed/)
      .waitFor();
    // "Mine" keeps Ada's own: this one is Grace's.
    await ada.getByLabel('Mine').check();
    await ada.getByText('No decisions match these filters.').waitFor();
    await ada.getByLabel('Mine').uncheck();
    await row.waitFor();
    expect(await accessibilityViolations(ada), 'the Decisions view').toEqual([]);
    await shot(ada, 'decisions-view');
  });

  it("shows the meeting's attendance and talk time, and the organisation's plots to its owner", async () => {
    await ada.getByRole('button', { name: `Insights of ${meeting.title}` }).click();
    const dialog = ada.getByRole('dialog', { name: `Insights of ${meeting.title}` });
    const rows = dialog.getByRole('table').getByRole('row');
    await expect.poll(() => rows.count(), NOTES).toBe(3);
    await rows.filter({ hasText: 'Ada Demo' }).getByText('4 min', { exact: true }).waitFor();
    await rows.filter({ hasText: 'Grace Demo' }).getByText('3 min', { exact: true }).waitFor();
    // Ada spoke 8 of the 16 transcribed seconds.
    await dialog.getByRole('listitem').filter({ hasText: 'Ada Demo' }).getByText('8 s · 50 %').waitFor();
    expect(await accessibilityViolations(ada), 'the meeting insights').toEqual([]);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    await ada.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await ada.getByRole('tab', { name: 'Insights' }).click();
    const meetingsChart = ada.getByRole('img', { name: /^6 meetings held in the last 12 weeks/ });
    await meetingsChart.waitFor({ timeout: NOTES.timeout });
    await ada.getByRole('img', { name: /hours spent in meetings in the last 12 weeks/ }).waitFor();
    await ada.getByText('Talk-time balance').waitFor();
    expect(await accessibilityViolations(ada), 'the organisation insights').toEqual([]);
    await shot(ada, 'insights');
  });
});
