import fs from 'node:fs';
import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PASSWORD, DEMO_PEOPLE } from '@tandem/server';
import {
  AuthSessionSchema,
  E2eeDevicesSchema,
  E2eeKeysSchema,
  ROUTES,
  type AuthSession,
  type Meeting,
} from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { framesDecoded, framesInASecond, videoAttached } from './support/media.ts';
import { addPerson, callControl, joinByCode, ownerCreatesMeeting, signIn, LINUS } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [ADA, GRACE] = DEMO_PEOPLE;
const NOOR = { email: 'noor@tandem.example', name: 'Noor Demo' };
const MEDIA = { timeout: 45_000, interval: 500 };
/** How long a participant without the key is watched decoding nothing. */
const WATCH_MS = 5000;

const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotsDir, `${name}.png`) });

/**
 * A test-side filter on a page's bridge to main (the harness WebSocket), installed before the app
 * loads: it can answer "announced" without telling the server (so nobody wraps a key for this
 * device) and drop wrapped keys above a generation from what the page receives. The app is
 * unchanged; only what reaches it is.
 */
type Withhold = { readonly fakeAnnounce: boolean; readonly maxGeneration: number };
function withholdKeys(rules: Withhold): void {
  const Native = globalThis.WebSocket;
  class Filtering extends Native {
    readonly keyRequests = new Set<number>();
    override send(data: string): void {
      const frame = JSON.parse(data) as { id: number; channel: string };
      if (rules.fakeAnnounce && frame.channel === 'encryption:announceDevice') {
        const answer = JSON.stringify({ id: frame.id, ok: true, result: { ok: true } });
        queueMicrotask(() => this.dispatchEvent(new MessageEvent('message', { data: answer })));
        return;
      }
      if (frame.channel === 'encryption:keys') this.keyRequests.add(frame.id);
      super.send(data);
    }
    override addEventListener(
      type: string,
      listener: EventListenerOrEventListenerObject,
      options?: boolean | AddEventListenerOptions,
    ): void {
      if (type !== 'message' || typeof listener !== 'function') return super.addEventListener(type, listener, options);
      super.addEventListener(
        'message',
        (event) => {
          const data = String((event as MessageEvent).data);
          const frame = JSON.parse(data) as { id?: number; result?: { keys?: { generation: number }[] } };
          if (frame.id === undefined || !this.keyRequests.has(frame.id) || frame.result?.keys === undefined)
            return listener(event);
          frame.result.keys = frame.result.keys.filter((k) => k.generation <= rules.maxGeneration);
          listener(new MessageEvent('message', { data: JSON.stringify(frame) }));
        },
        options,
      );
    }
  }
  globalThis.WebSocket = Filtering;
}

/** Records, in the page, every 32-byte raw key imported for HKDF: the meeting keys (and ECDH secrets). */
function captureRawKeys(): void {
  const subtle = globalThis.crypto.subtle;
  const importKey = subtle.importKey.bind(subtle);
  const seen: string[] = [];
  (globalThis as { capturedKeys?: string[] }).capturedKeys = seen;
  subtle.importKey = ((format: string, data: unknown, ...rest: unknown[]) => {
    if (format === 'raw' && data instanceof Uint8Array && data.byteLength === 32)
      seen.push(btoa(String.fromCharCode(...data)));
    return (importKey as (...args: unknown[]) => Promise<CryptoKey>)(format, data, ...rest);
  }) as typeof subtle.importKey;
}

/**
 * End-to-end encryption (issue 15) in real Chromium on the real coordination server and
 * livekit-server. Ada and Grace hold the meeting key: they see each other and chat. Linus is in the
 * call with his key withheld (his page never announces a device, so nobody wraps a key for him)
 * and decodes nothing. Noor, on the browser client (device key in IndexedDB), gets it. When Grace leaves, Ada makes a new key generation; Grace, back with only
 * the key she held, decodes nothing sent after. The server's database and log hold no key, and
 * recording is refused.
 */
