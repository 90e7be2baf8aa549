import path from 'node:path';
import { screenshotsDir } from '@tandem/devstack';
import { DEMO_PEOPLE } from '@tandem/server';
import { ROUTES, WS_PATH, type ChatEvent, type Conversation } from '@tandem/shared';
import type { Locator, Page, WebSocketRoute } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ownerToken, signIn } from './support/people.ts';
import { startWorld, type World } from './support/world.ts';

const livekit = inject('livekit');
const [, GRACE] = DEMO_PEOPLE;
const SYNC = { timeout: 30_000, interval: 250 };
const CHANNEL = 'Socket writes';

const composer = (page: Page): Locator => page.getByRole('combobox', { name: 'Message' });

/**
 * The browser client's chat writes go on its WebSocket (SOCKET_ROUTES), not as an HTTP request
 * each: Grace sends in a channel and Ada's history has it, with no POST …/messages from the page.
 * The page's socket runs through Playwright's WebSocket route, which passes every frame on to the
 * real server, so the test can also cut the socket the moment a call is sent, as a network would:
 * the call is then made again over HTTP, and the message is stored once.
 */
describe('the browser client writes chat on its socket, and over HTTP when the socket is lost', () => {
  let world: World<readonly []>;
  let page: Page;
  /** Ada's access token: she owns the demo organisation and reads the channel's history. */
  let adaToken: string;
  let channel: Conversation;
  /** The page's HTTP requests that post a message. */
  const posts: string[] = [];
  /** Calls the page sent on its socket, by route. */
  const calls: string[] = [];
  /** Set to make the next call's socket drop instead of passing the call on. */
  let cutNextCall = false;
  /** `ready` frames the server sent the page: one per authenticated socket. */
  let readies = 0;

  /** The channel's messages as the server holds them. */
  async function history(): Promise<Extract<ChatEvent, { type: 'message' }>[]> {
    const response = await fetch(
      `${world.server.url}${ROUTES.history.path.replace(':conversationId', channel.id)}?since=0`,
      { headers: { authorization: `Bearer ${adaToken}` } },
    );
    const { events } = (await response.json()) as { events: ChatEvent[] };
    return events.flatMap((e) => (e.type === 'message' ? [e] : []));
  }

  function relay(route: WebSocketRoute): void {
    const server = route.connectToServer();
    server.onMessage((frame) => {
      if (typeof frame === 'string' && frame.startsWith('{"type":"ready"')) readies += 1;
      route.send(frame);
    });
    route.onMessage((frame) => {
      const message = typeof frame === 'string' ? (JSON.parse(frame) as { type?: string; route?: string }) : {};
      if (message.type === 'call') {
        calls.push(message.route ?? '');
        if (cutNextCall) {
          cutNextCall = false;
          void route.close({ code: 4000, reason: 'the network dropped it' });
          return;
        }
      }
      server.send(frame);
    });
  }

  beforeAll(async () => {
    world = await startWorld(livekit, [] as const);
    adaToken = await ownerToken(world.server.url);
    channel = (await (
      await fetch(`${world.server.url}${ROUTES.createChannel.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adaToken}` },
        body: JSON.stringify({ name: CHANNEL }),
      })
    ).json()) as Conversation;
    page = await (await world.browser.newContext({ viewport: { width: 1100, height: 800 } })).newPage();
    await page.routeWebSocket((url) => url.pathname === WS_PATH, relay);
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/messages'))
        posts.push(request.postData() ?? '');
    });
    await page.goto(`${world.server.url}/app/`);
    await signIn(page, world.server.url, GRACE);
    await page
      .getByRole('region', { name: 'Channels' })
      .getByRole('button', { name: new RegExp(`^${CHANNEL}\\b`) })
      .click(SYNC);
    await page.getByRole('heading', { level: 1, name: CHANNEL }).waitFor(SYNC);
  });
  afterAll(async () => {
    await page?.context().close();
    await world?.close();
  });

  it('sends on the socket: stored, shown as sent, no HTTP request', async () => {
    const input = composer(page);
    await input.fill('sent on the socket');
    await input.press('Enter');
    await expect.poll(async () => (await history()).map((e) => e.body), SYNC).toContain('sent on the socket');
    await page.getByRole('listitem').filter({ hasText: 'sent on the socket' }).waitFor(SYNC);
    expect(calls).toContain('sendMessage');
    expect(posts).toEqual([]);
    await page.screenshot({ path: path.join(screenshotsDir, 'browser-chat-on-socket.png') });
  });

  it('a call whose socket drops is made again over HTTP with the same clientId, stored once', async () => {
    cutNextCall = true;
    const input = composer(page);
    await input.fill('sent as the socket dropped');
    await input.press('Enter');
    await expect.poll(() => posts.length, SYNC).toBe(1);
    await expect
      .poll(async () => (await history()).filter((e) => e.body === 'sent as the socket dropped').length, SYNC)
      .toBe(1);
    expect(cutNextCall).toBe(false);
    const clientId = (JSON.parse(posts[0] ?? '{}') as { clientId?: string }).clientId;
    expect((await history()).find((e) => e.body === 'sent as the socket dropped')?.clientId).toBe(clientId);
    await page.getByRole('listitem').filter({ hasText: 'sent as the socket dropped' }).waitFor(SYNC);
    // The socket comes back, and the next message goes on it again.
    await expect.poll(() => readies, SYNC).toBe(2);
    await input.fill('back on the socket');
    await input.press('Enter');
    await expect.poll(async () => (await history()).map((e) => e.body), SYNC).toContain('back on the socket');
    expect(posts).toHaveLength(1);
    await page.screenshot({ path: path.join(screenshotsDir, 'browser-chat-socket-dropped.png') });
  });
});
