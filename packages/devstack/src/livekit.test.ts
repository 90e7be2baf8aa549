import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { startLivekit } from './livekit.ts';

describe('startLivekit (real livekit-server on loopback)', () => {
  it('answers the server API with the project keys and is gone after stop', async () => {
    const livekit = await startLivekit();
    try {
      expect(livekit.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
      const rooms = new RoomServiceClient(livekit.httpUrl, livekit.apiKey, livekit.apiSecret);
      await rooms.createRoom({ name: 'devstack-probe' });
      expect((await rooms.listRooms()).map((r) => r.name)).toContain('devstack-probe');
      const token = await new AccessToken(livekit.apiKey, livekit.apiSecret, { identity: 'probe' }).toJwt();
      expect(token.split('.')).toHaveLength(3);
    } finally {
      await livekit.stop();
    }
    await expect(fetch(livekit.httpUrl)).rejects.toThrow();
  });
});
