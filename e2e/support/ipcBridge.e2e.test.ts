import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ChatMessageView, ConnectionStatus, TandemClient } from '@tandem/shared';
import { startServer, type RunningServer } from '@tandem/server';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import { createTandemClient, webSocketTransport } from '../../apps/desktop/src/renderer/bridge.ts';
import { BridgeError } from '../../apps/desktop/src/renderer/client.ts';
import { startDesktopProcess, startDesktopSide, type DesktopSide } from './ipcBridge.ts';

/**
 * The browser harness's wire, end to end in Node: the renderer's own bridge module (with `ws`
 * standing in for the page's WebSocket) → the harness → the real IPC handlers, cache worker and
 * services → the real coordination server.
 */

const PAGE_ORIGIN = 'http://localhost:5999';
const PASSWORD = 'correct horse battery staple';
let dir: string;
let server: RunningServer;
let desktop: DesktopSide;

function pageClient(bridgeUrl: string, origin = PAGE_ORIGIN): TandemClient {
  const transport = webSocketTransport(bridgeUrl, (url) => new WebSocket(url, { origin }) as never);
  return createTandemClient(() => transport);
}

beforeAll(async () => {
  const livekit = inject('livekit');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-bridge-'));
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    livekit: { wsUrl: livekit.wsUrl, apiKey: livekit.apiKey, apiSecret: livekit.apiSecret, tokenTtlSeconds: 120 },
    databasePath: path.join(dir, 'server.db'),
    logLevel: 'warn',
    seedDemo: false,
    auth: { accessTtlSeconds: 900, refreshTtlSeconds: 3600, refreshGraceSeconds: 30 },
    rateLimits: { signInPerMinute: 1000, signUpPerMinute: 1000, messagesPerMinute: 1000, scimPerMinute: 1000 },
  });
  desktop = await startDesktopSide({ dataDir: path.join(dir, 'alice'), pageOrigin: PAGE_ORIGIN });
});

afterAll(async () => {
  await desktop?.close();
  await server?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('IPC bridge for the browser harness', () => {
  it('carries calls, errors and pushed events between the page and the real handlers', async () => {
    const tandem = pageClient(desktop.bridgeUrl);
    const statuses: ConnectionStatus[] = [];
    const pushed: ChatMessageView[] = [];
    tandem.onConnectionChanged(({ status }) => statuses.push(status));
    tandem.onChatMessages(({ messages }) => pushed.push(...messages));

    const email = `alice-${crypto.randomUUID().slice(0, 8)}@tandem.example`;
    const signUp = await fetch(`${server.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisationName: 'Bridge org', name: 'Alice', email, password: PASSWORD }),
    });
    expect(signUp.status).toBe(201);

    const error = await tandem.authSignIn({ serverUrl: server.url, email, password: 'wrong password' }).catch((e) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect((error as BridgeError).code).toBe('unauthenticated');

    const session = await tandem.authSignIn({ serverUrl: server.url, email, password: PASSWORD });
    expect(session.user.email).toBe(email);
    await expect.poll(() => statuses.includes('online'), { timeout: 20_000 }).toBe(true);

    // The list answers from the cache at once; the personal room is there once the server was asked.
    await expect.poll(async () => (await tandem.meetingsList()).personalRoom, { timeout: 20_000 }).not.toBeNull();
    const { personalRoom } = await tandem.meetingsList();
    const conversationId = personalRoom?.conversationId ?? '';
    await tandem.chatOpen({ conversationId });
    const sent = await tandem.chatSend({ conversationId, body: 'through the bridge' });
    expect(sent.status).toBe('pending');
    await expect
      .poll(() => pushed.some((m) => m.clientId === sent.clientId && m.status === 'sent'), {
        timeout: 20_000,
      })
      .toBe(true);
    // The cache's hit and the server's are one message.
    const found = await tandem.searchEverything({ query: 'bridge' });
    expect(found.messages.map((h) => h.message.body)).toEqual(['through the bridge']);
    expect(found.scope).toBe('everywhere');
  });

  it('refuses a page from another origin at the door', async () => {
    const stranger = pageClient(desktop.bridgeUrl, 'http://evil.example');
    const error = await stranger.settingsGet().catch((e) => e);
    expect(error).toBeInstanceOf(BridgeError);
    expect((error as BridgeError).code).toBe('unavailable');
  });
});

describe('the desktop side as its own process', () => {
  it('restarts as a new process on the same data folder, signed in, with history from the cache', async () => {
    const dataDir = path.join(dir, 'bob');
    const email = `bob-${crypto.randomUUID().slice(0, 8)}@tandem.example`;
    await fetch(`${server.url}/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ organisationName: 'Process org', name: 'Bob', email, password: PASSWORD }),
    });
    const first = await startDesktopProcess({ dataDir, pageOrigin: PAGE_ORIGIN });
    try {
      const tandem = pageClient(first.bridgeUrl);
      await tandem.authSignIn({ serverUrl: server.url, email, password: PASSWORD });
      await expect.poll(async () => (await tandem.meetingsList()).personalRoom, { timeout: 20_000 }).not.toBeNull();
      const conversationId = (await tandem.meetingsList()).personalRoom?.conversationId ?? '';
      await tandem.chatOpen({ conversationId });
      await tandem.chatSend({ conversationId, body: 'kept across processes' });
      await expect
        .poll(async () => (await tandem.chatList({ conversationId })).messages.map((m) => m.status), {
          timeout: 20_000,
        })
        .toEqual(['sent']);
    } finally {
      await first.close();
    }

    const second = await startDesktopProcess({ dataDir, pageOrigin: PAGE_ORIGIN });
    try {
      const tandem = pageClient(second.bridgeUrl);
      expect((await tandem.authSession()).session?.user.email).toBe(email);
      const [recent] = (await tandem.chatConversations()).conversations;
      expect((await tandem.chatList({ conversationId: recent?.id ?? '' })).messages.map((m) => m.body)).toEqual([
        'kept across processes',
      ]);
    } finally {
      await second.close();
    }
  });
});
