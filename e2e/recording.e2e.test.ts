import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { meanLuma, meanVolumeDb, probeMedia, processesWithArgs, saveFrame, screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE, openStore } from '@tandem/server';
import { MeetingSchema, RecordingLinkSchema, RecordingListSchema, type Meeting, type Recording } from '@tandem/shared';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { accessibilityViolations } from './support/accessibility.ts';
import { framesInASecond } from './support/media.ts';
import { callControl, joinByCode, joinFromPreview, ownerToken, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const MEDIA = { timeout: 45_000, interval: 500 };
/** A recorder takes a few seconds to start Chromium and join; finishing the file takes a few more. */
const RECORDER = { timeout: 60_000, interval: 500 };
const RECORDED_MS = 6000;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * Recording end to end (issue 14): two desktops in a call on the real coordination server and
 * livekit-server; the server's recorder process records it in headless Chromium. Ada hosts, Grace
 * attends with Chromium's fake camera and microphone (its beep). The file is checked with ffprobe
 * and ffmpeg: h264 + opus, as long as the recording ran, pictures that are not black, sound.
 */
describe('recording a call: indicator, consent, the file, a recorder that dies', () => {
  let world: World<readonly ['ada', 'grace']>;
  let ada: Page;
  let grace: Page;
  let meeting: Meeting;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-e2e-recordings-'));

  /** The owner's (Ada's) token, signed in once: sign-ins are rate-limited per account. */
  let token: string;
  /** What the server holds, asked with Ada's token. */
  async function api(method: 'GET' | 'POST', route: string, body: unknown = {}): Promise<unknown> {
    const response = await fetch(`${world.server.url}${route}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      ...(method === 'POST' ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${route} answered ${response.status}`);
    return response.json();
  }
  const recordings = async (): Promise<Recording[]> =>
    RecordingListSchema.parse(await api('GET', `/meetings/${meeting.id}/recordings`)).recordings;

  async function downloaded(recording: Recording): Promise<string> {
    const link = RecordingLinkSchema.parse(
      await api('POST', `/meetings/${meeting.id}/recordings/${recording.id}/link`),
    );
    const file = path.join(scratch, `${recording.id}.mp4`);
    fs.writeFileSync(file, Buffer.from(await (await fetch(link.downloadUrl)).arrayBuffer()));
    return file;
  }

  const indicator = (page: Page) => page.getByLabel('This meeting is being recorded');

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace']);
    [ada, grace] = world.desktops.map((d) => d.page) as [Page, Page];
    token = await ownerToken(world.server.url);
    meeting = MeetingSchema.parse(await api('POST', '/meetings', { title: 'Recorded review' }));
    await Promise.all([signIn(ada, world.server.url, ADA), signIn(grace, world.server.url, GRACE)]);
    await joinByCode(ada, meeting.joinCode);
    await joinByCode(grace, meeting.joinCode);
  });
  afterAll(async () => {
    await world?.close();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it('the host records: both see the indicator, a joiner is told before entering, the file is right', async () => {
    await expect.poll(() => framesInASecond(ada, 'remote', 'camera'), MEDIA).toBeGreaterThan(0);
    await callControl(ada, 'Record');
    // Both are told at once, before the recorder even runs.
    await Promise.all([indicator(ada).waitFor(), indicator(grace).waitFor()]);
    await expect.poll(async () => (await recordings())[0]?.status, RECORDER).toBe('recording');
    await shot(grace, 'recording-indicator');
    expect(await accessibilityViolations(grace), 'the call with the indicator').toEqual([]);

    // Grace steps out and comes back: the pre-join screen says the meeting is being recorded.
    await callControl(grace, 'Leave');
    await grace.getByRole('heading', { name: `Hello, ${GRACE.name}` }).waitFor();
    await grace.getByLabel('Meeting code or link').fill(meeting.joinCode);
    await grace.getByRole('button', { name: 'Join', exact: true }).click();
    await grace.getByText('This meeting is being recorded. If you join, you will be in the recording.').waitFor();
    await shot(grace, 'recording-consent');
    await joinFromPreview(grace);
    await indicator(grace).waitFor();

    const running = (await recordings())[0];
    const ranFor = Date.now() - Date.parse(running?.startedAt ?? '');
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, RECORDED_MS - ranFor)));
    await callControl(ada, 'Stop recording');
    await Promise.all([indicator(ada).waitFor({ state: 'detached' }), indicator(grace).waitFor({ state: 'detached' })]);
    await expect.poll(async () => (await recordings())[0]?.status, RECORDER).toBe('ready');

    const [ready] = await recordings();
    if (ready === undefined) throw new Error('no recording');
    const span = Date.parse(ready.endedAt ?? '') - Date.parse(ready.startedAt ?? '');
    const file = await downloaded(ready);
    const probed = probeMedia(file);
    expect(probed).toMatchObject({ videoCodec: 'h264', audioCodec: 'opus' });
    expect(Math.abs(probed.durationMs - span) / span, `${probed.durationMs} ms of a ${span} ms recording`).toBeLessThan(
      0.1,
    );
    expect(meanLuma(file, probed.durationMs / 2000)).toBeGreaterThan(40);
    expect(meanVolumeDb(file)).toBeGreaterThan(-60);
    saveFrame(file, probed.durationMs / 2000, path.join(screenshotsDir, 'recording-frame.png'));

    // The recording is on the meeting: Ada plays it in the app.
    await callControl(ada, 'Leave');
    await ada.getByRole('button', { name: `Options for ${meeting.title}` }).click();
    await ada.getByRole('menuitem', { name: 'Recordings…' }).click();
    const dialog = ada.getByRole('dialog', { name: `Recordings of ${meeting.title}` });
    await dialog.getByText('Ready').waitFor();
    await dialog.getByRole('button', { name: /^Play recording of/ }).click();
    const player = dialog.getByLabel(`Recording of ${meeting.title}`);
    await expect
      .poll(() => player.evaluate((v: HTMLVideoElement) => (Number.isFinite(v.duration) ? v.duration : 0)), RECORDER)
      .toBeGreaterThan((span / 1000) * 0.9);
    // It plays: Range requests let it seek into the middle and show a frame there.
    await player.evaluate(async (v: HTMLVideoElement) => {
      v.muted = true;
      v.currentTime = v.duration / 2;
      await v.play();
    });
    await expect
      .poll(() => player.evaluate((v: HTMLVideoElement) => v.currentTime), MEDIA)
      .toBeGreaterThan(span / 2000);
    await player.evaluate((v: HTMLVideoElement) => v.pause());
    expect(await accessibilityViolations(ada), 'the recordings dialog').toEqual([]);
    await shot(ada, 'recordings-dialog');
    // Download hands main the recording; main fetches its link and lets the OS save the file.
    await dialog.getByRole('button', { name: /^Download recording of/ }).click();
    const downloads = world.desktops[0].side.downloads;
    await expect.poll(() => downloads.length).toBe(1);
    const saved = await fetch(downloads[0] ?? '');
    expect(saved.headers.get('content-disposition')).toBe(
      `attachment; filename*=UTF-8''${encodeURIComponent(`Recorded review ${ready.startedAt?.slice(0, 10)}.mp4`)}`,
    );
    expect(Number(saved.headers.get('content-length'))).toBe(ready.sizeBytes);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();

    // A line of the transcript said in the middle of the recording plays it from that moment
    // (seeded through the server's store, as the transcriber would have stored it).
    const said = Date.parse(ready.startedAt ?? '') + Math.round(span / 2);
    const store = await openStore(world.server.databasePath);
    try {
      await store.transcripts.add({
        id: randomUUID(),
        organisationId: meeting.organisationId,
        meetingId: meeting.id,
        speaker: { userId: meeting.ownerId, name: ADA.name },
        startedAt: new Date(said).toISOString(),
        endedAt: new Date(said + 1000).toISOString(),
        text: 'Halfway through the review.',
      });
    } finally {
      await store.close();
    }
    await ada.getByRole('button', { name: `Options for ${meeting.title}` }).click();
    await ada.getByRole('menuitem', { name: 'Transcript' }).click();
    await ada.getByRole('button', { name: `Play the recording from 0:00 (${ADA.name})` }).click();
    const fromMoment = ada.getByLabel(`Recording of ${meeting.title} from 0:00`);
    await expect
      .poll(() => fromMoment.evaluate((v: HTMLVideoElement) => v.currentTime), MEDIA)
      .toBeGreaterThanOrEqual(span / 2000 - 0.5);
    // It starts there rather than playing up to it: the link carries the moment as a media fragment.
    expect(await fromMoment.evaluate((v: HTMLVideoElement) => new URL(v.src).hash)).toBe(
      `#t=${(Math.round(span / 2) / 1000).toFixed(1)}`,
    );
    expect(await fromMoment.evaluate((v: HTMLVideoElement) => document.activeElement === v)).toBe(true);
    await shot(ada, 'transcript-play-from-moment');
    await fromMoment.evaluate((v: HTMLVideoElement) => v.pause());
    await ada.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
    expect(world.desktops.flatMap((d) => d.cspViolations)).toEqual([]);
  });

  it('a recorder killed mid-recording leaves a failed recording with its partial file, and the host is told', async () => {
    await ada.getByRole('button', { name: `Join ${meeting.title}` }).click();
    await joinFromPreview(ada);
    await callControl(ada, 'Record');
    await expect.poll(async () => (await recordings())[0]?.status, RECORDER).toBe('recording');
    const [running] = await recordings();
    if (running === undefined) throw new Error('no recording');
    // Killed once it wrote pictures: a fragment comes about every second.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    const [pid, ...others] = processesWithArgs('--recording', running.id);
    expect(pid).toBeDefined();
    expect(others).toEqual([]);
    process.kill(pid ?? 0, 'SIGKILL');

    await ada.getByRole('alert').filter({ hasText: 'Recording failed' }).waitFor({ timeout: RECORDER.timeout });
    expect(await ada.getByRole('alert').filter({ hasText: 'Recording failed' }).textContent()).toContain(
      'The part recorded before it failed is kept',
    );
    await Promise.all([indicator(ada).waitFor({ state: 'detached' }), indicator(grace).waitFor({ state: 'detached' })]);
    // Grace, not a host, is not alerted.
    expect(await grace.getByRole('alert').filter({ hasText: 'Recording failed' }).count()).toBe(0);
    await shot(ada, 'recording-failed');

    const [failed] = await recordings();
    expect(failed).toMatchObject({ id: running.id, status: 'failed' });
    expect(failed?.failure).toBe('the recorder stopped unexpectedly (signal SIGKILL)');
    expect(failed?.sizeBytes).toBeGreaterThan(0);
    const probed = probeMedia(await downloaded(failed as Recording));
    expect(probed.videoCodec).toBe('h264');
    expect(probed.durationMs).toBeGreaterThan(1000);
  });

  it('an end-to-end encrypted meeting cannot be recorded, and the app says why', async () => {
    const encrypted = MeetingSchema.parse(
      await api('POST', '/meetings', { title: 'Encrypted', settings: { e2ee: true } }),
    );
    await callControl(ada, 'Leave');
    await joinByCode(ada, encrypted.joinCode);
    const bar = ada.getByRole('navigation', { name: 'Call controls' });
    const record = bar.getByRole('button', { name: 'Record', exact: true });
    await expect.poll(() => record.getAttribute('title')).toMatch(/end-to-end encrypted/);
    expect(await record.isDisabled()).toBe(true);
  });
});
