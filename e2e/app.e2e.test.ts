import fs from 'node:fs';
import path from 'node:path';
import { launchChromium, screenshotsDir, type StaticServer } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { LobbyListSchema, MeetingSchema, type Meeting } from '@tandem/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDesktop, type Desktop } from './support/desktop.ts';
import { framesDecoded, framesInASecond } from './support/media.ts';
import { createMeeting, joinByCode, joinFromPreview, ownerToken, signIn } from './support/people.ts';
import { serveRenderer } from './support/renderer.ts';
import { coordinationServer, type CoordinationServer } from './support/server.ts';
import { startTcpProxy, type TcpProxy } from './support/tcpProxy.ts';
import { messagesWith } from './support/chat.ts';

const livekit = inject('livekit');
const MEDIA = { timeout: 45_000, interval: 500 };
const SYNC = { timeout: 30_000, interval: 250 };
const [ADA, GRACE] = DEMO_PEOPLE;
const MEETING = 'Design review';
/** The display name Ada picks at pre-join, unlike her account's name. */
const ADA_IN_CALL = 'Ada (design lead)';
/**
 * The camera to switch to. Chromium's fake devices differ by pixel format: fake_device_0 is I420,
 * fake_device_1 is Y16 (a depth camera, which WebRTC does not encode: the sender gets no frames
 * although a local <video> plays it), fake_device_2 is MJPEG like most webcams.
 */
const FAKE_COLOUR_CAMERA = 'fake_device_2';
const FAKE_DEPTH_CAMERA = 'fake_device_1';

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/** The chat messages whose body is exactly `text`. */

/**
 * Two people, each with their own desktop (renderer in Chromium + the real main-process handlers
 * and SQLite cache behind the IPC bridge), on the real coordination server and livekit-server.
 * The steps build on each other, as a day with the app does.
 */