describe('an end-to-end encrypted meeting', () => {
  let world: World<readonly ['ada', 'grace', 'linus']>;
  let ada: Page;
  let grace: Page;
  let linus: Page;
  let meeting: Meeting;
  let token: string;
  let graceSession: AuthSession;
  let browserNoor: Page;
  const browserProblems: string[] = [];

  async function signInApi(email: string): Promise<AuthSession> {
    const response = await fetch(`${world.server.url}${ROUTES.signIn.path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    return AuthSessionSchema.parse(await response.json());
  }
  async function api(method: 'GET' | 'POST', route: string, as = token): Promise<{ status: number; body: unknown }> {
    const response = await fetch(`${world.server.url}${route}`, {
      method,
      headers: { authorization: `Bearer ${as}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body: '{}' } : {}),
    });
    return { status: response.status, body: await response.json() };
  }
  const lock = (page: Page) => page.locator('.e2ee-lock');
  const generationOf = async (page: Page) => Number(await lock(page).getAttribute('data-generation'));
  const adaCamera = (page: Page) => videoAttached(page, meeting.ownerId, 'camera', MEDIA.timeout);
  async function verificationCode(page: Page): Promise<string> {
    await lock(page).click();
    const code = page.getByTestId('e2ee-code');
    await code.waitFor();
    return (await code.textContent()) ?? '';
  }

  beforeAll(async () => {
    world = await startWorld(livekit, ['ada', 'grace', 'linus'], [], { LOG_LEVEL: 'debug' });
    [ada, grace, linus] = world.desktops.map((d) => d.page) as [Page, Page, Page];
    await addPerson(world.server.url, LINUS);
    await addPerson(world.server.url, NOOR);
    await ada.addInitScript(captureRawKeys);
    await linus.addInitScript(withholdKeys, { fakeAnnounce: true, maxGeneration: 0 });
    await Promise.all([ada.reload(), linus.reload()]);
    token = (await signInApi(ADA.email)).tokens.accessToken;
    graceSession = await signInApi(GRACE.email);
    meeting = await ownerCreatesMeeting(world.server.url, { title: 'Board, encrypted', settings: { e2ee: true } });
    await Promise.all([
      signIn(ada, world.server.url, ADA),
      signIn(grace, world.server.url, GRACE),
      signIn(linus, world.server.url, LINUS),
    ]);
  });
  afterAll(async () => {
    await world?.close();
  });

  it('the two with the key see each other, chat, and read the same verification code', async () => {
    await joinByCode(ada, meeting.joinCode);
    await joinByCode(grace, meeting.joinCode);
    await expect.poll(() => framesInASecond(ada, 'remote', 'camera'), MEDIA).toBeGreaterThan(0);
    await expect.poll(() => framesInASecond(grace, 'remote', 'camera'), MEDIA).toBeGreaterThan(0);
    expect(await generationOf(ada)).toBe(1);
    expect(await generationOf(grace)).toBe(1);
    // LiveKit itself is told every published track is encrypted (livekit.Encryption.Type GCM = 1).
    const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
    const tracks = (await rooms.listParticipants(`meeting-${meeting.id}`)).flatMap((p) => p.tracks);
    expect(tracks.length).toBeGreaterThanOrEqual(4);
    expect(tracks.map((t) => t.encryption)).toEqual(tracks.map(() => 1));

    await callControl(ada, 'Chat');
    await callControl(grace, 'Chat');
    await ada.getByLabel('Message', { exact: true }).fill('Numbers stay in this room');
    await ada.getByRole('button', { name: 'Send', exact: true }).click();
    await grace.getByText('Numbers stay in this room').waitFor();
    await grace.getByLabel('Message', { exact: true }).fill('Agreed');
    await grace.getByRole('button', { name: 'Send', exact: true }).click();
    await ada.getByText('Agreed').waitFor();
    // The meeting's server conversation never saw it.
    const history = await api('GET', `/conversations/${meeting.conversationId}/messages`);
    expect(JSON.stringify(history.body)).not.toContain('Numbers stay');

    const [adaCode, graceCode] = [await verificationCode(ada), await verificationCode(grace)];
    expect(adaCode).toMatch(/^\d{3} \d{3} \d{3} \d{3}$/);
    expect(graceCode).toBe(adaCode);
    await ada.getByText('Not available in this meeting').waitFor();
    await ada.getByText('The whiteboard (the server would have to keep it)').waitFor();
    await shot(ada, 'e2ee-verification');
    for (const page of [ada, grace]) await page.getByRole('button', { name: 'Close', exact: true }).click();
    // The server would have to keep a board: the call offers none, and says why.
    const whiteboard = ada
      .getByRole('navigation', { name: 'Call controls' })
      .getByRole('button', { name: 'Whiteboard', exact: true });
    expect(await whiteboard.isDisabled()).toBe(true);
    expect(await whiteboard.getAttribute('title')).toMatch(/^No whiteboard in an end-to-end encrypted meeting/);
  });

  it('a participant whose key is withheld decodes none of it', async () => {
    // Tried again after a failure (CI tries a test twice; once Ada's camera never appeared in
    // Linus's window on either try, his call kept from the first), Linus joins the call afresh.
    if (await linus.getByRole('navigation', { name: 'Call controls' }).isVisible()) await callControl(linus, 'Leave');
    await joinByCode(linus, meeting.joinCode);
    await adaCamera(linus);
    expect(await lock(linus).textContent()).toMatch(/Waiting for the meeting key/);
    const before = await framesDecoded(linus, { identity: meeting.ownerId }, 'camera');
    const graceBefore = await framesDecoded(grace, { identity: meeting.ownerId }, 'camera');
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    expect(await framesDecoded(linus, { identity: meeting.ownerId }, 'camera')).toBe(before);
    expect(before).toBe(0);
    // Meanwhile Grace, with the key, decoded the same track.
    expect((await framesDecoded(grace, { identity: meeting.ownerId }, 'camera')) - graceBefore).toBeGreaterThan(10);

    await ada.getByLabel('Message', { exact: true }).fill('Not for Linus');
    await ada.getByRole('button', { name: 'Send', exact: true }).click();
    await grace.getByText('Not for Linus').waitFor();
    await callControl(linus, 'Chat');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await linus.getByText('Not for Linus').count()).toBe(0);
  });

  it('on the browser client, a device key kept in IndexedDB gets the meeting key and decodes', async () => {
    // Tried again after a failure (CI tries a test twice), Linus may have left already, and the
    // first try's page of Noor's is closed so that one Noor joins.
    if (await linus.getByRole('navigation', { name: 'Call controls' }).isVisible()) await callControl(linus, 'Leave');
    await browserNoor?.close();
    browserNoor = await world.browser.newPage({ viewport: { width: 1100, height: 760 } });
    browserNoor.on('pageerror', (e) => browserProblems.push(e.message));
    browserNoor.on('console', (m) => {
      if (m.type() === 'error' && m.text().includes('Content Security Policy')) browserProblems.push(m.text());
    });
    await browserNoor.goto(`${world.server.url}/app/`);
    await signIn(browserNoor, world.server.url, NOOR);
    await joinByCode(browserNoor, meeting.joinCode);
    await expect
      .poll(() => framesInASecond(browserNoor, { identity: meeting.ownerId }, 'camera'), MEDIA)
      .toBeGreaterThan(5);
    expect(await generationOf(browserNoor)).toBe(1);
  });

  /** Set once Grace's page drops meeting keys above generation 1 (a second filter would change nothing). */
  let graceWithheld = false;

  it('when Grace leaves, a new key generation is made that she cannot obtain nor decode with the key she held', async () => {
    const devices = E2eeDevicesSchema.parse((await api('GET', `/meetings/${meeting.id}/e2ee/devices`)).body);
    const graceDevice = devices.devices.find((d) => d.userId === graceSession.user.id);
    if (graceDevice === undefined) throw new Error('no device of Grace');
    // 1 the first time; tried again after a failure (CI tries a test twice), Grace is back in the
    // call from the first try, after which the meeting stood at 2.
    const held = await generationOf(ada);
    await callControl(grace, 'Leave');
    const next = held + 1;
    await expect.poll(() => generationOf(ada), MEDIA).toBe(next);
    // Noor, in the call on the browser, has the new key too and still sees Ada.
    await expect.poll(() => generationOf(browserNoor), MEDIA).toBe(next);
    await expect
      .poll(() => framesInASecond(browserNoor, { identity: meeting.ownerId }, 'camera'), MEDIA)
      .toBeGreaterThan(5);

    // The server gives her nothing newer than what she held.
    const hers = await api(
      'GET',
      `/meetings/${meeting.id}/e2ee/keys?deviceId=${graceDevice.deviceId}`,
      graceSession.tokens.accessToken,
    );
    const keys = E2eeKeysSchema.parse(hers.body);
    expect(keys.generation).toBe(next);
    const hersNow = keys.keys.map((k) => k.generation);
    expect(hersNow).toContain(1);
    expect(Math.max(...hersNow)).toBeLessThanOrEqual(held);

    // Back in the call with only generation 1 (her page drops anything newer): Ada's frames do not decode.
    if (!graceWithheld) await grace.addInitScript(withholdKeys, { fakeAnnounce: true, maxGeneration: 1 });
    graceWithheld = true;
    await grace.reload();
    await joinByCode(grace, meeting.joinCode);
    await adaCamera(grace);
    expect(await generationOf(grace)).toBe(1);
    const before = await framesDecoded(grace, { identity: meeting.ownerId }, 'camera');
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    expect(await framesDecoded(grace, { identity: meeting.ownerId }, 'camera')).toBe(before);
    expect(before).toBe(0);
    expect(await generationOf(ada)).toBe(next);
    // Her device kept the chat of the earlier call (the desktop cache), though the server never had it.
    await callControl(grace, 'Chat');
    await grace.getByText('Numbers stay in this room').waitFor();
  });

  it('the server holds no key and refuses recording and captions with the reason', async () => {
    const captured = await ada.evaluate(() => (globalThis as { capturedKeys?: string[] }).capturedKeys ?? []);
    expect(captured.length).toBeGreaterThanOrEqual(2);
    const stored = Buffer.concat(
      ['', '-wal', '-shm']
        .map((suffix) => `${world.server.databasePath}${suffix}`)
        .filter((file) => fs.existsSync(file))
        .map((file) => fs.readFileSync(file)),
    );
    const logged = world.server.log.join('');
    expect(logged.length).toBeGreaterThan(0);
    for (const key of captured) {
      const raw = Buffer.from(key, 'base64');
      expect(stored.includes(raw), 'raw bytes in the database').toBe(false);
      for (const text of [key, raw.toString('hex')]) {
        expect(stored.includes(Buffer.from(text)), 'a key in the database').toBe(false);
        expect(logged.includes(text), 'a key in the log').toBe(false);
      }
    }

    const start = await api('POST', `/meetings/${meeting.id}/recordings`);
    expect(start).toMatchObject({
      status: 409,
      body: { error: { code: 'conflict', message: expect.stringMatching(/end-to-end encrypted/) } },
    });
    expect((await api('GET', `/meetings/${meeting.id}/recordings`)).body).toMatchObject({ unavailable: 'e2ee' });
    expect((await api('GET', `/meetings/${meeting.id}/captions`)).body).toMatchObject({ unavailable: 'e2ee' });

    expect(browserProblems).toEqual([]);
    for (const desktop of world.desktops) {
      expect(desktop.cspViolations).toEqual([]);
      expect(desktop.pageErrors).toEqual([]);
    }
  });
});
