/**
 * How to join a linked meeting: the native client's URL (opened through the desktop's one
 * external-link function), the browser URL as the fallback when no native client answers, and
 * the code the audio bridge keys in after dialling a phone bridge.
 */
import { joinDeepLink } from '../deepLink.ts';
import type { LinkedMeeting } from './meetingLink.ts';
import type { BridgeCode } from './phone.ts';

export type JoinUrls = {
  /** Opens the provider's desktop app; null when it has no URL for this kind of link. */
  readonly native: string | null;
  /** Opens the meeting in a browser; null for our own meetings, which only the app joins. */
  readonly web: string | null;
};

export function joinUrls(meeting: LinkedMeeting): JoinUrls {
  switch (meeting.provider) {
    case 'teams':
      // The Teams client registers `msteams:` and takes the web link's path and query as is.
      return { native: meeting.webUrl.replace(/^https:\/\/[^/]+/, 'msteams:'), web: meeting.webUrl };
    case 'zoom': {
      // Personal link names have no documented native form: the browser page hands over to the app.
      if (meeting.meetingId === null) return { native: null, web: meeting.webUrl };
      const params = [`confno=${meeting.meetingId}`];
      if (meeting.pwd !== null) params.push(`pwd=${encodeURIComponent(meeting.pwd)}`);
      return { native: `zoommtg://${meeting.host}/join?${params.join('&')}`, web: meeting.webUrl };
    }
    case 'meet':
      // Meet has no desktop client: the browser is the native way in.
      return { native: meeting.webUrl, web: meeting.webUrl };
    case 'tandem':
      return { native: joinDeepLink(meeting.code), web: null };
    default: {
      const unreachable: never = meeting;
      return unreachable;
    }
  }
}

/** What the phone bridge asks for, when the pasted text said; feed it to `dialTones`. */
export function bridgeCodeOf(meeting: LinkedMeeting): BridgeCode | null {
  switch (meeting.provider) {
    case 'teams':
      return meeting.conferenceId === null ? null : { provider: 'teams', conferenceId: meeting.conferenceId };
    case 'zoom':
      return meeting.meetingId === null
        ? null
        : { provider: 'zoom', meetingId: meeting.meetingId, phonePasscode: meeting.phonePasscode };
    case 'meet':
      return meeting.pin === null ? null : { provider: 'meet', pin: meeting.pin };
    case 'tandem':
      return null;
    default: {
      const unreachable: never = meeting;
      return unreachable;
    }
  }
}
