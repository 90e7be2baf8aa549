import { parseMeetingLink, type LinkedMeeting, type LinkParseResult } from '@tandem/shared';
import type { ProviderEvent } from './model.ts';

/** A provider's calendar event with the meeting it links to, for the home screen's Join button. */
export type CalendarEntry = ProviderEvent & { readonly linked: LinkedMeeting | null };

/**
 * Detects the linked meeting of each event. The provider's structured join link comes first,
 * so it wins over other links in the text; location and body follow because invitations
 * forwarded from other tools carry their link, meeting ID and dial-in numbers only there.
 */
export function calendarEntries(
  events: readonly ProviderEvent[],
  recognise: (text: string) => LinkParseResult = parseMeetingLink,
): readonly CalendarEntry[] {
  return events.map((event) => {
    const text = [event.joinUrl, event.location, event.bodyText].filter((part) => part !== null).join('\n');
    const result = recognise(text);
    return { ...event, linked: result.ok ? result.meeting : null };
  });
}
