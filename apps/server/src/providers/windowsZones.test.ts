import { describe, expect, it } from 'vitest';
import { ianaZone, windowsZone } from './windowsZones.ts';

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

describe('ianaZone (CLDR windowsZones, territory 001)', () => {
  it("names a Windows zone's main IANA zone, and none for a name CLDR does not map", () => {
    expect(ianaZone('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaZone('GMT Standard Time')).toBe('Europe/London');
    // CLDR keys India under its older name, which the runtime takes as a zone as well.
    expect(ianaZone('India Standard Time')).toBe('Asia/Calcutta');
    expect(ianaZone('UTC')).toBe('Etc/UTC');
    expect(ianaZone('Europe/Berlin')).toBeNull();
  });
});