describe('Tandem desktop, end to end: two users, real server, real livekit-server, Chromium', () => {
  let browser: Browser;
  let site: StaticServer;
  let server: CoordinationServer;
  let ada: Desktop;
  let grace: Desktop;
  /** Between everyone and livekit-server, so a test can drop the call's network. */
  let network: TcpProxy;

  beforeAll(async () => {
    network = await startTcpProxy(Number(new URL(livekit.wsUrl).port));
    const viaProxy = {
      ...livekit,
      wsUrl: `ws://127.0.0.1:${network.port}`,
      httpUrl: `http://127.0.0.1:${network.port}`,
    };
    [browser, site, server] = await Promise.all([
      // Three fake cameras, so switching devices mid-call has somewhere to go (see FAKE_COLOUR_CAMERA).
      launchChromium(['--use-fake-device-for-media-stream=device-count=3']),
      serveRenderer(inject('renderer')),
      coordinationServer(viaProxy),
    ]);
    [ada, grace] = await Promise.all([openDesktop(browser, site, 'ada'), openDesktop(browser, site, 'grace')]);
  });
  afterAll(async () => {
    await Promise.all([ada?.close(), grace?.close()]);
    await browser?.close();
    await site?.close();
    await server?.dispose();
    await network?.close();
  });

  it('both sign in and join one meeting, and each sees the other’s video playing', async () => {
    await ada.page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await shot(ada.page, 'sign-in');
    await ada.page.getByLabel('Server', { exact: true }).fill(server.url);
    await ada.page.getByLabel('Email').fill(ADA.email);
    await ada.page.getByLabel('Password').fill('not her password');
    await ada.page.getByRole('button', { name: 'Sign in' }).click();
    await ada.page.getByRole('alert').waitFor();
    await shot(ada.page, 'sign-in-error');
    await signIn(ada.page, server.url, ADA);
    const code = await createMeeting(ada.page, MEETING);
    await shot(ada.page, 'home');

    await ada.page.getByRole('button', { name: `Join ${MEETING}` }).click();
    await ada.page.getByLabel('Your camera preview').waitFor({ timeout: 20_000 });
    // The name chosen here is the one others see in the call, not the account's.
    await ada.page.getByLabel('Display name').fill(ADA_IN_CALL);
    await shot(ada.page, 'pre-join');
    await joinFromPreview(ada.page);
    const waiting = ada.page.getByText('Waiting for others to join…');
    await waiting.waitFor();

    await signIn(grace.page, server.url, GRACE);
    await joinByCode(grace.page, `tandem://join/${code}`);

    await expect.poll(() => framesDecoded(ada.page, 'remote', 'camera'), MEDIA).toBeGreaterThan(10);
    await expect.poll(() => framesDecoded(grace.page, 'remote', 'camera'), MEDIA).toBeGreaterThan(10);
    expect(await waiting.count()).toBe(0);
    await grace.page.getByRole('figure', { name: ADA_IN_CALL, exact: true }).waitFor(SYNC);
    await shot(ada.page, 'call-grid');
  });

  it('pins a participant, switches to speaker view and lists who is in the call', async () => {
    const stage = ada.page.getByRole('region', { name: "Participants' video" });
    expect(await stage.getAttribute('data-layout')).toBe('grid');
    await ada.page.getByRole('button', { name: `Pin ${GRACE.name}` }).click();
    await expect.poll(() => stage.getAttribute('data-layout')).toBe('focus');
    await ada.page.getByRole('button', { name: `Unpin ${GRACE.name}` }).click();
    await expect.poll(() => stage.getAttribute('data-layout')).toBe('grid');
    await ada.page.getByRole('button', { name: 'Speaker view' }).click();
    await expect.poll(() => stage.getAttribute('data-layout')).toBe('focus');
    await shot(ada.page, 'call-speaker');
    await ada.page.getByRole('button', { name: 'Grid view' }).click();

    await ada.page.getByRole('button', { name: 'People' }).click();
    await ada.page.getByRole('heading', { name: 'People (2)' }).waitFor();
    await ada.page.getByRole('button', { name: 'People' }).click();
  });

  it('mutes with the keyboard, and the other side sees the microphone off', async () => {
    const micOff = grace.page.getByRole('img', { name: 'microphone off' });
    expect(await micOff.count()).toBe(0);
    await ada.page.keyboard.press('Control+d');
    await ada.page.getByRole('button', { name: 'Unmute' }).waitFor();
    await expect.poll(() => micOff.count(), SYNC).toBe(1);
    await ada.page.keyboard.press('Control+d');
    await expect.poll(() => micOff.count(), SYNC).toBe(0);
  });

  it('says the call is reconnecting when the network drops, and carries on when it returns', async () => {
    const banner = ada.page.getByText('Connection lost. Reconnecting to the call…');
    expect(await banner.count()).toBe(0);
    network.cut();
    await banner.waitFor(SYNC);
    await shot(ada.page, 'call-reconnecting');
    network.restore();
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(() => framesInASecond(ada.page, 'remote', 'camera'), MEDIA).toBeGreaterThan(5);
    await expect.poll(() => framesInASecond(grace.page, 'remote', 'camera'), MEDIA).toBeGreaterThan(5);
  });

  it('one shares a screen and the other sees it', async () => {
    await ada.page.getByRole('button', { name: 'Share screen' }).click();
    await expect.poll(() => framesDecoded(grace.page, 'remote', 'screen_share'), MEDIA).toBeGreaterThan(5);
    await shot(grace.page, 'screen-share');
    await ada.page.getByRole('button', { name: 'Stop sharing' }).click();
  });

  it('switches camera mid-call: a depth camera is flagged, a colour one keeps the other side seeing video', async () => {
    const capturing = () =>
      ada.page.evaluate(() => {
        const video = document.querySelector<HTMLVideoElement>('video[data-local="true"][data-source="camera"]');
        const stream = video?.srcObject;
        return stream instanceof MediaStream ? stream.getVideoTracks()[0]?.getSettings().deviceId : undefined;
      });
    const before = await capturing();
    await ada.page.getByRole('button', { name: 'Devices' }).click();
    const camera = ada.page.getByRole('dialog', { name: 'Devices' }).getByLabel('Camera');
    // First the depth camera: it plays locally but feeds the call nothing, and the app says so.
    const depth = await camera.locator('option', { hasText: FAKE_DEPTH_CAMERA }).getAttribute('value');
    await camera.selectOption(depth ?? '');
    const warning = ada.page.getByRole('alert').filter({ hasText: 'sends no picture others can see' });
    await warning.waitFor(SYNC);
    await shot(ada.page, 'call-silent-camera');
    await warning.getByRole('button', { name: 'Dismiss' }).click();

    const other = await camera.locator('option', { hasText: FAKE_COLOUR_CAMERA }).getAttribute('value');
    expect(other).not.toBeNull();
    expect(other).not.toBe(before);
    await camera.selectOption(other ?? '');
    await expect.poll(capturing, SYNC).toBe(other);
    await ada.page.getByRole('button', { name: 'Devices' }).click();
    await expect.poll(() => framesInASecond(grace.page, 'remote', 'camera'), MEDIA).toBeGreaterThan(5);
    // The colour camera feeds the call: past the check's window, no warning came back.
    await ada.page.waitForTimeout(3_500);
    expect(await warning.count()).toBe(0);
  });

  it('chat goes both ways', async () => {
    await ada.page.getByRole('button', { name: 'Chat' }).click();
    await ada.page.getByLabel('Message', { exact: true }).fill('Morning! Agenda is in the doc.');
    await ada.page.getByRole('button', { name: 'Send' }).click();
    // Grace's chat is closed: the message shows as unread on the Chat button first.
    await grace.page.getByLabel('1 unread').waitFor(SYNC);
    await grace.page.getByRole('button', { name: 'Chat' }).click();
    await messagesWith(grace.page, 'Morning! Agenda is in the doc.').waitFor(SYNC);
    expect(await grace.page.getByLabel('1 unread').count()).toBe(0);
    await grace.page.getByLabel('Message', { exact: true }).fill('Thanks, reading it now.');
    await grace.page.getByRole('button', { name: 'Send' }).click();
    await messagesWith(ada.page, 'Thanks, reading it now.').waitFor(SYNC);
    await shot(ada.page, 'chat-panel');
  });

  it('a decision recorded by one appears in the other’s decisions panel', async () => {
    await ada.page.getByRole('button', { name: 'Decisions' }).click();
    await grace.page.getByRole('button', { name: 'Decisions' }).click();
    await ada.page.getByLabel('Decision', { exact: true }).fill('Ship the beta on Friday');
    await ada.page.getByLabel('Outcome (optional)').fill('Grace owns the release notes.');
    await ada.page.getByRole('button', { name: 'Record decision' }).click();
    await grace.page.locator('.decision', { hasText: 'Ship the beta on Friday' }).waitFor(SYNC);
    await shot(grace.page, 'decisions-panel');
    // Either side moves it on; the other sees the new status.
    await grace.page.getByLabel('Status of Ship the beta on Friday').selectOption('in_progress');
    const adasStatus = ada.page.getByLabel('Status of Ship the beta on Friday');
    await expect.poll(() => adasStatus.inputValue(), SYNC).toBe('in_progress');
    expect(await ada.page.locator('.decision', { hasText: 'Ship the beta on Friday' }).count()).toBe(1);
    // A narrow window keeps every control reachable (labels collapse to icons).
    await grace.page.setViewportSize({ width: 640, height: 760 });
    await grace.page.getByRole('button', { name: 'Leave' }).waitFor();
    await shot(grace.page, 'call-narrow');
    await grace.page.setViewportSize({ width: 1280, height: 800 });
  });

  it('a message sent while the server is down reaches the other user once it is back, exactly once', async () => {
    await ada.page.getByRole('button', { name: 'Chat' }).click();
    await grace.page.getByRole('button', { name: 'Chat' }).click();
    await server.stop();
    await ada.page.locator('[data-connection="offline"]').first().waitFor(SYNC);
    const text = 'Written offline, sent later';
    await ada.page.getByLabel('Message', { exact: true }).fill(text);
    await ada.page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => messagesWith(ada.page, text).getAttribute('data-status'), SYNC).toBe('pending');
    await shot(ada.page, 'chat-offline');

    await server.start();
    await expect.poll(() => messagesWith(ada.page, text).getAttribute('data-status'), SYNC).toBe('sent');
    await expect.poll(() => messagesWith(grace.page, text).count(), SYNC).toBe(1);
    // Resending after reconnects must not duplicate it: a later message arrives after it, still once.
    await ada.page.getByLabel('Message', { exact: true }).fill('And one more');
    await ada.page.getByRole('button', { name: 'Send' }).click();
    await messagesWith(grace.page, 'And one more').waitFor(SYNC);
    expect(await messagesWith(grace.page, text).count()).toBe(1);
  });

  it('a search finds a cached message while offline', async () => {
    await grace.page.getByRole('button', { name: 'Leave' }).click();
    await server.stop();
    await grace.page.locator('[data-connection="offline"]').first().waitFor(SYNC);
    await grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Search' }).click();
    // A screen change puts keyboard focus on the new screen's heading and names the window.
    await expect.poll(() => grace.page.evaluate(() => document.activeElement?.textContent)).toBe('Search');
    expect(await grace.page.title()).toBe('Search – Tandem');
    await grace.page.getByRole('searchbox', { name: 'Search messages' }).fill('agenda');
    await grace.page.getByRole('search').getByRole('button', { name: 'Search' }).click();
    await grace.page.locator('.hit', { hasText: 'Agenda is in the doc' }).waitFor(SYNC);
    await grace.page.getByText('Offline: searching what this device holds').waitFor();
    await shot(grace.page, 'search-offline');
  });

  it('a restarted desktop shows chat history from its cache before the server answers', async () => {
    // The server is still down: whatever shows now can only come from the cache.
    grace = await grace.restart();
    await grace.page.getByRole('heading', { name: `Hello, ${GRACE.name}` }).waitFor(SYNC);
    await grace.page.locator('.conversation', { hasText: MEETING }).click();
    await messagesWith(grace.page, 'Morning! Agenda is in the doc.').waitFor(SYNC);
    await messagesWith(grace.page, 'Written offline, sent later').waitFor(SYNC);
    await shot(grace.page, 'restart-from-cache');
    await server.start();
  });

  it('holds a joiner in the lobby until a host decides: refused goes home and says so, admitted joins', async () => {
    /** What a host does from their own client: the server's HTTP API with Ada's (the owner's) token. */
    const hostToken = await ownerToken(server.url);
    const asHost = async (path: string, body?: unknown): Promise<unknown> => {
      const response = await fetch(`${server.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${hostToken}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
      return response.json();
    };
    const waitInLobby = async (title: string): Promise<{ meeting: Meeting; entryId: string }> => {
      const meeting = MeetingSchema.parse(await asHost('/meetings', { title, settings: { lobby: true } }));
      await grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Home' }).click();
      await grace.page.getByLabel('Meeting code or link').fill(meeting.joinCode);
      await grace.page.getByRole('button', { name: 'Join', exact: true }).click();
      await grace.page.getByLabel('Your camera preview').waitFor({ timeout: 20_000 });
      await grace.page.getByRole('button', { name: 'Join now' }).click();
      await grace.page.getByRole('heading', { name: 'Waiting to be let in' }).waitFor(SYNC);
      const entries = async () => LobbyListSchema.parse(await asHost(`/meetings/${meeting.id}/lobby`)).entries;
      await expect.poll(async () => (await entries()).filter((e) => e.status === 'waiting').length, SYNC).toBe(1);
      const [entry] = (await entries()).filter((e) => e.status === 'waiting');
      if (entry === undefined) throw new Error('no lobby entry');
      return { meeting, entryId: entry.id };
    };

    await grace.page.locator('[data-connection="online"]').waitFor(SYNC);
    const refused = await waitInLobby('Board prep');
    await shot(grace.page, 'lobby');
    await asHost(`/meetings/${refused.meeting.id}/lobby/${refused.entryId}/deny`, {});
    await grace.page.getByText('The host did not let you into Board prep.').waitFor(SYNC);

    // Left by choice: home at once, and the hosts' lobby empties (the entry cannot be admitted).
    const left = await waitInLobby('Board dinner');
    await grace.page.getByRole('button', { name: 'Leave the lobby' }).click();
    await grace.page.getByRole('heading', { name: /^Hello, / }).waitFor(SYNC);
    const lobbyOf = async (meetingId: string) =>
      LobbyListSchema.parse(await asHost(`/meetings/${meetingId}/lobby`)).entries.length;
    await expect.poll(() => lobbyOf(left.meeting.id), SYNC).toBe(0);

    const admitted = await waitInLobby('Board review');
    await asHost(`/meetings/${admitted.meeting.id}/lobby/${admitted.entryId}/admit`, {});
    await grace.page.getByRole('navigation', { name: 'Call controls' }).waitFor(SYNC);
    await grace.page.getByRole('button', { name: 'Leave' }).click();
    await grace.page.getByRole('heading', { name: /^Hello, / }).waitFor(SYNC);
    expect(await grace.page.getByRole('navigation', { name: 'Call controls' }).count()).toBe(0);
  });

  it('keeps the 2160p opt-in across a restart', async () => {
    const settings = grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' });
    await settings.click();
    const uhd = grace.page.getByLabel('Send 2160p (4K) video when my camera supports it');
    expect(await uhd.isChecked()).toBe(false);
    await uhd.check();
    await expect.poll(() => uhd.isChecked()).toBe(true);
    grace = await grace.restart();
    await grace.page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click();
    await expect
      .poll(() => grace.page.getByLabel('Send 2160p (4K) video when my camera supports it').isChecked())
      .toBe(true);
  });

  it('ran the production build, without uncaught errors and within the shipped Content-Security-Policy', () => {
    // React's development build says this in the console; the shipped one has no such words.
    const assets = path.join(inject('renderer'), 'assets');
    const scripts = fs.readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    expect(
      scripts.filter((f) => fs.readFileSync(path.join(assets, f), 'utf8').includes('Download the React DevTools')),
    ).toEqual([]);
    expect([...ada.pageErrors, ...grace.pageErrors]).toEqual([]);
    expect([...ada.cspViolations, ...grace.cspViolations]).toEqual([]);
  });
});
