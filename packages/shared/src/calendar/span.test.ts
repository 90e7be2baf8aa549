import { describe, expect, it } from 'vitest';
import { formatSpan, formatWhen, meetingWhen } from './span.ts';

const NOW = new Date(2026, 10, 26, 14, 10);
const time = (d: Date) => new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' }).format(d);

describe('formatSpan', () => {
  it('names today and tomorrow, and shows the end time on the same day', () => {
    const [three, half, nine] = [
      new Date(2026, 10, 26, 15, 0),
      new Date(2026, 10, 26, 15, 30),
      new Date(2026, 10, 27, 9),
    ];
    expect(formatSpan(three, half, NOW)).toBe(`Today, ${time(three)}–${time(half)}`);
    expect(formatSpan(nine, null, NOW)).toBe(`Tomorrow, ${time(nine)}`);
    const later = formatSpan(new Date(2026, 11, 3, 9, 0), new Date(2026, 11, 3, 10, 0), NOW);
    expect(later).toMatch(/3/);
    expect(later).not.toMatch(/Today|Tomorrow/);
  });
});

describe('meetingWhen', () => {
  it('says "Any time" without a schedule, else the span', () => {
    expect(meetingWhen({ startsAt: null, endsAt: null }, NOW)).toBe('Any time');
    const start = new Date(2026, 10, 27, 10, 0);
    const end = new Date(2026, 10, 27, 10, 45);
    expect(meetingWhen({ startsAt: start.toISOString(), endsAt: end.toISOString() }, NOW)).toBe(
      `Tomorrow, ${time(start)}–${time(end)}`,
    );
  });
});

describe('formatWhen', () => {
  it('shows only the time for today and the day for other days', () => {
    const now = new Date(2026, 10, 26, 15, 0);
    expect(formatWhen(new Date(2026, 10, 26, 9, 5), now)).not.toMatch(/Nov/);
    expect(formatWhen(new Date(2026, 10, 24, 9, 5), now)).toMatch(/24/);
  });
});
