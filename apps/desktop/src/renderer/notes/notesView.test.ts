import { describe, expect, it } from 'vitest';
import { clockOf, dayText, today } from './notesView.ts';

describe('notes view helpers', () => {
  it('reads moments as a clock', () => {
    expect(clockOf(0)).toBe('0:00');
    expect(clockOf(125_400)).toBe('2:05');
    expect(clockOf(3_725_000)).toBe('1:02:05');
  });

  it('names a due day the same whatever the zone', () => {
    expect(dayText('2026-12-04', 'en-GB')).toBe('Fri, 4 Dec 2026');
  });

  it("gives the machine's own date", () => {
    expect(today(new Date(2026, 11, 3, 23, 59))).toBe('2026-12-03');
  });
});
