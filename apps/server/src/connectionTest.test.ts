import { dispose, Room } from '@livekit/rtc-node';
import type { AuthSession } from '@tandem/shared';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { signUp, startTestServer, type TestServer } from './testSupport.ts';

const livekit = inject('livekit');

/** The JWT's claims, as LiveKit reads them (the signature is LiveKit's to check, below). */
const claims = (jwt: string) =>
  JSON.parse(Buffer.from(jwt.split('.')[1] ?? '', 'base64url').toString('utf8')) as {
    sub: string;
    video: { room: string; roomJoin: boolean; canPublish: boolean; canPublishData: boolean };
  };

describe('connection test token', () => {
  let server: TestServer;
  let ada: AuthSession;

  beforeAll(async () => {
    server = await startTestServer(livekit);
    ada = await signUp(server.api, 'ada');
  });
  afterAll(async () => {
    await server?.close();
    await dispose();
  });

  it('needs a signed-in caller', async () => {
    expect(await server.api.call('connectionTestToken', {})).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthenticated' } },
    });
  });

  it('mints a subscribe-only token for a room of its own each time, which livekit-server admits', async () => {
    const first = await server.api.ok('connectionTestToken', { token: ada.tokens.accessToken });
    const second = await server.api.ok('connectionTestToken', { token: ada.tokens.accessToken });
    expect(first.livekitUrl).toBe(livekit.wsUrl);
    const grant = claims(first.token).video;
    expect(claims(first.token).sub).toBe(ada.user.id);
    expect(grant).toMatchObject({ roomJoin: true, canPublish: false, canPublishData: false });
    expect(grant.room).toMatch(/^connection-test-/);
    expect(claims(second.token).video.room).not.toBe(grant.room);

    const room = new Room();
    await room.connect(first.livekitUrl, first.token, { autoSubscribe: false, dynacast: false });
    try {
      const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
      const [me] = await rooms.listParticipants(grant.room);
      expect(me?.identity).toBe(ada.user.id);
      expect(me?.permission?.canPublish).toBe(false);
    } finally {
      await room.disconnect();
    }
  });
});
