import { describe, expect, it } from 'vitest';
import { dialInLines, spacedNumber } from './dialIn.ts';

describe('dial-in lines of an invitation', () => {
  it('lists each number with its label and the PIN in groups of three, then #', () => {
    expect(
      dialInLines({
        available: true,
        numbers: [
          { number: '+442071230001', label: 'United Kingdom' },
          { number: '+14155550100', label: '' },
        ],
        pin: '123456789',
      }),
    ).toEqual(['', 'Join by phone', '+44 207 123 0001 (United Kingdom)', '+1 415 555 0100', 'PIN: 123 456 789 #']);
  });

  it('says nothing when the meeting cannot be called', () => {
    expect(dialInLines(null)).toEqual([]);
    expect(dialInLines({ available: false, numbers: [], pin: null })).toEqual([]);
  });

  it('keeps every digit of a number', () => {
    for (const n of ['+442071230001', '+14155550100', '+4930123456789']) {
      expect(spacedNumber(n).replace(/\D/g, '')).toBe(n.slice(1));
    }
  });
});
