import { describe, expect, it } from 'vitest';
import { createTranslator } from '../i18n/translator.ts';
import { bridgeText, dialInLines, spacedNumber } from './dialIn.ts';

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

describe('the audio bridge’s state', () => {
  it('names the number it dials, or the room connector it calls, in each language', () => {
    const en = createTranslator('en');
    expect(bridgeText(en, { state: 'dialling', to: '+12065550100', fellBackFrom: null })).toBe(
      'Dialling +1 206 555 0100…',
    );
    expect(bridgeText(en, { state: 'connected', to: 'sip:81234567890.123456@zoomcrc.com', fellBackFrom: null })).toBe(
      'Connected to the linked meeting’s room connector (81234567890.123456@zoomcrc.com).',
    );
    expect(
      bridgeText(createTranslator('de'), { state: 'dialling', to: 'sip:411222333@t.plcm.vc', fellBackFrom: null }),
    ).toContain('411222333@t.plcm.vc');
    expect(
      bridgeText(createTranslator('ja'), { state: 'connected', to: 'sip:411222333@t.plcm.vc', fellBackFrom: null }),
    ).toContain('ルームコネクタ');
    expect(bridgeText(en, { state: 'off', to: null, fellBackFrom: null })).toBe(
      'Off: the linked meeting does not hear this one.',
    );
  });

  it('says which room connector refused the call when the bridge called the phone bridge instead', () => {
    const fellBack = { state: 'connected', to: '+12065550100', fellBackFrom: 'sip:411222333@t.plcm.vc' } as const;
    expect(bridgeText(createTranslator('en'), fellBack)).toBe(
      'Connected to the linked meeting’s phone bridge (+1 206 555 0100). Its room connector (411222333@t.plcm.vc) refused the call, so the bridge goes by phone.',
    );
    for (const locale of ['de', 'ja'] as const)
      expect(bridgeText(createTranslator(locale), fellBack)).toContain('411222333@t.plcm.vc');
  });
});
