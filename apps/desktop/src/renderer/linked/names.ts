import type { LinkedMeeting } from '@tandem/shared';

/** How people name each provider's app. */
export function providerName(provider: LinkedMeeting['provider']): string {
  switch (provider) {
    case 'teams':
      return 'Microsoft Teams';
    case 'zoom':
      return 'Zoom';
    case 'meet':
      return 'Google Meet';
    case 'tandem':
      return 'Tandem';
    default: {
      const unreachable: never = provider;
      return unreachable;
    }
  }
}

/** Which code a detail is (its label is the language's: `linked.detail.label`). */
export type DetailKind =
  'meetingId' | 'passcode' | 'conferenceId' | 'phonePasscode' | 'vanity' | 'pin' | 'code' | 'link';
export type Detail = { readonly kind: DetailKind; readonly value: string };

/** The codes people type or read out, in the order an invitation prints them. */
export function detailsOf(meeting: LinkedMeeting): readonly Detail[] {
  const details: Detail[] = [];
  const add = (kind: DetailKind, value: string | null) => {
    if (value !== null && value !== '') details.push({ kind, value });
  };
  add('meetingId', meeting.meetingId);
  add('passcode', meeting.passcode);
  switch (meeting.provider) {
    case 'teams':
      add('conferenceId', meeting.conferenceId);
      add('link', meeting.webUrl);
      break;
    case 'zoom':
      if (meeting.phonePasscode !== meeting.passcode) add('phonePasscode', meeting.phonePasscode);
      add('vanity', meeting.vanity);
      add('link', meeting.webUrl);
      break;
    case 'meet':
      add('pin', meeting.pin);
      add('link', meeting.webUrl);
      break;
    case 'tandem':
      add('code', meeting.code);
      break;
    default: {
      const unreachable: never = meeting;
      return unreachable;
    }
  }
  return details;
}
