import { describe, expect, it } from 'vitest';
import { formatWhen, initialsOf } from './format.ts';

describe('initialsOf', () => {
  it('takes the first and last word', () => {
    expect(initialsOf('Ada  King Lovelace')).toBe('AL');
    expect(initialsOf('bob')).toBe('B');
    expect(initialsOf('  ')).toBe('');
  });
});

describe('formatWhen', () => {
  it('shows only the time for today and the day for other days', () => {
    const now = new Date(2026, 10, 26, 15, 0);
    expect(formatWhen(new Date(2026, 10, 26, 9, 5), now)).not.toMatch(/Nov/);
    expect(formatWhen(new Date(2026, 10, 24, 9, 5), now)).toMatch(/24/);
  });
});
