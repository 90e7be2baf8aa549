import fs from 'node:fs';
import path from 'node:path';
import { freeTcpPort, logsDir, spawnOwned, waitForTcp } from '@tandem/devstack';
import WebSocket from 'ws';
import { peerBody, peerEvent, type FanoutTarget } from './b2Driver.ts';
import { inspectorOnLoopback, retainedBytes } from './retained.ts';

/** A frame of the floor server (b2FloorServer.ts): a relayed event, or the answer to a post on a socket. */
export function floorFrame(frame: string): { event?: unknown; posted?: unknown } {
  const message: unknown = JSON.parse(frame);
  if (typeof message !== 'object' || message === null) return {};
  const { type, event, ref } = message as { type?: unknown; event?: unknown; ref?: unknown };
  if (type === 'chat.event') return { event };
  return type === 'posted' ? { posted: ref } : {};
}

/**
 * The floor: b2FloorServer.ts in its own process (Node, `ws`, nothing stored). A socket joins
 * its room by its URL; a post is a Tandem-sized event (peerEvent) sent to the room on its first
 * socket (`postOn: 'socket'`) or over HTTP.
 */
export const floorTarget: FanoutTarget = {
  name: 'floor',
  async start(_rooms, postOn) {
    const port = await freeTcpPort();
    const inspector = await inspectorOnLoopback();
    fs.mkdirSync(logsDir, { recursive: true });
    const logFile = path.join(logsDir, `b2-floor-${port}.log`);
    const proc = spawnOwned(
      process.execPath,
      [inspector.flag, '--import', 'tsx', path.join(import.meta.dirname, 'b2FloorServer.ts')],
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
    /** Each room's first socket, which posts when posts go on sockets. */
    const posters = new Map<number, WebSocket>();
    /** Posts on sockets waiting for their answer, by ref. */
    const posting = new Map<number, () => void>();
    let refs = 0;
    return {
      pids: [pid],
      retainedBytes: () => retainedBytes(inspector.port),
      connect(room, member, delivered) {
        return new Promise((resolve, reject) => {
          const socket = new WebSocket(`ws://127.0.0.1:${port}/rooms/room-${room}`);
          socket.once('error', reject);
          socket.once('open', () => {
            if (member === 0) posters.set(room, socket);
            resolve(socket);
          });
          socket.on('message', (data) => {
            const { event, posted } = floorFrame(String(data));
            if (typeof posted === 'number') {
              posting.get(posted)?.();
              posting.delete(posted);
            }
            const body = peerBody(event);
            if (body !== undefined) delivered(body);
          });
        });
      },
      async post(room, post) {
        const poster = postOn === 'socket' ? posters.get(room) : undefined;
        if (poster !== undefined) {
          refs += 1;
          const ref = refs;
          await new Promise<void>((resolve) => {
            posting.set(ref, resolve);
            poster.send(JSON.stringify({ type: 'post', ref, event: peerEvent(room, post) }));
          });
          return;
        }
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
