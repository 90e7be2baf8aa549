import { afterEach, describe, expect, it, vi } from 'vitest';
import { prepareKnock } from './prepareKnock.ts';

describe('prepareKnock', () => {
  const idle: (() => void)[] = [];
  afterEach(() => {
    idle.length = 0;
    vi.unstubAllGlobals();
  });
  const stubIdle = () => {
    vi.stubGlobal('requestIdleCallback', (run: () => void) => idle.push(run));
    vi.stubGlobal('cancelIdleCallback', (id: number) => idle.splice(id - 1, 1, () => undefined));
  };

  it('builds one group of contracts per idle moment, then asks for no more', () => {
    stubIdle();
    prepareKnock();
    for (let i = 0; i < 3; i += 1) {
      expect(idle).toHaveLength(i + 1);
      idle[i]?.();
    }
    // The last group asked for one more moment and found nothing left to build.
    expect(idle).toHaveLength(4);
    idle[3]?.();
    expect(idle).toHaveLength(4);
  });

  it('stops when the form goes away', () => {
    stubIdle();
    const stop = prepareKnock();
    idle[0]?.();
    stop();
    idle[1]?.();
    expect(idle).toHaveLength(2);
  });
});
