import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { livekitConfig, startLivekit } from './livekit.ts';

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

describe('livekitConfig', () => {
  it('lets a subscriber have a keyframe of any layer within 300 ms of someone else’s request', () => {
    const yaml = livekitConfig({ port: 7880, tcpPort: 7881, udpPort: 7882 });
    const throttle = yaml.slice(yaml.indexOf('  pli_throttle:\n'));
    const windows = [...throttle.matchAll(/^ {4}(low|mid|high)_quality: (\d+)ms$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(windows.map(([layer]) => layer)).toEqual(['low', 'mid', 'high']);
    for (const [, ms] of windows) expect(ms).toBeLessThanOrEqual(300);
  });

  it('asks the node holding a room who is in it, not Redis’s copy, when told to (a cluster’s nodes)', () => {
    const ports = { port: 7880, tcpPort: 7881, udpPort: 7882 };
    const redisAddress = '127.0.0.1:6379';
    expect(livekitConfig(ports, { redisAddress, participantsFromRoomNode: true })).toMatch(
      /^api:\n {2}enable_psrpc_for_get_list_participants: true$/m,
    );
    expect(livekitConfig(ports, { redisAddress })).not.toContain('enable_psrpc_for_get_list_participants');
  });
});
