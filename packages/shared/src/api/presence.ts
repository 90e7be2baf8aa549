import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * How a person is reachable, as others see it: what they chose by hand (`ChosenStatus`) weighed
 * against what is seen of them. `online` (available) and `away` are what their app says (active,
 * idle); `in_meeting` (in a call), `presenting` (sharing their screen in a meeting) and `offline`
 * the server sees (LiveKit webhooks, WebSocket connections); `busy`, `dnd` (do not disturb) and a
 * chosen `away` are set by hand, until a time or until changed. Their order of weight: offline,
 * presenting, dnd, in_meeting, busy, away, online: a call says more than a chosen busy (and is as
 * busy), presenting more than do not disturb (and silences as much), and a chosen away holds over
 * the app's "active again".
 */
export const PresenceStatusSchema = lazySchema(() =>
  z.enum(['online', 'away', 'busy', 'in_meeting', 'presenting', 'dnd', 'offline']),
);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

/**
 * What a person chose, as Teams offers it: `available` is no choice (what is seen of them shows),
 * the others hold until changed or until their time.
 */
export const ChosenStatusSchema = lazySchema(() => z.enum(['available', 'busy', 'dnd', 'away']));
export type ChosenStatus = z.infer<typeof ChosenStatusSchema>;

export const PRESENCE_LIMITS = {
  /** A custom status message's length in characters. */
  statusTextChars: 100,
} as const;

export const PresenceSchema = lazySchema(() =>
  z.object({
    userId: IdSchema,
    status: PresenceStatusSchema,
    meetingId: IdSchema.nullable(),
    /** What the person chose by hand (`available` when nothing, or once its time came). */
    chosen: ChosenStatusSchema,
    /** When what they chose ends by itself; null until changed (and whenever nothing is chosen). */
    chosenUntil: TimestampSchema.nullable(),
    /** The custom status message the person set ("On leave until Monday"); null without. */
    statusText: z.string().max(PRESENCE_LIMITS.statusTextChars).nullable(),
    updatedAt: TimestampSchema,
  }),
);
export type Presence = z.infer<typeof PresenceSchema>;

/**
 * Merges what was heard into what is known, by person, and answers what changed: a presence older
 * than the one known is dropped (a watch's answer read just before a change can arrive after it,
 * `presence.watched`); the same time replaces (a chosen status that ended by itself is told with
 * the time of the last change).
 */
export function mergePresence(known: Map<string, Presence>, heard: readonly Presence[]): Presence[] {
  const changed = heard.filter((p) => (known.get(p.userId)?.updatedAt ?? '') <= p.updatedAt);
  for (const p of changed) known.set(p.userId, p);
  return changed;
}

/** At most this many people's presence in one page of GET /presence. */
export const PRESENCE_PAGE_LIMIT = 1_000;

/** GET /presence: the organisation's people by id, a page at a time, from after `after` (a page's `next`). */
export const PresenceListQuerySchema = lazySchema(() =>
  z.strictObject({
    after: IdSchema.optional(),
    limit: z.coerce.number().int().min(1).max(PRESENCE_PAGE_LIMIT).optional(),
  }),
);

export const PresenceListSchema = lazySchema(() =>
  z.object({
    presence: z.array(PresenceSchema),
    /** The `after` of the next page; null when this page is the last. */
    next: IdSchema.nullable(),
  }),
);
export type PresenceList = z.infer<typeof PresenceListSchema>;

/**
 * What a person may say about themselves (PUT /presence), any part of it: `status` (what their app
 * sees: active or idle), the status they choose (`chosen`; `available` undoes a choice) with when
 * it ends by itself (`chosenUntil`, in the future; only with a `chosen` other than available), a
 * custom status message ('' or null clears it).
 */
export const SetPresenceRequestSchema = lazySchema(() =>
  z
    .strictObject({
      status: z.enum(['online', 'away']).optional(),
      chosen: ChosenStatusSchema.optional(),
      chosenUntil: TimestampSchema.nullable().optional(),
      statusText: z.string().trim().max(PRESENCE_LIMITS.statusTextChars).nullable().optional(),
    })
    .refine((r) => Object.values(r).some((v) => v !== undefined), 'nothing to change')
    .refine((r) => r.chosenUntil == null || (r.chosen !== undefined && r.chosen !== 'available'), {
      path: ['chosenUntil'],
      message: 'only with chosen: busy, dnd or away',
    }),
);
export type SetPresenceRequest = z.infer<typeof SetPresenceRequestSchema>;
