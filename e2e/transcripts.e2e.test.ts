import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE, openStore } from '@tandem/server';
import { MeetingSchema, UserListSchema, type CreateMeetingRequest, type Meeting, type User } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { addPerson, ownerToken, signIn, LINUS } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const SYNC = { timeout: 20_000, interval: 200 };

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

const START = Date.parse('2026-12-03T10:00:00Z');
const LINES = [
  [ADA.name, 'Thanks for coming. Today we settle the budget for next year.'],
  [GRACE.name, 'I have the numbers from finance with me.'],
  [ADA.name, 'Grace, please send the budget by Friday.'],
  [GRACE.name, 'Friday works, the draft goes out in the morning.'],
] as const;

/**
 * Transcripts and participant suggestions end to end (issue 14) in real Chromium on the real
 * coordination server. The transcript is seeded through the server's own store (what the
 * transcriber would have stored; captions.e2e.test.ts covers the real speech path), attendance
 * likewise (what LiveKit's webhooks record). Ada reads the transcript in the viewer (speakers,
 * moments, search within, text and WebVTT export); with the server down, Search finds it in the
 * desktop's cache and opens it at the moment; scheduling a budget meeting suggests Grace (who
 * attends budget meetings) and Linus (who owns the open budget decision), and one click invites Grace.
 */
