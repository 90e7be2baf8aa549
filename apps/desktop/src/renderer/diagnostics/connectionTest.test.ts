import type { ConnectionCheck, ConnectionProbe } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { runConnectionTest, waitingChecks, type CheckView, type ConnectionProbes } from './connectionTest.ts';

/** Probes answering as told; `order` records which ran and `closed` whether the room was left. */
function probes(answers: Partial<Record<ConnectionCheck, () => Promise<ConnectionProbe>>>) {
  const order: ConnectionCheck[] = [];
  const state = { closed: false };
  const make = (check: ConnectionCheck) => () => {
    order.push(check);
    return answers[check]?.() ?? Promise.resolve<ConnectionProbe>({ ok: true });
  };
  const all: ConnectionProbes = {
    server: make('server'),
    websocket: make('websocket'),
    livekit: make('livekit'),
    media: make('media'),
    camera: make('camera'),
    microphone: make('microphone'),
    close: async () => {
      state.closed = true;
    },
  };
  return { all, order, state };
}

/** A clock that moves 5 ms each time it is read. */
const ticking = () => {
  let t = 0;
  return () => (t += 5);
};

describe('the connection test runner', () => {
  it('runs every check in order, one at a time, showing each as running and then its result', async () => {
    const { all, order, state } = probes({ media: async () => ({ ok: true, detail: 'udp host' }) });
    const seen: (readonly CheckView[])[] = [];
    const results = await runConnectionTest(all, (views) => seen.push(views), { now: ticking() });
    expect(order).toEqual(['server', 'websocket', 'livekit', 'media', 'camera', 'microphone']);
    expect(results.every((r) => r.state === 'passed')).toBe(true);
    expect(results[3]).toEqual({ check: 'media', state: 'passed', ms: 5, detail: 'udp host' });
    expect(seen[0]?.map((v) => v.state)).toEqual(['running', 'waiting', 'waiting', 'waiting', 'waiting', 'waiting']);
    expect(seen[1]?.[0]).toMatchObject({ check: 'server', state: 'passed' });
    expect(seen.at(-1)).toEqual(results);
    expect(state.closed).toBe(true);
  });

  it('reports LiveKit unreachable and skips the media path, while the server, its WebSocket and the devices pass', async () => {
    const { all, order } = probes({ livekit: async () => ({ ok: false, reason: 'unreachable' }) });
    const results = await runConnectionTest(all, () => undefined, { now: ticking() });
    expect(results.map((r) => [r.check, r.state])).toEqual([
      ['server', 'passed'],
      ['websocket', 'passed'],
      ['livekit', 'failed'],
      ['media', 'skipped'],
      ['camera', 'passed'],
      ['microphone', 'passed'],
    ]);
    expect(results[2]).toMatchObject({ reason: 'unreachable' });
    expect(order).not.toContain('media');
  });

  it('skips LiveKit when the server is not reached (its token comes from there)', async () => {
    const { all } = probes({ server: async () => ({ ok: false, reason: 'not_signed_in' }) });
    const results = await runConnectionTest(all, () => undefined);
    expect(results.map((r) => r.state)).toEqual(['failed', 'passed', 'skipped', 'skipped', 'passed', 'passed']);
  });

  it('counts a probe that throws as unreachable and one that hangs as a timeout, and still leaves the room', async () => {
    const { all, state } = probes({
      websocket: () => Promise.reject(new Error('boom')),
      camera: () => new Promise(() => undefined),
    });
    const results = await runConnectionTest(all, () => undefined, { timeoutMs: 20 });
    expect(results[1]).toMatchObject({ state: 'failed', reason: 'unreachable' });
    expect(results[4]).toMatchObject({ state: 'failed', reason: 'timeout' });
    expect(results[5]).toMatchObject({ state: 'passed' });
    expect(state.closed).toBe(true);
  });

  it('starts with every check waiting', () => {
    expect(waitingChecks().every((v) => v.state === 'waiting')).toBe(true);
  });
});
