import { createHmac } from 'node:crypto';
import type { ServerMessage } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { centrifugoReplies, hs256Jwt, isPing } from './b2Centrifugo.ts';
import { timedBody } from './b2Driver.ts';
import { floorFrame, floorTarget } from './b2Floor.ts';
import { tandemBody } from './b2Tandem.ts';

describe('B2 targets', () => {
  it("signs a Centrifugo connection JWT with HS256 (jwt.io's example token)", () => {
    const token = hs256Jwt({ sub: '1234567890', name: 'John Doe', iat: 1516239022 }, 'your-256-bit-secret');
    expect(token).toBe(
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    );
    const [header, claims, signature] = hs256Jwt({ sub: 'room-1-person-0', exp: 2 }, 'k').split('.');
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toEqual({ sub: 'room-1-person-0', exp: 2 });
    expect(signature).toBe(createHmac('sha256', 'k').update(`${header}.${claims}`).digest('base64url'));
  });

  it("splits a Centrifugo frame into its replies and finds the server's ping", () => {
    const frame = [
      '{"id":1,"connect":{"client":"c","version":"6.9.1","ping":25,"pong":true}}',
      '{"push":{"channel":"room:0","pub":{"data":{"type":"message","body":"b2 9"},"offset":4}}}',
      '{}',
      '',
    ].join('\n');
    const replies = centrifugoReplies(frame);
    expect(replies).toHaveLength(3);
    expect(replies[0]?.id).toBe(1);
    expect(replies[1]?.push?.pub?.data).toEqual({ type: 'message', body: 'b2 9' });
    expect(replies.map(isPing)).toEqual([false, false, true]);
    expect(centrifugoReplies('{"id":2,"error":{"code":103,"message":"permission denied"}}')[0]?.error?.code).toBe(103);
    expect(() => centrifugoReplies('[1]')).toThrow(/not a Centrifugo reply/);
  });

  it("reads the body of Tandem's message events only", () => {
    const base = { conversationId: 'c', seq: 1, clientId: 'a', messageId: 'a', authorId: 'u', createdAt: 't' };
    const message = { type: 'chat.event', offset: 1, event: { ...base, type: 'message', body: 'b2 1' } };
    const reaction = { type: 'chat.event', offset: 2, event: { ...base, type: 'react', emoji: '👍' } };
    expect(tandemBody(message as ServerMessage)).toBe('b2 1');
    expect(tandemBody(reaction as ServerMessage)).toBeUndefined();
    expect(tandemBody({ type: 'ready', userId: 'u', organisationId: 'o' } as ServerMessage)).toBeUndefined();
  });

  it("reads the floor's frames", () => {
    expect(floorFrame('{"type":"chat.event","event":{"type":"message","body":"b2 1"}}')).toEqual({
      event: { type: 'message', body: 'b2 1' },
    });
    expect(floorFrame('{"type":"posted","ref":3,"delivered":20}')).toEqual({ posted: 3 });
    expect(floorFrame('{"type":"other","event":{"type":"message","body":"b2 1"}}')).toEqual({});
  });

  for (const postOn of ['http', 'socket'] as const) {
    it(`the floor server relays a post (${postOn}) to the sockets of its room only (a real process)`, async () => {
      const server = await floorTarget.start(2, postOn);
      const sockets: WebSocket[] = [];
      try {
        const got: string[][] = [[], [], []];
        for (const [i, room] of [0, 0, 1].entries())
          sockets.push(await server.connect(room, i === 2 ? 0 : i, (body) => got[i]?.push(body)));
        await server.post(0, { kind: 'message', body: timedBody(1) });
        await server.post(0, { kind: 'reaction' });
        await server.post(1, { kind: 'reply', body: timedBody(2) });
        await expect.poll(() => got).toEqual([['b2 1'], ['b2 1'], ['b2 2']]);
      } finally {
        for (const s of sockets) s.terminate();
        await server.stop();
      }
    });
  }
});
