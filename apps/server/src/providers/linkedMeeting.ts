import { parseMeetingLink, toE164, type LinkedMeeting } from '@tandem/shared';
import type { ProviderMeeting } from './model.ts';
import { ProviderError, type ProviderId } from './providerError.ts';

const PROVIDER_OF: Readonly<Record<ProviderMeeting['platform'], ProviderId>> = {
  teams: 'microsoft',
  zoom: 'zoom',
  meet: 'google',
};

/**
 * The shared LinkedMeeting record (what the UI shows and the desktop joins) for a meeting a
 * provider created. The join link is read by the shared recogniser, so link-derived fields
 * (Teams thread and tenant, Zoom host and pwd token) are the same as for a pasted link; the
 * API's own values then win for codes and phone bridges, since they are authoritative.
 */
export function linkedMeetingOf(meeting: ProviderMeeting): LinkedMeeting {
  const recognised = parseMeetingLink(meeting.joinUrl);
  if (!recognised.ok || recognised.meeting.provider !== meeting.platform) {
    throw new ProviderError(
      PROVIDER_OF[meeting.platform],
      'bad_response',
      `join link is not a ${meeting.platform} meeting`,
    );
  }
  const dialIns = meeting.dialIns.map((dialIn) => ({
    e164: toE164(dialIn.number),
    raw: dialIn.number,
    label: [dialIn.label, dialIn.tollFree ? 'toll-free' : null].filter((part) => part !== null).join(', ') || null,
  }));
  const overlay = { meetingId: meeting.meetingId, passcode: meeting.passcode, dialIns };
  const linked = recognised.meeting;
  switch (meeting.platform) {
    case 'teams':
      return linked.provider === 'teams'
        ? { ...linked, ...overlay, conferenceId: meeting.conferenceId, sipBridge: meeting.sipBridge }
        : linked;
    case 'zoom':
      return linked.provider === 'zoom'
        ? { ...linked, ...overlay, phonePasscode: meeting.phonePasscode, sipBridge: meeting.sipBridge }
        : linked;
    case 'meet':
      return linked.provider === 'meet' ? { ...linked, ...overlay, pin: meeting.pin } : linked;
    default: {
      const unreachable: never = meeting;
      return unreachable;
    }
  }
}
