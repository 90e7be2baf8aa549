import { describe, expect, it } from 'vitest';
import {
  codeAfter,
  dialTones,
  findDialIns,
  teamsSipBridge,
  toE164,
  zoomRoomConnector,
  zoomSipBridge,
} from './phone.ts';

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

describe('zoomSipBridge: Zoom’s “Join by SIP” room connector', () => {
  const printed = 'Join by SIP\n• 81234567890@zoomcrc.com\n\nJoin by H.323\n• 144.195.19.161 (US West)';

  it('adds the numeric passcode as Zoom writes it, so the connector does not ask', () => {
    expect(zoomSipBridge(printed, '81234567890', '123456')).toEqual({
      address: 'sip:81234567890.123456@zoomcrc.com',
      code: null,
    });
    expect(zoomSipBridge(printed, '81234567890', null)).toEqual({ address: 'sip:81234567890@zoomcrc.com', code: null });
    // A passcode that is not digits cannot be part of the address (the connector asks then).
    expect(zoomSipBridge(printed, '81234567890', 'aBc')?.address).toBe('sip:81234567890@zoomcrc.com');
  });

  it('keeps a passcode printed in the address and a regional connector', () => {
    expect(zoomSipBridge('Join by SIP\n• 81234567890.998877@global.zoomcrc.com', '81234567890', '123456')).toEqual({
      address: 'sip:81234567890.998877@global.zoomcrc.com',
      code: null,
    });
  });

  it('makes the documented dial string from a meeting ID and numeric passcode an API gave', () => {
    expect(zoomRoomConnector('85746065432', '654321')).toEqual({
      address: 'sip:85746065432.654321@zoomcrc.com',
      code: null,
    });
    expect(zoomRoomConnector('85746065432', 'xY9')).toEqual({ address: 'sip:85746065432@zoomcrc.com', code: null });
    expect(zoomRoomConnector('85746065432', null)?.address).toBe('sip:85746065432@zoomcrc.com');
  });

  it('takes no address of another meeting, nor one that only ends like the connector', () => {
    expect(zoomSipBridge(printed, '85746065432', null)).toBeNull();
    expect(zoomSipBridge('• 81234567890@zoomcrc.com.attacker.example', '81234567890', null)).toBeNull();
    expect(zoomSipBridge('Join by phone only', '81234567890', null)).toBeNull();
  });
});

describe('teamsSipBridge: Teams’ video conferencing device (Cloud Video Interop)', () => {
  it('reads the tenant key’s address and the video ID its voice menu asks for', () => {
    const text = [
      'Phone conference ID: 123 456 789#',
      'Join on a video conferencing device',
      'Tenant key: 411222333@t.plcm.vc',
      'Video ID: 119 756 380 5',
      'More info <https://dialin.plcm.vc/teams/?key=411222333&conf=1197563805>',
    ].join('\n');
    expect(teamsSipBridge(text)).toEqual({ address: 'sip:411222333@t.plcm.vc', code: '1197563805' });
  });

  it('takes the video ID an API gives over the printed one, and reads the address from the text alone', () => {
    const section = 'Join on a video conferencing device\nTenant key: 411222333@t.plcm.vc';
    expect(teamsSipBridge(section)).toBeNull();
    expect(teamsSipBridge(section, '1197563805')).toEqual({ address: 'sip:411222333@t.plcm.vc', code: '1197563805' });
    expect(teamsSipBridge(`${section}\nVideo ID: 119 756 380 5`, '2220001113')?.code).toBe('2220001113');
    // Only digits are keyed: anything else is no video ID.
    expect(teamsSipBridge(section, '12#34')).toBeNull();
    expect(teamsSipBridge('Phone conference ID: 123 456 789#', '1197563805')).toBeNull();
  });

  it('reads the older “Join with a video conferencing device” with “Video Conference ID”', () => {
    const text = [
      'Join with a video conferencing device',
      'teams@vc.contoso.com',
      'Video Conference ID: 1182 5540 17',
      'Alternate VTC dialing instructions <https://vc.contoso.com/teams/?conf=1182554017&ivr=teams&d=vc.contoso.com>',
    ].join('\n');
    expect(teamsSipBridge(text)).toEqual({ address: 'sip:teams@vc.contoso.com', code: '1182554017' });
  });

  it('reads an interop service on premises by its address and port', () => {
    const text = 'Join on a video conferencing device\nTenant key: teams@192.0.2.10:5070\nVideo ID: 119 756 380 5';
    expect(teamsSipBridge(text)).toEqual({ address: 'sip:teams@192.0.2.10:5070', code: '1197563805' });
  });

  it('asks for nothing when the address is the video ID itself', () => {
    const text = 'Join with a video conferencing device\n1182554017@vc.contoso.com\nVideo Conference ID: 1182554017';
    expect(teamsSipBridge(text)).toEqual({ address: 'sip:1182554017@vc.contoso.com', code: null });
  });

  it('has none without the video ID, or without the section (an organiser’s e-mail is not an address to call)', () => {
    expect(teamsSipBridge('Join on a video conferencing device\nTenant key: 411222333@t.plcm.vc')).toBeNull();
    expect(teamsSipBridge('Organiser: jane@contoso.com\nVideo ID: 119 756 380 5')).toBeNull();
  });
});
