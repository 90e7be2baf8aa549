import { describe, expect, it } from 'vitest';
import { DialOutRequestSchema, formatPin, maskPhoneNumber } from './phone.ts';

describe('phone numbers as others see them', () => {
  it('keeps the country code and the last four digits', () => {
    expect(maskPhoneNumber('+441632961234')).toBe('+44 •••• ••12 34');
    expect(maskPhoneNumber('+14155550123')).toBe('+1 •••• ••01 23');
    expect(maskPhoneNumber('anonymous')).toBe('•••• mous');
  });

  it('never shows more than four of the subscriber’s digits', () => {
    for (const n of ['+441632961234', '+4930123456789', '+33612345678']) {
      const shown = maskPhoneNumber(n).replace(/\D/g, '');
      expect(shown.length).toBeLessThanOrEqual(6);
      expect(n.endsWith(shown.slice(-4))).toBe(true);
    }
  });

  it('reads PINs in groups of three', () => {
    expect(formatPin('123456789')).toBe('123 456 789');
  });

  it('calls out only international numbers', () => {
    expect(DialOutRequestSchema.safeParse({ to: '+447700900123' }).success).toBe(true);
    expect(DialOutRequestSchema.safeParse({ to: '07700900123' }).success).toBe(false);
    expect(DialOutRequestSchema.safeParse({ to: '+44 7700 900123' }).success).toBe(false);
  });
});
