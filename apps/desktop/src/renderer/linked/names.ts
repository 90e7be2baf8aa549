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

export type Detail = { readonly label: string; readonly value: string };

/** The codes people type or read out, in the order an invitation prints them. */
export function detailsOf(meeting: LinkedMeeting): readonly Detail[] {
  const details: Detail[] = [];
  const add = (label: string, value: string | null) => {
    if (value !== null && value !== '') details.push({ label, value });
  };
  add('Meeting ID', meeting.meetingId);
  add('Passcode', meeting.passcode);
  switch (meeting.provider) {
    case 'teams':
      add('Phone conference ID', meeting.conferenceId);
      add('Link', meeting.webUrl);
      break;
    case 'zoom':
      if (meeting.phonePasscode !== meeting.passcode) add('Phone passcode', meeting.phonePasscode);
      add('Personal link', meeting.vanity);
      add('Link', meeting.webUrl);
      break;
    case 'meet':
      add('PIN', meeting.pin);
      add('Link', meeting.webUrl);
      break;
    case 'tandem':
      add('Code', meeting.code);
      break;
    default: {
      const unreachable: never = meeting;
      return unreachable;
    }
  }
  return details;
}
