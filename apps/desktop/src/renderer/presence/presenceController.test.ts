import { PRESENCE_WATCH_LIMIT, type Presence, type TandemClient } from '@tandem/shared';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPresenceController, WATCH_BATCH_MS } from './presenceController.ts';

/** The client as the controller uses it: what it was asked to watch, each time. */
function client() {
  const sent: string[][] = [];
  const fake: Pick<TandemClient, 'presenceList' | 'presenceSet' | 'presenceWatch' | 'onPresenceChanged'> = {
    presenceList: async () => ({ presence: [] }),
    presenceSet: async () => {
      throw new Error('not here');
    },
    presenceWatch: async ({ userIds }) => {
      sent.push([...userIds]);
      return {};
    },
    onPresenceChanged: (_listener: (payload: { presence: Presence[] }) => void) => () => undefined,
  };
  return { sent, fake };
}

describe('the presence controller watches whom the screen shows', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('counts interest per person and sends the set once per batch, only when it changed', () => {
    const { sent, fake } = client();
    const controller = createPresenceController(fake);
    const ada1 = controller.watch('ada');
    const ada2 = controller.watch('ada');
    const grace = controller.watch('grace');
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(WATCH_BATCH_MS);
    expect(sent).toEqual([['ada', 'grace']]);

    // One of two dots of Ada goes: she is still shown.
    ada1();
    ada1();
    vi.advanceTimersByTime(WATCH_BATCH_MS);
    expect(sent).toHaveLength(1);
    // Grace goes and comes back within a batch (a list re-rendered): nothing to tell.
    grace();
    const graceAgain = controller.watch('grace');
    vi.advanceTimersByTime(WATCH_BATCH_MS);
    expect(sent).toHaveLength(1);
    ada2();
    vi.advanceTimersByTime(WATCH_BATCH_MS);
    expect(sent).toEqual([['ada', 'grace'], ['grace']]);
    graceAgain();
    vi.advanceTimersByTime(WATCH_BATCH_MS);
    expect(sent.at(-1)).toEqual([]);
  });

  it('watches those shown last when more are shown than one may watch', () => {
    const { sent, fake } = client();
    const controller = createPresenceController(fake);
    for (let i = 0; i < PRESENCE_WATCH_LIMIT + 5; i += 1) controller.watch(`p${i}`);
    vi.advanceTimersByTime(WATCH_BATCH_MS);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toHaveLength(PRESENCE_WATCH_LIMIT);
    expect(sent[0]?.[0]).toBe('p5');
  });
});
