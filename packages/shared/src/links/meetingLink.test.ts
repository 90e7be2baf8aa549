import { describe, expect, it } from 'vitest';
import { LinkedMeetingSchema, parseMeetingLink, type LinkedMeeting } from './meetingLink.ts';

const TEAMS_JOIN =
  'https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjM4ZTU5YjQtYjQ1Ny00ZjQ1LWE5ZDAtZTI3ZTA2ZDRmMzYz%40thread.v2/0' +
  '?context=%7b%22Tid%22%3a%2272f988bf-86f1-41af-91ab-2d7cd011db47%22%2c%22Oid%22%3a%22a1b2c3d4-1111-2222-3333-444455556666%22%7d';
const THREAD = '19:meeting_NjM4ZTU5YjQtYjQ1Ny00ZjQ1LWE5ZDAtZTI3ZTA2ZDRmMzYz@thread.v2';

function meeting(input: string): LinkedMeeting {
  const result = parseMeetingLink(input);
  if (!result.ok) throw new Error(`expected a meeting, got ${result.reason}: ${result.message}`);
  // Whatever the parser returns also passes the contract other processes validate with.
  expect(LinkedMeetingSchema.parse(result.meeting)).toEqual(result.meeting);
  return result.meeting;
}

describe('parseMeetingLink: links', () => {
  it.each<[string, string, Partial<Record<string, unknown>>]>([
    // Teams
    [
      'teams meetup-join',
      TEAMS_JOIN,
      {
        provider: 'teams',
        threadId: THREAD,
        tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
        organizerId: 'a1b2c3d4-1111-2222-3333-444455556666',
      },
    ],
    ['teams meetup-join in angle brackets', `<${TEAMS_JOIN}>`, { provider: 'teams', threadId: THREAD }],
    [
      'teams meetup-join via msteams:',
      TEAMS_JOIN.replace('https://teams.microsoft.com', 'msteams:'),
      { provider: 'teams', threadId: THREAD },
    ],
    [
      'teams /meet/ with passcode',
      'https://teams.microsoft.com/meet/2345678901234?p=aBcDeF12',
      { provider: 'teams', meetingId: '2345678901234', passcode: 'aBcDeF12' },
    ],
    [
      'teams free /meet/',
      'https://teams.live.com/meet/9398765432109?p=XyZ789abc',
      {
        provider: 'teams',
        meetingId: '9398765432109',
        passcode: 'XyZ789abc',
        webUrl: 'https://teams.live.com/meet/9398765432109?p=XyZ789abc',
      },
    ],
    [
      'teams without scheme',
      'teams.microsoft.com/meet/2345678901234?p=q1',
      { provider: 'teams', meetingId: '2345678901234', passcode: 'q1' },
    ],
    // Zoom
    [
      'zoom /j/ with pwd',
      'https://zoom.us/j/81234567890?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ012.1',
      { provider: 'zoom', host: 'zoom.us', meetingId: '81234567890', pwd: 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012.1' },
    ],
    [
      'zoom regional web host',
      'https://us02web.zoom.us/j/81234567890',
      { provider: 'zoom', host: 'us02web.zoom.us', meetingId: '81234567890', pwd: null },
    ],
    [
      'zoom company subdomain',
      'https://acme.zoom.us/j/9876543210?pwd=Zm9vYmFy',
      {
        provider: 'zoom',
        host: 'acme.zoom.us',
        meetingId: '9876543210',
        webUrl: 'https://acme.zoom.us/j/9876543210?pwd=Zm9vYmFy',
      },
    ],
    [
      'zoom vanity',
      'https://acme.zoom.us/my/jane.doe',
      { provider: 'zoom', vanity: 'jane.doe', meetingId: null, webUrl: 'https://acme.zoom.us/my/jane.doe' },
    ],
    [
      'zoom webinar',
      'https://zoom.us/w/91234567890?tk=abcDEF&pwd=xyz',
      { provider: 'zoom', webinar: true, meetingId: '91234567890', pwd: 'xyz' },
    ],
    [
      'zoommtg',
      'zoommtg://zoom.us/join?action=join&confno=81234567890&pwd=abc',
      { provider: 'zoom', meetingId: '81234567890', pwd: 'abc', webUrl: 'https://zoom.us/j/81234567890?pwd=abc' },
    ],
    ['zoomus', 'zoomus://zoom.us/join?confno=812345678', { provider: 'zoom', meetingId: '812345678' }],
    ['zoom web client', 'https://zoom.us/wc/join/81234567890', { provider: 'zoom', meetingId: '81234567890' }],
    [
      'zoomgov',
      'https://agency.zoomgov.com/j/1612345678',
      { provider: 'zoom', host: 'agency.zoomgov.com', meetingId: '1612345678' },
    ],
    // Google Meet
    [
      'meet link',
      'https://meet.google.com/abc-defg-hij',
      { provider: 'meet', meetingId: 'abc-defg-hij', webUrl: 'https://meet.google.com/abc-defg-hij' },
    ],
    [
      'meet link with authuser and no scheme',
      'meet.google.com/abc-defg-hij?authuser=1',
      { provider: 'meet', meetingId: 'abc-defg-hij' },
    ],
    [
      'meet lookup',
      'https://meet.google.com/lookup/teamsync42',
      { provider: 'meet', meetingId: 'teamsync42', webUrl: 'https://meet.google.com/lookup/teamsync42' },
    ],
    ['meet bare code', '  abc-defg-hij ', { provider: 'meet', meetingId: 'abc-defg-hij' }],
    [
      'meet bare code in a sentence, upper case',
      'Join us at XYZ-ABCD-QRS.',
      { provider: 'meet', meetingId: 'xyz-abcd-qrs' },
    ],
    [
      'meet phone link',
      'https://tel.meet/abc-defg-hij?pin=1234567890123',
      { provider: 'meet', meetingId: 'abc-defg-hij', pin: '1234567890123' },
    ],
    // Rewritten by mail gateways
    [
      'teams behind Outlook Safe Links',
      `https://nam12.safelinks.protection.outlook.com/?url=${encodeURIComponent(TEAMS_JOIN)}&data=05%7C02&reserved=0`,
      { provider: 'teams', threadId: THREAD, webUrl: TEAMS_JOIN },
    ],
    [
      'meet behind the Google redirector',
      'https://www.google.com/url?q=https://meet.google.com/abc-defg-hij&sa=D&source=calendar',
      { provider: 'meet', meetingId: 'abc-defg-hij' },
    ],
    // Ours
    ['tandem deep link', 'tandem://join/Team-Sync-42', { provider: 'tandem', code: 'Team-Sync-42' }],
  ])('%s', (_name, input, expected) => {
    expect(meeting(input)).toMatchObject(expected);
  });
});

describe('parseMeetingLink: failures', () => {
  it.each([
    ['', 'empty'],
    ['   \n\t ', 'empty'],
    ['https://example.com/meeting/123', 'unknown_provider'],
    ['see you tomorrow at 10:30', 'unknown_provider'],
    ['https://webex.com/meet/jane', 'unknown_provider'],
    ['https://zoom.us/j/12ab', 'malformed'],
    ['https://zoom.us/j/', 'malformed'],
    ['zoommtg://zoom.us/join?action=join', 'malformed'],
    ['https://teams.microsoft.com/l/meetup-join/not-a-thread/0', 'malformed'],
    ['https://teams.microsoft.com/l/meetup-join/19%ZZmeeting/0', 'malformed'],
    ['https://meet.google.com/abc-defg', 'malformed'],
    ['tandem://join/ab', 'malformed'],
  ])('%j is %s, with a message', (input, reason) => {
    const result = parseMeetingLink(input);
    expect(result).toMatchObject({ ok: false, reason });
    expect(result.ok ? '' : result.message).not.toBe('');
  });

  it('prefers a meeting link over a malformed one in the same text', () => {
    expect(meeting('https://zoom.us/j/12 or rather https://zoom.us/j/81234567890')).toMatchObject({
      meetingId: '81234567890',
    });
  });
});

const TEAMS_INVITATION = `
________________________________________________________________________________
Microsoft Teams Need help? <https://aka.ms/JoinTeamsMeeting?omkt=en-US>
Join the meeting now <${TEAMS_JOIN}>
Meeting ID: 123 456 789 012
Passcode: aBc123
________________________________
Dial in by phone
+1 323-555-0101,,123456789# <tel:+13235550101,,123456789#> United States, Los Angeles
+44 (0)20 7946 0000,,123456789# United Kingdom, London
Find a local number <https://dialin.teams.microsoft.com/a1b2c3d4?id=123456789>
Phone conference ID: 123 456 789#
Join on a video conferencing device
Tenant key: 411222333@t.plcm.vc
Video ID: 119 756 380 5
More info <https://dialin.plcm.vc/teams/?key=411222333&conf=1197563805>
For organizers: Meeting options <https://teams.microsoft.com/meetingOptions/?organizerId=a1b2&tenantId=72f9&threadId=19_meeting&messageId=0&language=en-US> | Reset dial-in PIN <https://dialin.teams.microsoft.com/usp/pstnconferencing>
________________________________________________________________________________
`;

const ZOOM_INVITATION = `Jane Doe is inviting you to a scheduled Zoom meeting.

Topic: Quarterly planning
Time: Dec 3, 2026 04:00 PM Amsterdam, Berlin, Rome, Stockholm, Vienna

Join Zoom Meeting
https://acme.zoom.us/j/81234567890?pwd=aBcDeFgHiJkLmNoPqRsTuVwXyZ012.1

Meeting ID: 812 3456 7890
Passcode: 123456

---

One tap mobile
+16465588656,,81234567890#,,,,*123456# US (New York)
+13017158592,,81234567890#,,,,*123456# US (Washington DC)

---

Dial by your location
• +1 646 558 8656 US (New York)
• +1 301 715 8592 US (Washington DC)
• +49 69 3807 9883 Germany

Meeting ID: 812 3456 7890
Passcode: 123456

Find your local number: https://acme.zoom.us/u/abcdEFGH

---

Join by SIP
• 81234567890@zoomcrc.com

Join by H.323
• 144.195.19.161 (US West)
• 206.247.11.121 (US East)

Meeting ID: 812 3456 7890
Passcode: 123456
`;

const GOOGLE_INVITATION = `Jane Doe has invited you to the following event.

Design review
Thursday Dec 3, 2026 ⋅ 3pm – 4pm (Central European Time - Berlin)

Join with Google Meet
meet.google.com/abc-defg-hij

Join by phone
(US) +1 484-555-0199 PIN: 123 456 789#

More phone numbers
https://tel.meet/abc-defg-hij?pin=123456789

Invitation from Google Calendar: https://calendar.google.com/calendar/
You are receiving this email because you are an attendee on the event.
`;

describe('parseMeetingLink: whole invitations', () => {
  it('reads a Teams invitation: thread, meeting ID, passcode, conference ID, E.164 dial-ins', () => {
    expect(meeting(TEAMS_INVITATION)).toEqual({
      provider: 'teams',
      webUrl: TEAMS_JOIN,
      threadId: THREAD,
      tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      organizerId: 'a1b2c3d4-1111-2222-3333-444455556666',
      meetingId: '123456789012',
      passcode: 'aBc123',
      conferenceId: '123456789',
      dialIns: [
        { e164: '+13235550101', raw: '+1 323-555-0101', label: 'United States, Los Angeles' },
        { e164: '+442079460000', raw: '+44 (0)20 7946 0000', label: 'United Kingdom, London' },
      ],
      // The video conferencing device's interop service, whose voice menu asks for the video ID.
      sipBridge: { address: 'sip:411222333@t.plcm.vc', code: '1197563805' },
    });
  });

  it('reads a Zoom invitation: company host, pwd token, passcode, phone passcode, dial-ins once each', () => {
    const zoom = meeting(ZOOM_INVITATION);
    expect(zoom).toMatchObject({
      provider: 'zoom',
      host: 'acme.zoom.us',
      meetingId: '81234567890',
      pwd: 'aBcDeFgHiJkLmNoPqRsTuVwXyZ012.1',
      passcode: '123456',
      phonePasscode: '123456',
      webinar: false,
      // Zoom's room connector, the passcode added as Zoom writes it, so it does not ask.
      sipBridge: { address: 'sip:81234567890.123456@zoomcrc.com', code: null },
    });
    expect(zoom.dialIns).toEqual([
      { e164: '+16465588656', raw: '+16465588656', label: 'US (New York)' },
      { e164: '+13017158592', raw: '+13017158592', label: 'US (Washington DC)' },
      { e164: '+496938079883', raw: '+49 69 3807 9883', label: 'Germany' },
    ]);
  });

  it('reads a Google Calendar invitation: code, PIN, dial-in', () => {
    expect(meeting(GOOGLE_INVITATION)).toEqual({
      provider: 'meet',
      webUrl: 'https://meet.google.com/abc-defg-hij',
      meetingId: 'abc-defg-hij',
      passcode: null,
      pin: '123456789',
      dialIns: [{ e164: '+14845550199', raw: '+1 484-555-0199', label: '(US)' }],
      sipBridge: null,
    });
  });
});

describe('parseMeetingLink: invitations copied without their link', () => {
  it('writes the Teams /meet/ link from the meeting ID and passcode', () => {
    const text =
      'Microsoft Teams meeting\nJoin on your computer\nMeeting ID: 123 456 789 012\nPasscode: aBc123\nPhone conference ID: 123 456 789#';
    expect(meeting(text)).toMatchObject({
      provider: 'teams',
      webUrl: 'https://teams.microsoft.com/meet/123456789012?p=aBc123',
      meetingId: '123456789012',
      passcode: 'aBc123',
      conferenceId: '123456789',
    });
  });

  it('writes the Zoom /j/ link from the meeting ID, keeping the passcode', () => {
    expect(meeting('Join Zoom Meeting\nMeeting ID: 812 3456 7890\nPasscode: 123456')).toMatchObject({
      provider: 'zoom',
      webUrl: 'https://zoom.us/j/81234567890',
      meetingId: '81234567890',
      passcode: '123456',
      phonePasscode: '123456',
    });
  });

  it('does not guess a provider from a bare meeting ID', () => {
    expect(parseMeetingLink('Meeting ID: 812 3456 7890')).toMatchObject({ ok: false, reason: 'unknown_provider' });
  });
});

describe('parseMeetingLink: look-alike hosts (issue 13 item 11)', () => {
  it.each([
    ['a Meet code under a look-alike host', 'https://meet.google.com.attacker.example/abc-defg-hij'],
    ['the same without a scheme', 'meet.google.com.attacker.example/abc-defg-hij'],
    [
      'a look-alike Meet link in an invitation',
      `Join with Google Meet\nhttps://meet.google.com.evil.test/abc-defg-hij\nPIN: 123 456 789#`,
    ],
    [
      'a look-alike Zoom host with a printed meeting ID',
      'Join Zoom Meeting\nhttps://zoom.us.attacker.example/j/81234567890\nMeeting ID: 812 3456 7890',
    ],
    ['a look-alike Teams host', 'https://teams.microsoft.com.attacker.example/meet/2345678901234?p=aBc'],
    [
      'a look-alike behind a redirector',
      `https://www.google.com/url?q=${encodeURIComponent('https://meet.google.com.attacker.example/abc-defg-hij')}`,
    ],
  ])('refuses %s instead of reinterpreting it', (_name, input) => {
    const result = parseMeetingLink(input);
    expect(result).toMatchObject({ ok: false, reason: 'lookalike_host' });
    expect(result.ok ? '' : result.message).toMatch(/not .*Google Meet|not .*Zoom|not .*Teams/);
  });

  it('still takes the real link when a look-alike stands beside it', () => {
    expect(
      meeting(
        'Not this: https://meet.google.com.attacker.example/xyz-abcd-qrs but https://meet.google.com/abc-defg-hij',
      ),
    ).toMatchObject({ provider: 'meet', meetingId: 'abc-defg-hij' });
  });

  it('does not take a subdomain of a real meeting host for a look-alike', () => {
    expect(meeting('https://us02web.zoom.us/j/81234567890')).toMatchObject({ host: 'us02web.zoom.us' });
  });
});

describe('parseMeetingLink: a printed passcode wins over the link token (issue 13 item 11)', () => {
  it('takes the Passcode: line people type over the Teams link p=', () => {
    expect(
      meeting(
        'https://teams.microsoft.com/meet/2345678901234?p=LinkToken99\nMeeting ID: 234 567 890 123 4\nPasscode: aBc123',
      ),
    ).toMatchObject({ provider: 'teams', meetingId: '2345678901234', passcode: 'aBc123' });
  });

  it('falls back to the link p= when nothing is printed', () => {
    expect(meeting('https://teams.microsoft.com/meet/2345678901234?p=LinkToken99')).toMatchObject({
      passcode: 'LinkToken99',
    });
  });
});
