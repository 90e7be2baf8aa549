import { describe, expect, it } from 'vitest';
import { bridgeCodeOf, joinUrls } from './join.ts';
import { parseMeetingLink, type LinkedMeeting } from './meetingLink.ts';
import { dialTones } from './phone.ts';

function meeting(input: string): LinkedMeeting {
  const result = parseMeetingLink(input);
  if (!result.ok) throw new Error(result.message);
  return result.meeting;
}

describe('joinUrls', () => {
  it('opens Teams through msteams: with the link’s own path and query, the https link as fallback', () => {
    const web =
      'https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d';
    expect(joinUrls(meeting(web))).toEqual({
      native: 'msteams:/l/meetup-join/19%3ameeting_abc%40thread.v2/0?context=%7b%22Tid%22%3a%22t%22%7d',
      web,
    });
    expect(joinUrls(meeting('msteams:/meet/2345678901234?p=aB1'))).toEqual({
      native: 'msteams:/meet/2345678901234?p=aB1',
      web: 'https://teams.microsoft.com/meet/2345678901234?p=aB1',
    });
  });

  it('opens Zoom through zoommtg: with meeting ID and pwd', () => {
    expect(joinUrls(meeting('https://zoom.us/j/81234567890?pwd=abc.1'))).toEqual({
      native: 'zoommtg://zoom.us/join?confno=81234567890&pwd=abc.1',
      web: 'https://zoom.us/j/81234567890?pwd=abc.1',
    });
    expect(joinUrls(meeting('https://acme.zoom.us/j/81234567890')).native).toBe(
      'zoommtg://acme.zoom.us/join?confno=81234567890',
    );
  });

  it('sends a Zoom personal link to the browser, which hands over to the app', () => {
    expect(joinUrls(meeting('https://zoom.us/my/jane.doe'))).toEqual({
      native: null,
      web: 'https://zoom.us/my/jane.doe',
    });
  });

  it('opens Meet in the browser and ours by deep link only', () => {
    expect(joinUrls(meeting('abc-defg-hij'))).toEqual({
      native: 'https://meet.google.com/abc-defg-hij',
      web: 'https://meet.google.com/abc-defg-hij',
    });
    expect(joinUrls(meeting('tandem://join/Team-Sync-42'))).toEqual({
      native: 'tandem://join/Team-Sync-42',
      web: null,
    });
  });
});

describe('bridgeCodeOf + dialTones', () => {
  it('reproduces the one-tap tones a Zoom invitation prints', () => {
    const invitation =
      'https://zoom.us/j/81234567890?pwd=x\nMeeting ID: 812 3456 7890\nPasscode: Ab12\nOne tap mobile\n+16465588656,,81234567890#,,,,*123456# US (New York)';
    const code = bridgeCodeOf(meeting(invitation));
    expect(code).not.toBeNull();
    if (code !== null) expect(dialTones(code)).toBe('81234567890#,,,,*123456#');
  });

  it('uses the Teams conference ID and the Meet PIN, and has nothing without them', () => {
    const teams = meeting('https://teams.microsoft.com/meet/2345678901234?p=q\nPhone conference ID: 123 456 789#');
    expect(bridgeCodeOf(teams)).toEqual({ provider: 'teams', conferenceId: '123456789' });
    expect(bridgeCodeOf(meeting('https://meet.google.com/abc-defg-hij\nPIN: 987 654 321#'))).toEqual({
      provider: 'meet',
      pin: '987654321',
    });
    expect(bridgeCodeOf(meeting('https://meet.google.com/abc-defg-hij'))).toBeNull();
    expect(bridgeCodeOf(meeting('tandem://join/Team-Sync-42'))).toBeNull();
  });
});
