import { describe, expect, it } from 'vitest';
import { codeAfter, dialTones, findDialIns, toE164 } from './phone.ts';

describe('toE164', () => {
  it.each([
    ['+1 323-555-0101', '+13235550101'],
    ['+1 (484) 555-0199', '+14845550199'],
    ['+44 (0)20 7946 0000', '+442079460000'],
    ['0049 69 3807 9883', '+496938079883'],
    ['tel:+16465588656', '+16465588656'],
    ['+33.1.23.45.67.89', '+33123456789'],
  ])('%s → %s', (printed, e164) => {
    expect(toE164(printed)).toBe(e164);
  });

  it.each(['(323) 555-0101', '020 7946 0000', '+1 555', '+0 123 456 789', '+1 234 567 890 123 456 7'])(
    'refuses %s (no country code, or not a possible length)',
    (printed) => {
      expect(toE164(printed)).toBeNull();
    },
  );
});

describe('dialTones', () => {
  it('keys a Teams conference ID', () => {
    expect(dialTones({ provider: 'teams', conferenceId: '123456789' })).toBe('123456789#');
  });

  it('keys a Zoom meeting ID, waits for the prompt, then the passcode: as Zoom’s one-tap line', () => {
    expect(dialTones({ provider: 'zoom', meetingId: '81234567890', phonePasscode: '123456' })).toBe(
      '81234567890#,,,,*123456#',
    );
    expect(dialTones({ provider: 'zoom', meetingId: '81234567890', phonePasscode: null })).toBe('81234567890#');
  });

  it('keys a Meet PIN', () => {
    expect(dialTones({ provider: 'meet', pin: '123456789' })).toBe('123456789#');
  });
});

describe('findDialIns', () => {
  it('skips numbers inside links and keeps the first label of a repeated number', () => {
    const text =
      'Local numbers: https://dial.example/?n=+13235550101\n+1 646 558 8656 US (New York)\n+16465588656 again';
    expect(findDialIns(text)).toEqual([{ e164: '+16465588656', raw: '+1 646 558 8656', label: 'US (New York)' }]);
  });

  it('keeps a national number it cannot normalise, with its label', () => {
    expect(findDialIns('Call +1 55, or\n+61 2 9000 0000 Sydney')).toEqual([
      { e164: '+61290000000', raw: '+61 2 9000 0000', label: 'Sydney' },
    ]);
  });
});

describe('codeAfter', () => {
  it('reads a grouped code after its label', () => {
    expect(codeAfter('Phone conference ID: 123 456 789#', /Phone conference ID/)).toBe('123456789');
    expect(codeAfter('no code here', /PIN/)).toBeNull();
  });
});
