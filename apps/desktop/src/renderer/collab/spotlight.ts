import { z } from 'zod';

/**
 * Spotlight = a host pins one participant's camera for everyone. It travels as a reliable LiveKit
 * data message from a host (receivers ignore it from anyone else) rather than room metadata,
 * because room metadata can only be written with the server's admin key and the pin is a view
 * choice, not meeting state. Someone joining later does not get the current spotlight.
 */
export const SPOTLIGHT_TOPIC = { topic: 'tandem.spotlight.v1', reliable: true } as const;

export const SpotlightMessageSchema = z.strictObject({
  t: z.literal('spotlight'),
  /** The tile key (identity:source) to pin, or null to release. */
  tile: z.string().min(1).max(300).nullable(),
});
export type SpotlightMessage = z.infer<typeof SpotlightMessageSchema>;
