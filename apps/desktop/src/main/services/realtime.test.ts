import type { AddressInfo } from 'node:net';
import { WS_CLOSE, WS_PATH, type ConnectionStatus } from '@tandem/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { createApiClient } from './apiClient.ts';
import { createRealtime, type Realtime } from './realtime.ts';

/**
 * A WebSocket server speaking the coordination server's first frames (auth → ready) on loopback:
 * it stands in for an instance being drained, which the real server's operations tests cover.
 */
async function instance() {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, path: WS_PATH });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const sockets: WebSocket[] = [];
  server.on('connection', (socket) => {
    sockets.push(socket);
    socket.once('message', () =>
      socket.send(JSON.stringify({ type: 'ready', userId: crypto.randomUUID(), organisationId: crypto.randomUUID() })),
    );
  });
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sockets, close: () => new Promise((r) => server.close(r)) };
}

async function until(what: string, done: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

let realtime: Realtime | undefined;
afterEach(async () => {
  await realtime?.stop();
});

describe('the desktop’s server connection', () => {
  it('connects again at once when its instance drains (4503), and backs off after other closes (a loopback WebSocket server stands in for the instance)', async () => {
    const server = await instance();
    let status: ConnectionStatus = 'offline';
    realtime = createRealtime({
      session: {
        accessToken: async () => 'token',
        api: () => createApiClient(server.url),
        refresh: async () => {},
        deactivated: async () => {},
      },
      connection: {
        status: () => status,
        set: (next) => {
          status = next;
        },
        onChange: () => () => {},
      },
      onReady: async () => {},
      onMessage: () => {},
      // Any back-off at all would outlast this test.
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    realtime.start();
    await until('online', () => status === 'online');

    server.sockets[0]?.close(WS_CLOSE.draining, 'server draining');
    await until('a second connection, without backing off', () => server.sockets.length === 2);
    await until('online again', () => status === 'online');

    server.sockets[1]?.close(1011, 'internal error');
    await until('reconnecting', () => status === 'reconnecting');
    await new Promise((r) => setTimeout(r, 1_000));
    expect(server.sockets).toHaveLength(2);
    await server.close();
  });
});
