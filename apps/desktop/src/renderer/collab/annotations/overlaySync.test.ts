import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { throttleLatest } from './overlaySync.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('throttleLatest (overlay scenes)', () => {
  it('sends the first value at once, then only the latest of each interval', () => {
    const sent: string[] = [];
    const throttle = throttleLatest((value: string) => sent.push(value), 50);
    throttle.push('a');
    throttle.push('b');
    throttle.push('c');
    expect(sent).toEqual(['a']);
    vi.advanceTimersByTime(50);
    expect(sent).toEqual(['a', 'c']);
    vi.advanceTimersByTime(200);
    expect(sent).toEqual(['a', 'c']);
  });

  it('sends at once again after a quiet interval', () => {
    const sent: string[] = [];
    const throttle = throttleLatest((value: string) => sent.push(value), 50);
    throttle.push('a');
    vi.advanceTimersByTime(120);
    throttle.push('b');
    expect(sent).toEqual(['a', 'b']);
  });

  it('sends nothing pending once stopped', () => {
    const sent: string[] = [];
    const throttle = throttleLatest((value: string) => sent.push(value), 50);
    throttle.push('a');
    throttle.push('b');
    throttle.stop();
    vi.advanceTimersByTime(200);
    expect(sent).toEqual(['a']);
  });
});
