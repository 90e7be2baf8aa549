import { describe, expect, it } from 'vitest';
import { fanoutFigures, peerBody, peerEvent, ratios, sentAtOf, timedBody, type FanoutRun } from './b2Driver.ts';

const run = (over: Partial<FanoutRun>): FanoutRun => ({
  target: 't',
  clients: 20,
  loadAverage1m: 1,
  warmUpLatencies: [],
  latencies: [],
  posts: [],
  sent: 0,
  reactions: 0,
  failed: 0,
  windowSeconds: 1,
  serverCpuSeconds: 0,
  instances: 1,
  supportCpuSeconds: 0,
  loadgenCpuSeconds: 0,
  serverRssBytes: 0,
  idleBytesPerConnection: 0,
  idleCores: 0,
  ...over,
});

describe('B2 load generator', () => {
  it('reads back the send time of a timed body, and nothing from any other', () => {
    expect(sentAtOf(timedBody(1764900000123.25))).toBe(1764900000123.25);
    expect(sentAtOf('thread root')).toBeUndefined();
    expect(sentAtOf('b2 soon')).toBeUndefined();
  });

  it("gives the peers' messages and replies a body, and reactions none", () => {
    const message = peerEvent(3, { kind: 'message', body: timedBody(5) });
    expect(message).toMatchObject({ type: 'message', conversationId: 'room-3', body: 'b2 5' });
    expect(peerBody(JSON.parse(JSON.stringify(message)))).toBe('b2 5');
    expect(peerEvent(3, { kind: 'reply', body: 'x' })).toMatchObject({ threadOf: 'room-3-root' });
    const reaction = peerEvent(3, { kind: 'reaction' });
    expect(reaction).toMatchObject({ type: 'react', emoji: '👍' });
    expect(peerBody(reaction)).toBeUndefined();
    expect(peerBody(null)).toBeUndefined();
    expect(peerBody({ type: 'message', body: 7 })).toBeUndefined();
  });

  it('pools the latencies of several runs and divides their summed CPU by their summed posts', () => {
    const f = fanoutFigures([
      run({
        warmUpLatencies: [40, 50],
        latencies: [1, 2, 3, 4],
        sent: 100,
        reactions: 20,
        serverCpuSeconds: 0.05,
        idleBytesPerConnection: 10 * 1024,
      }),
      run({
        latencies: [5, 6, 7, 8],
        sent: 300,
        reactions: 60,
        serverCpuSeconds: 0.15,
        idleBytesPerConnection: 20 * 1024,
      }),
    ]);
    expect(f['latency.p50']).toBe(4);
    expect(f['latency.p99']).toBe(8);
    // The warm-up's deliveries are reported apart, never in the measured figures.
    expect(f['warmUp.p99']).toBe(50);
    expect(f['serverCpuMsPerPost']).toBe(0.5);
    expect(f['deliveriesExpected']).toBe((80 + 240) * 20);
    expect(f['deliveriesReceived']).toBe(8);
    expect(f['idleKiBPerConnection']).toBe(15);
    expect(f['serverCpuPercent']).toBe(10);
  });

  it('averages what the servers kept per socket over the runs, and reports it only when every run measured it', () => {
    const kept = (bytes: number) => run({ idleRetainedBytesPerConnection: bytes });
    expect(fanoutFigures([kept(10 * 1024), kept(11.5 * 1024)])['idleRetainedKiBPerConnection']).toBe(10.8);
    // Centrifugo (Go) has no inspector to ask: RSS alone.
    expect(fanoutFigures([run({})])).not.toHaveProperty('idleRetainedKiBPerConnection');
    expect(fanoutFigures([kept(10 * 1024), run({})])).not.toHaveProperty('idleRetainedKiBPerConnection');
  });

  it("shares a cluster's CPU per instance and reports its stores' CPU apart; one instance has neither", () => {
    const f = fanoutFigures([run({ instances: 2, sent: 200, serverCpuSeconds: 0.6, supportCpuSeconds: 0.2 })]);
    expect(f['serverCpuMsPerPost']).toBe(3);
    expect(f['instanceCpuPercent']).toBe(30);
    expect(f['supportCpuMsPerPost']).toBe(1);
    const alone = fanoutFigures([run({ sent: 200, serverCpuSeconds: 0.6 })]);
    expect(alone).not.toHaveProperty('instanceCpuPercent');
    expect(alone).not.toHaveProperty('supportCpuMsPerPost');
  });

  it("puts Tandem's figures over a peer's", () => {
    const tandem = { 'latency.p50': 3, 'latency.p99': 12, serverCpuMsPerPost: 0.8 };
    const peer = { 'latency.p50': 2, 'latency.p99': 8, serverCpuMsPerPost: 0.25 };
    expect(ratios(tandem, peer)).toEqual({ p50: 1.5, p99: 1.5, cpuPerPost: 3.2 });
  });
});