describe('transcripts in the desktop: the viewer, offline search, participant suggestions', () => {
  let world: World<readonly ['ada']>;
  let ada: Page;
  let meeting: Meeting;
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
  const createMeeting = async (request: CreateMeetingRequest) =>
    MeetingSchema.parse(await api('POST', '/meetings', request));

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada']);
    ada = world.desktops[0].page;
    token = await ownerToken(world.server.url);
    const linus: User = await addPerson(world.server.url, LINUS);
    const people = UserListSchema.parse(await api('GET', '/users')).users;
    const idOf = (email: string) => people.find((p) => p.email === email)?.id ?? '';
    const [adaId, graceId] = [idOf(ADA.email), idOf(GRACE.email)];
    meeting = await createMeeting({ title: 'Budget 2027', invitees: [graceId] });
    const earlier = await createMeeting({ title: 'Budget planning' });
    await api('POST', '/decisions', {
      clientId: randomUUID(),
      title: 'Approve the budget for 2027',
      ownerId: linus.id,
      status: 'agreed',
    });
    const store = await openStore(world.server.databasePath);
    try {
      for (const [i, [name, text]] of LINES.entries()) {
        await store.transcripts.add({
          id: randomUUID(),
          organisationId: meeting.organisationId,
          meetingId: meeting.id,
          speaker: { userId: name === ADA.name ? adaId : graceId, name },
          startedAt: new Date(START + i * 30_000).toISOString(),
          endedAt: new Date(START + i * 30_000 + 4000).toISOString(),
          text,
        });
      }
      const lately = new Date(Date.now() - 86_400_000).toISOString();
      for (const who of [adaId, graceId]) {
        await store.activity.joined(meeting.id, who, who, lately);
        await store.activity.joined(earlier.id, who, who, lately);
      }
    } finally {
      await store.close();
    }
    await signIn(ada, world.server.url, ADA);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('Ada reads the transcript with speakers and moments, searches within it and exports it as text and WebVTT', async () => {
    // The host ends the meeting: the desktop keeps its transcript in the cache.
    await api('POST', `/meetings/${meeting.id}/end`);
    await ada.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Decisions' }).click();
    await ada.getByLabel('Meeting').selectOption({ label: meeting.title });
    await ada.getByRole('button', { name: `Notes of ${meeting.title}` }).click();
    await ada
      .getByRole('dialog', { name: `Notes of ${meeting.title}` })
      .getByRole('button', { name: 'Transcript' })
      .click();

    await ada.getByRole('heading', { name: `Transcript: ${meeting.title}`, level: 1 }).waitFor(SYNC);
    const segments = ada.getByRole('list', { name: 'What was said' }).getByRole('listitem');
    await expect.poll(() => segments.count(), SYNC).toBe(4);
    expect(await segments.nth(2).innerText()).toMatch(/^1:00\s+Ada Demo\s+Grace, please send the budget by Friday\.$/);
    expect(await segments.nth(3).innerText()).toMatch(/^1:30\s+Grace Demo\s+Friday works/);
    await ada.getByText('4 utterances', { exact: true }).waitFor();

    await ada.getByRole('searchbox', { name: 'Search in the transcript' }).fill('fri');
    await ada.getByText('2 of 4 utterances match', { exact: true }).waitFor();
    expect(await segments.locator('mark').allTextContents()).toEqual(['Fri', 'Fri']);
    expect(await accessibilityViolations(ada), 'the transcript viewer').toEqual([]);
    await shot(ada, 'transcript-viewer');

    const exported = async (button: string) => {
      const [download] = await Promise.all([
        ada.waitForEvent('download'),
        ada.getByRole('button', { name: button }).click(),
      ]);
      return { name: download.suggestedFilename(), text: fs.readFileSync(await download.path(), 'utf8') };
    };
    const text = await exported('Export as text');
    expect(text.name).toMatch(/^Budget 2027 .*\.txt$/);
    expect(text.text).toContain('Ada Demo: Grace, please send the budget by Friday.');
    const vtt = await exported('Export as WebVTT');
    expect(vtt.name).toMatch(/\.vtt$/);
    expect(vtt.text.startsWith('WEBVTT')).toBe(true);
    expect(vtt.text).toContain('00:01:00.000 --> 00:01:04.000');
  });

  it('suggests who attends budget meetings and who owns the open budget decision; one click invites Grace', async () => {
    await ada.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    const form = ada.getByRole('region', { name: 'New meeting' });
    await form.getByLabel('Title', { exact: true }).fill('Budget review');
    const suggested = form.getByRole('group', { name: 'Suggested people' }).getByRole('listitem');
    await expect.poll(() => suggested.count(), SYNC).toBe(2);
    expect(await suggested.allInnerTexts()).toEqual([
      expect.stringMatching(/Grace Demo\s+Attended 2 meetings about budget lately\s+Add/),
      expect.stringMatching(/Linus Demo\s+Owns the open decision “Approve the budget for 2027”\s+Add/),
    ]);
    const group = form.getByRole('group', { name: 'Suggested people' });
    await group.evaluate((element) => element.scrollIntoView({ block: 'center' }));
    expect(await accessibilityViolations(ada), 'the meeting form with suggestions').toEqual([]);
    await shot(ada, 'participant-suggestions');
    await form.getByRole('button', { name: 'Add Grace Demo' }).click();
    await form.getByRole('list', { name: 'Invite people: chosen' }).getByText('Grace Demo').waitFor();
    // Someone invited is no longer suggested.
    await expect.poll(() => suggested.count()).toBe(1);
    expect(await suggested.first().innerText()).toMatch(/^Linus Demo/);
  });

  it('with the server down, Search finds the transcript in the cache and opens it at the moment', async () => {
    await world.server.stop();
    try {
      await ada.locator('[data-connection="offline"]').first().waitFor(SYNC);
      await ada.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Search' }).click();
      await ada.getByRole('searchbox', { name: 'Search messages' }).fill('send budget');
      await ada.getByRole('search').getByRole('button', { name: 'Search' }).click();
      await ada.getByText('Offline: searching what this device holds').waitFor();
      const hit = ada
        .getByRole('region', { name: '1 moment in transcripts' })
        .getByRole('button', { name: /Budget 2027 · Ada Demo/ });
      await hit.waitFor(SYNC);
      expect(await hit.locator('mark').allTextContents()).toEqual(['send', 'budget']);
      expect(await accessibilityViolations(ada), 'search with a transcript hit, offline').toEqual([]);
      await shot(ada, 'transcript-search-offline');

      await hit.click();
      await ada.getByRole('heading', { name: `Transcript: ${meeting.title}`, level: 1 }).waitFor(SYNC);
      await ada.getByText('This device’s copy: the server cannot be reached.', { exact: false }).waitFor();
      const current = ada.locator('li[aria-current="true"]');
      expect(await current.innerText()).toContain('Grace, please send the budget by Friday.');
      await expect.poll(() => ada.evaluate(() => document.activeElement?.getAttribute('aria-current'))).toBe('true');
    } finally {
      await world.server.start();
    }
  });
});
