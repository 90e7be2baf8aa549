import { describe, expect, it } from 'vitest';
import { durationText, niceMax, percent, weekLabel } from './chart.ts';

describe('chart helpers', () => {
  it('round an axis up to a readable top', () => {
    expect(niceMax(0)).toBe(1);
    expect(niceMax(3)).toBe(5);
    expect(niceMax(7.2)).toBe(10);
    expect(niceMax(18)).toBe(20);
    expect(niceMax(0.4)).toBe(0.5);
    expect(niceMax(230)).toBe(250);
  });

  it('say durations and shares as people do', () => {
    expect(durationText(45_000)).toBe('45 s');
    expect(durationText(12 * 60_000)).toBe('12 min');
    expect(durationText(65 * 60_000)).toBe('1 h 05 min');
    expect(percent(0.667)).toBe('67 %');
    expect(weekLabel('2026-11-30', 'en-GB')).toBe('30 Nov');
  });
});
