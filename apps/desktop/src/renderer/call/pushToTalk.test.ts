import { describe, expect, it } from 'vitest';
import { createPushToTalk, type KeyLike } from './pushToTalk.ts';

const space: KeyLike = {
  code: 'Space',
  repeat: false,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  typing: false,
};

/** A microphone whose every change is recorded. */
function microphone(initially: boolean, code?: string) {
  const state = { on: initially, changes: [] as boolean[], errors: [] as unknown[] };
  const ptt = createPushToTalk(
    {
      enabled: () => state.on,
      set: async (on) => {
        state.on = on;
        state.changes.push(on);
      },
      onError: (e) => state.errors.push(e),
    },
    code,
  );
  return { ptt, state };
}

describe('push to talk (in the window)', () => {
  it('unmutes while Space is held and mutes on release; the key’s repeats change nothing', () => {
    const { ptt, state } = microphone(false);
    expect(ptt.down(space)).toBe(true);
    expect(state.on).toBe(true);
    ptt.down({ ...space, repeat: true });
    ptt.down({ ...space, repeat: true });
    expect(ptt.up(space)).toBe(true);
    expect(state.changes).toEqual([true, false]);
  });

  it('leaves a microphone that was already on alone', () => {
    const { ptt, state } = microphone(true);
    ptt.down(space);
    ptt.up(space);
    expect(state.changes).toEqual([]);
    expect(state.on).toBe(true);
  });

  it('ignores typing, other keys and Space with a modifier', () => {
    const { ptt, state } = microphone(false);
    expect(ptt.down({ ...space, typing: true })).toBe(false);
    expect(ptt.down({ ...space, code: 'KeyM' })).toBe(false);
    expect(ptt.down({ ...space, ctrlKey: true })).toBe(false);
    expect(ptt.up({ ...space, shiftKey: true })).toBe(false);
    expect(state.changes).toEqual([]);
  });

  it('listens for the key Settings chose instead of Space', () => {
    const { ptt, state } = microphone(false, 'F8');
    expect(ptt.down(space)).toBe(false);
    expect(ptt.down({ ...space, code: 'F8' })).toBe(true);
    expect(ptt.up({ ...space, code: 'F8' })).toBe(true);
    expect(state.changes).toEqual([true, false]);
  });

  it('mutes when the window loses the focus while Space is held (the release never comes)', () => {
    const { ptt, state } = microphone(false);
    ptt.down(space);
    ptt.release();
    ptt.up(space);
    expect(state.changes).toEqual([true, false]);
  });

  it('reports a microphone that fails to start', async () => {
    const failing = new Error('NotReadableError');
    const errors: unknown[] = [];
    const ptt = createPushToTalk({
      enabled: () => false,
      set: () => Promise.reject(failing),
      onError: (e) => errors.push(e),
    });
    ptt.down(space);
    await Promise.resolve();
    expect(errors).toEqual([failing]);
  });
});
