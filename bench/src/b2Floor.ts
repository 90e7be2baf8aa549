import fs from 'node:fs';
import path from 'node:path';
import { freeTcpPort, logsDir, spawnOwned, waitForTcp } from '@tandem/devstack';
import WebSocket from 'ws';
import { peerBody, peerEvent, type FanoutTarget } from './b2Driver.ts';

/** The event in a frame of the floor server (b2FloorServer.ts); undefined for anything else. */
export function floorEvent(frame: string): unknown {
  const message: unknown = JSON.parse(frame);
  if (typeof message !== 'object' || message === null) return undefined;
  const { type, event } = message as { type?: unknown; event?: unknown };
  return type === 'chat.event' ? event : undefined;
}

/**
 * The floor: b2FloorServer.ts in its own process (Node, `ws`, nothing stored). A socket joins
 * its room by its URL; a post is a Tandem-sized event (peerEvent) sent to the room over HTTP.
 */
export const floorTarget: FanoutTarget = {
  name: 'floor',
  async start() {
    const port = await freeTcpPort();
    fs.mkdirSync(logsDir, { recursive: true });
    const logFile = path.join(logsDir, `b2-floor-${port}.log`);
    const proc = spawnOwned(
      process.execPath,
      ['--import', 'tsx', path.join(import.meta.dirname, 'b2FloorServer.ts')],
      logFile,
      { PORT: String(port) },
    );
    try {
      await waitForTcp('127.0.0.1', port, 20_000);
    } catch (e) {
      await proc.stop();
      throw new Error(`the floor server did not start; see ${logFile}`, { cause: e });
    }
    const pid = proc.child.pid;
    if (pid === undefined) throw new Error('the floor server has no pid');
    const url = `http://127.0.0.1:${port}`;
    return {
      pids: [pid],
      connect(room, _member, delivered) {
        return new Promise((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/rooms/room-${room}`);
          socket.once('error', reject);
          socket.once('open', () => resolve(socket));
          socket.on('message', (data) => {
            const body = peerBody(floorEvent(String(data)));
            if (body !== undefined) delivered(body);
          });
        });
      },
      async post(room, post) {
        const response = await fetch(`${url}/rooms/room-${room}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(peerEvent(room, post)),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`floor post: ${response.status} ${text}`);
      },
      stop: () => proc.stop(),
    };
  },
};
