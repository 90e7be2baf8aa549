import { describe, expect, it } from 'vitest';
import { windowsZone } from './windowsZones.ts';

describe('windowsZone (CLDR windowsZones and BCP 47 aliases)', () => {
  it.each([
    ['Europe/Berlin', 'W. Europe Standard Time'],
    ['America/New_York', 'Eastern Standard Time'],
    ['Australia/Sydney', 'AUS Eastern Standard Time'],
    // IANA's current names, which CLDR keys under older ones (Asia/Calcutta, America/Buenos_Aires, Europe/Kiev).
    ['Asia/Kolkata', 'India Standard Time'],
    ['Asia/Calcutta', 'India Standard Time'],
    ['America/Argentina/Buenos_Aires', 'Argentina Standard Time'],
    ['Europe/Kyiv', 'FLE Standard Time'],
    ['Asia/Kathmandu', 'Nepal Standard Time'],
    ['Pacific/Chatham', 'Chatham Islands Standard Time'],
    ['America/Indiana/Indianapolis', 'US Eastern Standard Time'],
    // Links and UTC's spellings.
    ['US/Pacific', 'Pacific Standard Time'],
    ['UTC', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['Etc/GMT-14', 'Line Islands Standard Time'],
  ])('%s → %s', (iana, windows) => {
    expect(windowsZone(iana)).toBe(windows);
  });

  it('answers null for a zone CLDR maps to no Windows zone, and for a name that is no zone', () => {
    expect(windowsZone('Antarctica/Troll')).toBeNull();
    expect(windowsZone('Mars/Olympus_Mons')).toBeNull();
    expect(windowsZone('')).toBeNull();
  });
});
