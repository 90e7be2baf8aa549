import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sipConfig, startSip, type RunningSip } from './sip.ts';
import { answeringAgent, dialIn } from './sipAgent.ts';

describe('startSip (real Redis, livekit-server and livekit-sip on loopback; sipp as the phone)', () => {
  let sip: RunningSip;
  let dir: string;
  let client: SipClient;
  let rooms: RoomServiceClient;

  beforeAll(async () => {
    sip = await startSip();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-sip-test-'));
    client = new SipClient(sip.livekit.httpUrl, sip.livekit.apiKey, sip.livekit.apiSecret);
    rooms = new RoomServiceClient(sip.livekit.httpUrl, sip.livekit.apiKey, sip.livekit.apiSecret);
  });

  afterAll(async () => {
    await sip.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('puts a caller that dials in into a room of its own, with the number it called from', async () => {
    const trunk = await client.createSipInboundTrunk('devstack', [], { allowedAddresses: ['127.0.0.1/32'] });
    await client.createSipDispatchRule(
      { type: 'individual', roomPrefix: 'devstack-' },
      { trunkIds: [trunk.sipTrunkId] },
    );
    const call = await dialIn({
      sipPort: sip.sipPort,
      from: '+441234567890',
      to: '+15550100',
      script: [{ silenceMs: 200 }],
      hangUpAfterMs: 500,
      dir,
    });
    try {
      await expect
        .poll(
          async () => {
            const room = (await rooms.listRooms()).find((r) => r.name.startsWith('devstack-'));
            if (room === undefined) return undefined;
            return (await rooms.listParticipants(room.name)).map((p) => p.attributes['sip.phoneNumber']);
          },
          { timeout: 10_000 },
        )
        .toEqual(['+441234567890']);
    } finally {
      await call.stop();
    }
  });

  it('dials out to a SIP agent, which answers and receives exactly the keypad tones asked for', async () => {
    const callee = await answeringAgent(dir);
    try {
      const trunk = await client.createSipOutboundTrunk('devstack-out', callee.address, ['+15550100']);
      await client.createSipParticipant(trunk.sipTrunkId, '+15550199', 'devstack-out', {
        participantIdentity: 'callee',
        dtmf: 'ww12*#',
        waitUntilAnswered: true,
      });
      await expect.poll(() => callee.heard.digits(), { timeout: 10_000 }).toBe('12*#');
      await rooms.removeParticipant('devstack-out', 'callee');
      expect(await callee.done).toBe(0);
    } finally {
      await callee.stop();
    }
  });

  it('tells livekit-sip its own loopback addresses, so it never looks for the machine’s external one', () => {
    const yaml = sipConfig({
      livekit: { wsUrl: 'ws://127.0.0.1:1', apiKey: 'k', apiSecret: 's' },
      redisAddress: '127.0.0.1:2',
      sipPort: 5060,
      rtpStart: 20_000,
    });
    expect(yaml).toContain('nat_1_to_1_ip: 127.0.0.1');
    expect(yaml).toContain('listen_ip: 127.0.0.1');
    expect(yaml).not.toMatch(/use_external_ip: true/);
  });
});
