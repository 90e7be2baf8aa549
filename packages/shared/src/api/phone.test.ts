import { describe, expect, it } from 'vitest';
import {
  DialOutRequestSchema,
  dialOutName,
  formatPin,
  maskPhoneNumber,
  parseSipAddress,
  typedDialOutTarget,
} from './phone.ts';

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

  it('calls out only international numbers and SIP addresses', () => {
    expect(DialOutRequestSchema.safeParse({ to: '+447700900123' }).success).toBe(true);
    expect(DialOutRequestSchema.safeParse({ to: '07700900123' }).success).toBe(false);
    expect(DialOutRequestSchema.safeParse({ to: '+44 7700 900123' }).success).toBe(false);
    expect(DialOutRequestSchema.safeParse({ to: 'sip:ann@pbx.example.com' }).success).toBe(true);
    expect(DialOutRequestSchema.safeParse({ to: 'sip:ann@10.0.0.7:5070' }).success).toBe(true);
    for (const bad of [
      'sip:ann@',
      'sip:@pbx.example.com',
      'sips:ann@pbx.example.com',
      'sip:ann:secret@pbx.example.com',
      'sip:ann@pbx.example.com:70000',
      'sip:ann@[::1]',
      'sip:ann@pbx.example.com;transport=tcp',
      'sip:ann@-pbx.example.com',
    ])
      expect(DialOutRequestSchema.safeParse({ to: bad }).success, bad).toBe(false);
  });

  it('reads a SIP address into its parts, port 5060 unless given', () => {
    expect(parseSipAddress('sip:Ann.Lee@PBX.example.com')).toEqual({
      user: 'Ann.Lee',
      host: 'pbx.example.com',
      port: 5060,
    });
    expect(parseSipAddress('SIP:ann@10.0.0.7:5070')).toEqual({ user: 'ann', host: '10.0.0.7', port: 5070 });
    expect(parseSipAddress('sip:ann@host:0')).toBeUndefined();
    expect(parseSipAddress('+447700900123')).toBeUndefined();
  });

  it('takes what people type: numbers with spaces and brackets, SIP addresses as they are', () => {
    expect(typedDialOutTarget(' +44 7700-900 123 ').data).toBe('+447700900123');
    expect(typedDialOutTarget(' sip:ann@pbx.example.com ').data).toBe('sip:ann@pbx.example.com');
    expect(typedDialOutTarget('call Ann').error?.issues[0]?.message).toMatch(/phone number .* or a SIP address/);
  });

  it('names a called SIP address by its host and the first two characters of its name', () => {
    expect(dialOutName('sip:annabel@pbx.example.com')).toBe('an•••@pbx.example.com');
    expect(dialOutName('+441632961234')).toBe('+44 •••• ••12 34');
  });
});
