import { describe, expect, it } from 'vitest';
import { CodedError } from '../errors.ts';
import { createSocketCalls, type After } from './socketCalls.ts';
import { ClientMessageSchema, type ClientMessage } from './ws.ts';

const receipt = {
  conversationId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
  userId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c',
  seq: 4,
};
const input = { params: { conversationId: receipt.conversationId }, body: { seq: 4 } };

/** Timers run by hand: `fire()` runs those due. */
function manualTimers(): { after: After; fire: () => void } {
  const due = new Set<() => void>();
  return {
    after: (_ms, fn) => {
      due.add(fn);
      return () => due.delete(fn);
    },
    fire: () => {
      for (const fn of [...due]) {
        due.delete(fn);
        fn();
      }
    },
  };
}

/** A socket that keeps what it was sent; `open: false` takes nothing. */
function socket(open = true) {
  const sent: ClientMessage[] = [];
  return {
    sent,
    send: (m: ClientMessage) => {
      if (open) sent.push(ClientMessageSchema.parse(m));
      return open;
    },
  };
}

const viaHttp = () => Promise.resolve({ ...receipt, seq: 99 });

describe('createSocketCalls', () => {
  it('sends a call naming its route and parts, and answers with the route’s checked result', async () => {
    const s = socket();
    const calls = createSocketCalls(s.send, manualTimers().after);
    const answered = calls.call('markRead', input, viaHttp);
    expect(s.sent).toEqual([{ type: 'call', ref: '1', route: 'markRead', ...input }]);
    expect(calls.answer({ type: 'call.result', ref: '1', result: receipt })).toBe(true);
    await expect(answered).resolves.toEqual(receipt);
    // Not a call's answer: left for the caller's own handling.
    expect(calls.answer({ type: 'pong' })).toBe(false);
  });

  it('goes over HTTP when there is no socket to send on', async () => {
    const calls = createSocketCalls(socket(false).send, manualTimers().after);
    await expect(calls.call('markRead', input, viaHttp)).resolves.toMatchObject({ seq: 99 });
  });

  it('makes a call again over HTTP when its socket is lost or stays silent before the answer', async () => {
    const timers = manualTimers();
    const calls = createSocketCalls(socket().send, timers.after);
    const lost = calls.call('markRead', input, viaHttp);
    calls.lost();
    await expect(lost).resolves.toMatchObject({ seq: 99 });
    const silent = calls.call('markRead', input, viaHttp);
    timers.fire();
    await expect(silent).resolves.toMatchObject({ seq: 99 });
    // A late answer to a call already made over HTTP is consumed and changes nothing.
    expect(calls.answer({ type: 'call.result', ref: '2', result: receipt })).toBe(true);
  });

  it('rejects with the server’s code and issues; an answer of the wrong shape is internal', async () => {
    const calls = createSocketCalls(socket().send, manualTimers().after);
    const refused = calls.call('markRead', input, viaHttp);
    calls.answer({
      type: 'call.error',
      ref: '1',
      error: { code: 'bad_request', message: 'invalid body', issues: [{ path: 'seq', message: 'too small' }] },
    });
    await expect(refused).rejects.toEqual(
      new CodedError('bad_request', 'invalid body', { issues: [{ path: 'seq', message: 'too small' }] }),
    );
    await expect(refused).rejects.toMatchObject({ code: 'bad_request', issues: [{ path: 'seq' }] });
    const odd = calls.call('markRead', input, viaHttp);
    calls.answer({ type: 'call.result', ref: '2', result: { seq: 'four' } });
    await expect(odd).rejects.toMatchObject({ code: 'internal' });
  });
});
