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
    relay: make('relay'),
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
    const { all, order, state } = probes({
      media: async () => ({ ok: true, detail: 'udp host' }),
      relay: async () => ({ ok: true, detail: 'udp' }),
    });
    const seen: (readonly CheckView[])[] = [];
    const results = await runConnectionTest(all, (views) => seen.push(views), { now: ticking() });
    expect(order).toEqual(['server', 'websocket', 'livekit', 'media', 'relay', 'camera', 'microphone']);
    expect(results.every((r) => r.state === 'passed')).toBe(true);
    expect(results[3]).toEqual({ check: 'media', state: 'passed', ms: 5, detail: 'udp host' });
    expect(results[4]).toEqual({ check: 'relay', state: 'passed', ms: 5, detail: 'udp' });
    expect(seen[0]?.map((v) => v.state)).toEqual([
      'running',
      'waiting',
      'waiting',
      'waiting',
      'waiting',
      'waiting',
      'waiting',
    ]);
    expect(seen[1]?.[0]).toMatchObject({ check: 'server', state: 'passed' });
    expect(seen.at(-1)).toEqual(results);
    expect(state.closed).toBe(true);
  });

  it('reports LiveKit unreachable and skips the media path and the relay, while the server, its WebSocket and the devices pass', async () => {
    const { all, order } = probes({ livekit: async () => ({ ok: false, reason: 'unreachable' }) });
    const results = await runConnectionTest(all, () => undefined, { now: ticking() });
    expect(results.map((r) => [r.check, r.state])).toEqual([
      ['server', 'passed'],
      ['websocket', 'passed'],
      ['livekit', 'failed'],
      ['media', 'skipped'],
      ['relay', 'skipped'],
      ['camera', 'passed'],
      ['microphone', 'passed'],
    ]);
    expect(results[2]).toMatchObject({ reason: 'unreachable' });
    expect(order).not.toContain('media');
    expect(order).not.toContain('relay');
  });

  it('still tries the relay when the direct media path failed (what a blocked network looks like)', async () => {
    const { all, order } = probes({
      media: async () => ({ ok: false, reason: 'no_media_path' }),
      relay: async () => ({ ok: false, reason: 'relay_not_offered' }),
    });
    const results = await runConnectionTest(all, () => undefined, { now: ticking() });
    expect(order).toContain('relay');
    expect(results.slice(3, 5)).toEqual([
      { check: 'media', state: 'failed', ms: 5, reason: 'no_media_path' },
      { check: 'relay', state: 'failed', ms: 5, reason: 'relay_not_offered' },
    ]);
  });

  it('skips LiveKit when the server is not reached (its token comes from there)', async () => {
    const { all } = probes({ server: async () => ({ ok: false, reason: 'not_signed_in' }) });
    const results = await runConnectionTest(all, () => undefined);
    expect(results.map((r) => r.state)).toEqual([
      'failed',
      'passed',
      'skipped',
      'skipped',
      'skipped',
      'passed',
      'passed',
    ]);
  });

  it('counts a probe that throws as unreachable and one that hangs as a timeout, and still leaves the room', async () => {
    const { all, state } = probes({
      websocket: () => Promise.reject(new Error('boom')),
      camera: () => new Promise(() => undefined),
    });
    const results = await runConnectionTest(all, () => undefined, { timeoutMs: 20 });
    expect(results[1]).toMatchObject({ state: 'failed', reason: 'unreachable' });
    expect(results[5]).toMatchObject({ state: 'failed', reason: 'timeout' });
    expect(results[6]).toMatchObject({ state: 'passed' });
    expect(state.closed).toBe(true);
  });

  it('starts with every check waiting', () => {
    expect(waitingChecks().every((v) => v.state === 'waiting')).toBe(true);
  });
});
