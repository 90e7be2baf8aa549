import dgram from 'node:dgram';
import fs from 'node:fs';
import path from 'node:path';
import { AccessToken, RoomServiceClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { livekitConfig, RELAY_PORTS, startLivekit, startLivekitOn, type LivekitPorts } from './livekit.ts';
import { logsDir } from './paths.ts';
import { freeTcpPort, freeUdpPort } from './ports.ts';

/** Binds a UDP socket on 127.0.0.1:port, or says why it could not. */
function bindUdp(port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

const closeUdp = (socket: dgram.Socket) => new Promise<void>((resolve) => socket.close(() => resolve()));

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

  it('starts again on new ports when its TURN port was taken in the meantime, and holds the new one', async () => {
    const held = await bindUdp(await freeUdpPort());
    const chosen: LivekitPorts[] = [];
    const choose = async (): Promise<LivekitPorts> => {
      const ports = {
        port: await freeTcpPort(),
        tcpPort: await freeTcpPort(),
        udpPort: await freeUdpPort(),
        turnUdpPort: chosen.length === 0 ? held.address().port : await freeUdpPort(),
        relayPortStart: 40_000,
      };
      chosen.push(ports);
      return ports;
    };
    const livekit = await startLivekitOn(choose).finally(() => closeUdp(held));
    try {
      expect(chosen).toHaveLength(2);
      const [first, second] = chosen;
      expect(fs.readFileSync(path.join(logsDir, `livekit-${first?.port}.log`), 'utf8')).toMatch(
        /could not listen on TURN UDP port.*address already in use/,
      );
      expect(livekit.httpUrl).toBe(`http://127.0.0.1:${second?.port}`);
      await expect(bindUdp(second?.turnUdpPort ?? 0)).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      await livekit.stop();
    }
  });
});

describe('livekitConfig', () => {
  const PORTS: LivekitPorts = { port: 7880, tcpPort: 7881, udpPort: 7882, turnUdpPort: 3478, relayPortStart: 50_000 };

  it('offers its own TURN server over UDP on loopback, relaying from its range to this server only', () => {
    const yaml = livekitConfig(PORTS);
    const turn = /^turn:\n((?: {2}.*\n)+)/m.exec(`${yaml}\n`)?.[1];
    expect(turn?.split('\n').filter((line) => line !== '')).toEqual([
      '  enabled: true',
      '  bind_addresses: ["127.0.0.1"]',
      '  udp_port: 3478',
      '  relay_range_start: 50000',
      `  relay_range_end: ${50_000 + RELAY_PORTS - 1}`,
      '  allow_restricted_peer_cidrs: ["127.0.0.1/32"]',
    ]);
    expect(yaml).not.toContain('tls_port');
  });

  it('lets a subscriber have a keyframe of any layer within 300 ms of someone else’s request', () => {
    const yaml = livekitConfig(PORTS);
    const throttle = yaml.slice(yaml.indexOf('  pli_throttle:\n'));
    const windows = [...throttle.matchAll(/^ {4}(low|mid|high)_quality: (\d+)ms$/gm)].map((m) => [m[1], Number(m[2])]);
    expect(windows.map(([layer]) => layer)).toEqual(['low', 'mid', 'high']);
    for (const [, ms] of windows) expect(ms).toBeLessThanOrEqual(300);
  });

  it('asks the node holding a room who is in it, not Redis’s copy, when told to (a cluster’s nodes)', () => {
    const redisAddress = '127.0.0.1:6379';
    expect(livekitConfig(PORTS, { redisAddress, participantsFromRoomNode: true })).toMatch(
      /^api:\n {2}enable_psrpc_for_get_list_participants: true$/m,
    );
    expect(livekitConfig(PORTS, { redisAddress })).not.toContain('enable_psrpc_for_get_list_participants');
  });
});
