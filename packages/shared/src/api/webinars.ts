import { z } from 'zod';
import { REACTION_EMOJI } from './collab.ts';
import type { Meeting } from './meetings.ts';

/**
 * Where someone sits in a webinar: its hosts and panelists (its invitees, and attendees a host
 * brought on stage) speak; attendees watch, listen, ask and react, and are seen by nobody.
 */
export type WebinarSeat = 'host' | 'panelist' | 'attendee';

/** Pure: the seat of `userId` in the webinar `meeting` (`host`: one of the meeting's hosts). */
export function webinarSeat(
  meeting: Pick<Meeting, 'invitees' | 'webinar'>,
  userId: string,
  host: boolean,
): WebinarSeat {
  if (host) return 'host';
  if (meeting.invitees.includes(userId) || (meeting.webinar?.promoted.includes(userId) ?? false)) return 'panelist';
  return 'attendee';
}

/** Hosts take a webinar on air: the attendees waiting for it are let in. */
export const WebinarLiveRequestSchema = z.strictObject({ live: z.literal(true) });
export type WebinarLiveRequest = z.infer<typeof WebinarLiveRequestSchema>;

/**
 * Hosts bring an attendee on stage (`panelist: true`: they may publish, and everyone sees them)
 * or back to the audience; LiveKit changes their grants in place, they need not join again.
 */
export const WebinarPanelistRequestSchema = z.strictObject({ panelist: z.boolean() });
export type WebinarPanelistRequest = z.infer<typeof WebinarPanelistRequestSchema>;

/** An attendee's reaction; the server rate-limits it and sends it into the room on `WEBINAR_REACTIONS_TOPIC`. */
export const WebinarReactionRequestSchema = z.strictObject({ emoji: z.enum(REACTION_EMOJI) });
export type WebinarReactionRequest = z.infer<typeof WebinarReactionRequestSchema>;

/**
 * The audience's reactions, sent by the server (attendees publish no data): no sender (attendees
 * are not seen), at most `REACTION_RATE` per attendee.
 */
export const WEBINAR_REACTIONS_TOPIC = { topic: 'tandem.webinar.reactions.v1', reliable: true, maxBytes: 200 } as const;

export const WebinarReactionMessageSchema = z.strictObject({
  t: z.literal('audience-reaction'),
  emoji: z.enum(REACTION_EMOJI),
});
export type WebinarReactionMessage = z.infer<typeof WebinarReactionMessageSchema>;
