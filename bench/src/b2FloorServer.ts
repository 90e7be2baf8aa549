/**
 * The floor B2 compares with: a bare Node `http` + `ws` server that relays each POST to the
 * sockets of its room, storing nothing, checking nothing but that the body is a JSON object. What
 * any server in Node pays for B2's traffic (HTTP parsing, JSON, 20 socket writes per post).
 * Runs as its own process: `node --import tsx b2FloorServer.ts`, listening on 127.0.0.1:$PORT.
 *
 * - `GET /rooms/<room>` upgraded to a WebSocket: joins the room.
 * - `POST /rooms/<room>/messages` with a JSON object: each socket of the room gets
 *   `{"type":"chat.event","event":<the object>}`; the answer is 200 `{"delivered":<sockets>}`.
 * - On a room's socket, `{"type":"post","ref":<any>,"event":<an object>}`: the same relay, answered
 *   on that socket with `{"type":"posted","ref":<ref>,"delivered":<sockets>}`.
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';

const ROOM_PATH = /^\/rooms\/([\w-]{1,64})$/;
const POST_PATH = /^\/rooms\/([\w-]{1,64})\/messages$/;
const MAX_BODY = 64 * 1024;

const rooms = new Map<string, Set<WebSocket>>();

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const room = POST_PATH.exec(req.url ?? '')?.[1];
  if (req.method !== 'POST' || room === undefined) {
    answer(res, 404, { error: 'not_found' });
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY) req.destroy();
    else chunks.push(chunk);
  });
  req.on('end', () => {
    let event: unknown;
    try {
      event = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      answer(res, 400, { error: 'invalid_json' });
      return;
    }
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      answer(res, 400, { error: 'not_an_object' });
      return;
    }
    answer(res, 200, { delivered: relay(room, event) });
  });
});

/** Sends `event` to every socket of `room`, encoded once for all of them as Tandem does; how many. */
function relay(room: string, event: object): number {
  const frame = Buffer.from(JSON.stringify({ type: 'chat.event', event }));
  const sockets = rooms.get(room) ?? new Set();
  for (const socket of sockets) socket.send(frame, { binary: false });
  return sockets.size;
}

/** A post on a room's socket; anything else on it is ignored. */
function postedOn(ws: WebSocket, room: string, data: string): void {
  let message: unknown;
  try {
    message = JSON.parse(data);
  } catch {
    return;
  }
  if (typeof message !== 'object' || message === null) return;
  const { type, ref, event } = message as { type?: unknown; ref?: unknown; event?: unknown };
  if (type !== 'post' || typeof event !== 'object' || event === null || Array.isArray(event)) return;
  const delivered = relay(room, event);
  ws.send(JSON.stringify({ type: 'posted', ref, delivered }));
}

const sockets = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  const room = ROOM_PATH.exec(req.url ?? '')?.[1];
  if (room === undefined) {
    socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
    return;
  }
  sockets.handleUpgrade(req, socket, head, (ws) => {
    const members = rooms.get(room) ?? new Set<WebSocket>();
    rooms.set(room, members);
    members.add(ws);
    ws.on('message', (data) => postedOn(ws, room, String(data)));
    ws.once('close', () => members.delete(ws));
  });
});

const port = Number(process.env['PORT']);
if (!Number.isInteger(port) || port <= 0) throw new Error('PORT must be a port number');
server.listen(port, '127.0.0.1');
