import { describe, expect, it } from 'vitest';
import { judge } from './benchmark.ts';
import { percentile, summarise } from './stats.ts';

describe('bench statistics', () => {
  it('takes nearest-rank percentiles', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(xs, 50)).toBe(50);
    expect(percentile(xs, 95)).toBe(95);
    expect(percentile([7], 99)).toBe(7);
    expect(summarise([]).n).toBe(0);
  });

  it('judges goals, a missing figure as missed', () => {
    const verdicts = judge(
      [
        { figure: 'a', below: 10, unit: 'ms' },
        { figure: 'b', atLeast: 5, unit: '/s' },
        { figure: 'c', below: 1, unit: 'ms' },
        { figure: 'd', atMost: 1, unit: '' },
        { figure: 'e', atMost: 1, unit: '' },
      ],
      { a: 9.9, b: 4, d: 1, e: 1.01 },
    );
    expect(verdicts.map((v) => v.met)).toEqual([true, false, false, true, false]);
  });
});
