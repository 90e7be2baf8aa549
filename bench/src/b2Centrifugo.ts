import { createHmac, randomUUID } from 'node:crypto';
import { CENTRIFUGO_NAMESPACE, startCentrifugo } from '@tandem/devstack';
import WebSocket from 'ws';
import { peerBody, peerEvent, type FanoutTarget } from './b2Driver.ts';

/** A JWT signed with HMAC-SHA256 (RFC 7519), the connection token Centrifugo checks. */
export function hs256Jwt(claims: Readonly<Record<string, unknown>>, secret: string): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** A reply of Centrifugo's client protocol (JSON), the parts the benchmark reads. */
export type CentrifugoReply = {
  readonly id?: number;
  readonly error?: { readonly code: number; readonly message: string };
  readonly push?: { readonly channel?: string; readonly pub?: { readonly data?: unknown } };
};

/** A WebSocket frame of Centrifugo's JSON protocol holds one or more replies, one per line. */
export function centrifugoReplies(frame: string): CentrifugoReply[] {
  return frame
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const reply: unknown = JSON.parse(line);
      if (typeof reply !== 'object' || reply === null || Array.isArray(reply))
        throw new Error(`not a Centrifugo reply: ${line.slice(0, 200)}`);
      return reply as CentrifugoReply;
    });
}

/** The server's ping is an empty reply; the client answers with an empty command. */
export const isPing = (reply: CentrifugoReply): boolean => Object.keys(reply).length === 0;

const CONNECT = 1;
const SUBSCRIBE = 2;
/** Command ids above this are publishes on a room's socket (one counter for all). */
const PUBLISHES = 2;
const channelOf = (room: number) => `${CENTRIFUGO_NAMESPACE}:${room}`;

/**
 * Centrifugo 6 (packages/devstack/src/centrifugo.ts), memory engine, history on. A socket connects
 * with a JWT for one of its room's two people (`sub`), then subscribes to the room's channel. A
 * post of a Tandem-sized event (peerEvent) is, on a socket (`postOn: 'socket'`), the room's first
 * socket's `publish` command (client publish, answered on that socket; Centrifugo takes no
 * idempotency key there), or over HTTP the server API's `/api/publish` with an idempotency key, as
 * a Tandem-like backend would after storing it.
 */
export const centrifugoTarget: FanoutTarget = {
  name: 'centrifugo',
  async start(_rooms, postOn) {
    const server = await startCentrifugo();
    const expires = Math.floor(Date.now() / 1000) + 3600;
    /** Each room's first socket, which publishes when posts go on sockets. */
    const publishers = new Map<number, WebSocket>();
    /** Publishes waiting for their reply, by command id. */
    const publishing = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
    let commands = PUBLISHES;
    return {
      pids: [server.pid],
      connect(room, member, delivered) {
        return new Promise((resolve, reject) => {
          const socket = new WebSocket(server.wsUrl);
          const token = hs256Jwt({ sub: `room-${room}-person-${member % 2}`, exp: expires }, server.tokenSecret);
          socket.once('error', reject);
          socket.once('close', (code) => reject(new Error(`Centrifugo closed the socket (${code})`)));
          socket.once('open', () => socket.send(JSON.stringify({ id: CONNECT, connect: { token, name: 'b2' } })));
          socket.on('message', (data) => {
            for (const reply of centrifugoReplies(String(data))) {
              const waiting = reply.id === undefined ? undefined : publishing.get(reply.id);
              if (waiting !== undefined && reply.id !== undefined) {
                publishing.delete(reply.id);
                if (reply.error === undefined) waiting.resolve();
                else waiting.reject(new Error(`publish: ${reply.error.code} ${reply.error.message}`));
              } else if (isPing(reply)) socket.send('{}');
              else if (reply.error !== undefined) {
                reject(new Error(`Centrifugo refused command ${reply.id}: ${reply.error.code} ${reply.error.message}`));
                socket.terminate();
              } else if (reply.id === CONNECT)
                socket.send(JSON.stringify({ id: SUBSCRIBE, subscribe: { channel: channelOf(room) } }));
              else if (reply.id === SUBSCRIBE) {
                if (member === 0) publishers.set(room, socket);
                resolve(socket);
              } else {
                const body = peerBody(reply.push?.pub?.data);
                if (body !== undefined) delivered(body);
              }
            }
          });
        });
      },
      async post(room, post) {
        const publisher = postOn === 'socket' ? publishers.get(room) : undefined;
        if (publisher !== undefined) {
          commands += 1;
          const id = commands;
          await new Promise<void>((resolve, reject) => {
            publishing.set(id, { resolve, reject });
            publisher.send(JSON.stringify({ id, publish: { channel: channelOf(room), data: peerEvent(room, post) } }));
          });
          return;
        }
        const response = await fetch(`${server.httpUrl}/api/publish`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': server.apiKey },
          body: JSON.stringify({
            channel: channelOf(room),
            data: peerEvent(room, post),
            idempotency_key: randomUUID(),
          }),
        });
        const text = await response.text();
        if (!response.ok) throw new Error(`publish: ${response.status} ${text}`);
        // The API answers 200 with an error object when it refuses a command.
        const [answer] = centrifugoReplies(text);
        if (answer?.error !== undefined) throw new Error(`publish: ${answer.error.code} ${answer.error.message}`);
      },
      stop: () => server.stop(),
    };
  },
};
