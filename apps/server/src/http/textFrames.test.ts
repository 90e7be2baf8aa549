import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import type { Writable } from 'node:stream';
import * as ws from 'ws';
import { WebSocket, WebSocketServer } from 'ws';
import { payloadOf, sendJson, textFrame, textFrameOf } from './textFrames.ts';

/** ws's own frame parser: exported by ws, not declared by its types. */
const { Receiver } = ws as unknown as { Receiver: new (options: { isServer: boolean }) => Writable };

/** What ws's own client-side parser reads from `bytes`: each message's text, or the error it refused them with. */
function decode(bytes: Buffer): { messages: string[]; error?: Error } {
  const receiver = new Receiver({ isServer: false });
  const messages: string[] = [];
  let error: Error | undefined;
  receiver.on('message', (data: Buffer, isBinary: boolean) => messages.push(isBinary ? '<binary>' : data.toString()));
  receiver.on('error', (e: Error) => {
    error = e;
  });
  receiver.write(bytes);
  return error === undefined ? { messages } : { messages, error };
}

describe('textFrame', () => {
  // Around each of the header's length forms (7, 16 and 64 bits), and text whose UTF-8 is longer than its characters.
  const texts = [0, 1, 125, 126, 127, 65_535, 65_536, 200_000].map((n) => 'x'.repeat(n));
  texts.push('é'.repeat(63), 'é'.repeat(64), '👍'.repeat(16_384));

  it.each(texts.map((t) => [Buffer.byteLength(t), t] as const))(
    '%i bytes are one text frame ws reads back',
    (_, text) => {
      const frame = textFrame(text);
      expect(decode(frame)).toEqual({ messages: [text] });
      expect(payloadOf(frame).toString()).toBe(text);
    },
  );

  it('frames follow one another on a stream', () => {
    const bytes = Buffer.concat([textFrame('one'), textFrame('x'.repeat(300)), textFrame('three')]);
    expect(decode(bytes)).toEqual({ messages: ['one', 'x'.repeat(300), 'three'] });
  });

  it('a message is framed once, however many sockets it goes to', () => {
    const message = { type: 'pong' };
    expect(textFrameOf(message)).toBe(textFrameOf(message));
    expect(textFrameOf({ type: 'pong' })).not.toBe(textFrameOf(message));
    expect(payloadOf(textFrameOf(message)).toString()).toBe('{"type":"pong"}');
  });
});

describe('sendJson on real sockets', () => {
  let server: WebSocketServer | undefined;
  afterEach(async () => {
    for (const client of server?.clients ?? []) client.terminate();
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
  });

  /** A server socket and the client connected to it, on loopback; the client records what it hears. */
  async function pair(perMessageDeflate = false) {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate });
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[WebSocket]>;
    const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const heard: string[] = [];
    client.on('message', (data: Buffer, isBinary) => heard.push(isBinary ? `<${data.length} bytes>` : data.toString()));
    client.on('ping', () => heard.push('<ping>'));
    await once(client, 'open');
    const [socket] = await accepted;
    return { socket, client, heard };
  }

  it("keeps its place among ws's own frames, and a message sent to a closing socket is dropped", async () => {
    const { socket, client, heard } = await pair();
    const big = { type: 'big', text: 'y'.repeat(70_000) };
    sendJson(socket, { type: 'first' });
    socket.send(Buffer.alloc(3));
    socket.ping();
    sendJson(socket, big);
    sendJson(socket, { type: 'last', text: 'ünïcödé' });
    socket.close(4001, 'done');
    sendJson(socket, { type: 'after close' });
    const [code] = (await once(client, 'close')) as [number];
    expect(code).toBe(4001);
    expect(heard).toEqual([
      '{"type":"first"}',
      '<3 bytes>',
      '<ping>',
      JSON.stringify(big),
      '{"type":"last","text":"ünïcödé"}',
    ]);
  });

  it("what waits in the TCP socket counts in the WebSocket's bufferedAmount (back-pressure reads it)", async () => {
    const { socket, client } = await pair();
    client.pause();
    const chunk = { type: 'chunk', text: 'z'.repeat(1 << 20) };
    for (let i = 0; i < 16 && socket.bufferedAmount === 0; i += 1) sendJson(socket, { ...chunk });
    expect(socket.bufferedAmount).toBeGreaterThan(0);
  });

  it("goes through ws's send on a socket that compresses (permessage-deflate), in order", async () => {
    const { socket, heard } = await pair(true);
    expect(socket.extensions).toContain('permessage-deflate');
    const big = { type: 'big', text: 'w'.repeat(70_000) };
    sendJson(socket, { type: 'first' });
    sendJson(socket, big);
    socket.send(Buffer.alloc(2));
    sendJson(socket, { type: 'last' });
    await expect.poll(() => heard).toEqual(['{"type":"first"}', JSON.stringify(big), '<2 bytes>', '{"type":"last"}']);
  });

  it("falls back to ws's send where the TCP socket is not where ws keeps it", async () => {
    const { socket, heard } = await pair();
    const elsewhere = Object.create(socket, { _socket: { value: undefined } }) as WebSocket;
    sendJson(elsewhere, { type: 'through ws' });
    sendJson(socket, { type: 'written directly' });
    await expect.poll(() => heard).toEqual(['{"type":"through ws"}', '{"type":"written directly"}']);
  });
});
