import { parseMeetingLink, type LinkedMeeting } from '@tandem/shared';
import { describe, expect, it } from 'vitest';
import { detailsOf } from './names.ts';

function meetingOf(text: string): LinkedMeeting {
  const result = parseMeetingLink(text);
  if (!result.ok) throw new Error(result.message);
  return result.meeting;
}

describe('the codes shown for a linked meeting', () => {
  it('lists what an invitation prints, in its order, leaving out what it did not say', () => {
    const teams = meetingOf(
      'https://teams.microsoft.com/meet/123456789012?p=aBc123\nPhone conference ID: 418 924 075#',
    );
    expect(detailsOf(teams).map((d) => d.kind)).toEqual(['meetingId', 'passcode', 'conferenceId', 'link']);
    expect(detailsOf(meetingOf('meet.google.com/abc-mnop-xyz')).map((d) => d.kind)).toEqual(['meetingId', 'link']);
  });

  it('shows a Zoom phone passcode only when it differs from the passcode', () => {
    const same = meetingOf('https://zoom.us/j/81234567890\nPasscode: 123456');
    expect(detailsOf(same).map((d) => d.kind)).not.toContain('phonePasscode');
    const differs = meetingOf(
      'https://zoom.us/j/81234567890\nPasscode: aB1\n+1 646 558 8656,,81234567890#,,,,*987654#',
    );
    expect(detailsOf(differs)).toContainEqual({ kind: 'phonePasscode', value: '987654' });
  });
});
