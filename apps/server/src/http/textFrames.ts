import { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/** RFC 6455 §5.2: FIN set, opcode 1 (text). A server's frames are never masked. */
const FIN_TEXT = 0x81;
/** Payload lengths up to this fit the header's 7 bits; 126 and 127 announce 16 and 64 bits after them. */
const SHORT_LENGTH = 125;
const LENGTH_16 = 126;
const LENGTH_64 = 127;

/** How many bytes the header of a payload of `length` bytes takes. */
const headerBytes = (length: number): number => (length <= SHORT_LENGTH ? 2 : length < 0x1_0000 ? 4 : 10);

/** `json` as one whole WebSocket text frame (header and UTF-8 payload in one buffer), as a server sends it. */
export function textFrame(json: string): Buffer {
  const length = Buffer.byteLength(json);
  const header = headerBytes(length);
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = FIN_TEXT;
  if (header === 2) frame[1] = length;
  else if (header === 4) {
    frame[1] = LENGTH_16;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = LENGTH_64;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  frame.write(json, header, 'utf8');
  return frame;
}

/** A frame's payload (textFrame's `json`, encoded). */
export function payloadOf(frame: Buffer): Buffer {
  const length = frame[1];
  return frame.subarray(length === LENGTH_64 ? 10 : length === LENGTH_16 ? 4 : 2);
}

const framed = new WeakMap<object, Buffer>();
/**
 * `message`'s frame, built once however many sockets it goes to: fan-out hands the same message
 * object to every recipient, so only the first one serialises and frames it.
 */
export function textFrameOf(message: object): Buffer {
  let frame = framed.get(message);
  if (frame === undefined) {
    frame = textFrame(JSON.stringify(message));
    framed.set(message, frame);
  }
  return frame;
}

const direct = new WeakMap<WebSocket, Socket | null>();
/**
 * The TCP socket under a `ws` WebSocket that frames may be written to directly, or null: one with
 * an extension negotiated (`ws` may queue its frames while it compresses), or where the TCP socket
 * is not where `ws` keeps it (`_socket`, which its types do not declare: another version of `ws`).
 * Both are settled by the handshake, so it is judged once per socket.
 */
function directSocketOf(socket: WebSocket): Socket | null {
  let tcp = direct.get(socket);
  if (tcp === undefined) {
    const raw: unknown = Reflect.get(socket, '_socket');
    tcp = socket.extensions === '' && raw instanceof Socket ? raw : null;
    direct.set(socket, tcp);
  }
  return tcp;
}

/**
 * Sends `message` as JSON on an open socket (a closing or closed one is skipped), written as one
 * pre-built frame straight to its TCP socket: a chat event reaches many sockets, and `ws` would
 * build each one's header and write header and payload through the stream's cork, `writev` path
 * (about 7 % of the server's CPU in B2). This keeps the order of everything on the socket: with
 * no extension negotiated (the server offers none: no permessage-deflate) and never sending
 * Blobs, `ws` writes its own frames (pings, pongs, closes, binary messages) to the TCP socket at
 * once too, never queued; and `bufferedAmount` counts what waits in the TCP socket, so
 * back-pressure reads it as before. Any other socket goes through `ws`'s own `send`
 * (`directSocketOf`).
 */
export function sendJson(socket: WebSocket, message: object): void {
  if (socket.readyState !== socket.OPEN) return;
  const frame = textFrameOf(message);
  const tcp = directSocketOf(socket);
  if (tcp === null) socket.send(payloadOf(frame), { binary: false });
  else tcp.write(frame);
}
