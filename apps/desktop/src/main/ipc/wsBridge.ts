import type { AddressInfo } from 'node:net';
import { BridgeRequestSchema, isIpcChannel, type BridgeFrame, type IpcChannel } from '@tandem/shared';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Emit } from '../services/events.ts';
import type { OriginCheck } from '../security/uiOrigin.ts';
import type { IpcHandler } from './handlers.ts';

export type WsBridge = {
  /** `ws://127.0.0.1:PORT`: what the page gets as `?bridge=`. */
  readonly url: string;
  /** Pushes an event to every connected page, as webContents.send does in Electron. */
  readonly emit: Emit;
  /** The handlers arrive after the bridge exists, because the services need its `emit`. */
  setHandlers(handlers: ReadonlyMap<IpcChannel, IpcHandler>): void;
  close(): Promise<void>;
};

/**
 * The test harness's stand-in for Electron's IPC: the real IPC handlers, served to a browser
 * page over one loopback WebSocket. The page's origin (the upgrade's Origin header) plays the
 * sender frame: handlers refuse other origins exactly as in Electron, and so does the upgrade.
 */
export async function startWsBridge(options: {
  readonly isTrustedOrigin: OriginCheck;
  /** A fixed loopback port (a harness in another process is found by it); any free one by default. */
  readonly port?: number;
}): Promise<WsBridge> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port: options.port ?? 0,
    maxPayload: 1024 * 1024,
    verifyClient: ({ origin }: { origin: string }) => options.isTrustedOrigin(origin),
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  // A page may connect while main is still starting: its calls wait for the handlers.
  let setReady: (handlers: ReadonlyMap<IpcChannel, IpcHandler>) => void = () => {};
  const ready = new Promise<ReadonlyMap<IpcChannel, IpcHandler>>((resolve) => (setReady = resolve));
  const origins = new WeakMap<WebSocket, string>();

  const send = (socket: WebSocket, frame: BridgeFrame) => {
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
  };

  server.on('connection', (socket, request) => {
    origins.set(socket, request.headers.origin ?? '');
    socket.on('message', async (data) => {
      let frame;
      try {
        frame = BridgeRequestSchema.parse(JSON.parse(String(data)));
      } catch {
        socket.close(1003, 'bad frame');
        return;
      }
      const handlers = await ready;
      const handler = isIpcChannel(frame.channel) ? handlers.get(frame.channel) : undefined;
      const result =
        handler === undefined
          ? { ok: false as const, error: { code: 'not_found' as const, message: `no channel ${frame.channel}` } }
          : await handler(frame.payload, { url: origins.get(socket) ?? '' });
      send(socket, { id: frame.id, ...result });
    });
  });

  const { port } = server.address() as AddressInfo;
  return {
    url: `ws://127.0.0.1:${port}`,
    emit: (event, payload) => {
      for (const socket of server.clients) send(socket, { event, payload });
    },
    setHandlers: (handlers) => setReady(handlers),
    close() {
      for (const socket of server.clients) socket.terminate();
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
