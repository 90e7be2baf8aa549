import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema } from './common.ts';

/**
 * Participant suggestions when scheduling (issue 14): people of the organisation who usually
 * attend meetings on the topic of the one being planned, and owners of open decisions about it.
 */
export const ParticipantSuggestionQuerySchema = lazySchema(() =>
  z.object({
    /** What the meeting is about: its title as typed so far. */
    topic: z.string().trim().min(1).max(200),
    limit: z.coerce.number().int().min(1).max(20).default(8),
  }),
);
export type ParticipantSuggestionQuery = z.infer<typeof ParticipantSuggestionQuerySchema>;

/**
 * Why someone is suggested: they attended `count` recent meetings whose titles share the words
 * `topic` with it (the words, not the titles: a meeting's title is its people's to read), or
 * they own `count` open decisions about it, `decisionTitle` the most related.
 */
export const SuggestionReasonSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('attended'), count: z.number().int().min(1), topic: z.array(z.string()).min(1) }),
    z.object({ kind: z.literal('decisionOwner'), count: z.number().int().min(1), decisionTitle: z.string() }),
  ]),
);
export type SuggestionReason = z.infer<typeof SuggestionReasonSchema>;

export const ParticipantSuggestionSchema = lazySchema(() =>
  z.object({
    user: z.object({ id: IdSchema, name: z.string() }),
    /** Higher is more related; only the order is meant to be read. */
    score: z.number().nonnegative(),
    reasons: z.array(SuggestionReasonSchema).min(1),
  }),
);
export type ParticipantSuggestion = z.infer<typeof ParticipantSuggestionSchema>;

/** Best first; never the caller, guests or deactivated people. */
export const ParticipantSuggestionsSchema = lazySchema(() =>
  z.object({ suggestions: z.array(ParticipantSuggestionSchema) }),
);
export type ParticipantSuggestions = z.infer<typeof ParticipantSuggestionsSchema>;
