import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * How a person is reachable. `online` (available) and `away` are what their app says; `in_meeting`
 * (busy), `presenting` (sharing their screen in a meeting) and `offline` the server sees (LiveKit
 * webhooks, WebSocket connections); `dnd` (do not disturb) is set by hand and outweighs the others
 * except `offline` and `presenting` (which silences as much and says more), until its time or
 * until turned off. Their order of weight: offline, presenting, dnd, in_meeting, away, online.
 */
export const PresenceStatusSchema = lazySchema(() =>
  z.enum(['online', 'away', 'in_meeting', 'presenting', 'dnd', 'offline']),
);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

/** What people read for each status, wherever it shows (lists, the tray, the status button). */
export const PRESENCE_STATUS_LABELS: Readonly<Record<PresenceStatus, string>> = {
  online: 'Available',
  away: 'Away',
  in_meeting: 'In a meeting',
  presenting: 'Presenting',
  dnd: 'Do not disturb',
  offline: 'Offline',
};

export const PRESENCE_LIMITS = {
  /** A custom status message's length in characters. */
  statusTextChars: 100,
} as const;

export const PresenceSchema = lazySchema(() =>
  z.object({
    userId: IdSchema,
    status: PresenceStatusSchema,
    meetingId: IdSchema.nullable(),
    /** While `dnd`: when it ends by itself; null until turned off (and whenever it is not `dnd`). */
    dndUntil: TimestampSchema.nullable(),
    /** The custom status message the person set ("On leave until Monday"); null without. */
    statusText: z.string().max(PRESENCE_LIMITS.statusTextChars).nullable(),
    updatedAt: TimestampSchema,
  }),
);
export type Presence = z.infer<typeof PresenceSchema>;

export const PresenceListSchema = lazySchema(() => z.object({ presence: z.array(PresenceSchema) }));
export type PresenceList = z.infer<typeof PresenceListSchema>;

/**
 * What a person may say about themselves (PUT /presence), any part of it: `status` (what their app
 * sees: active or idle), do not disturb on or off (`dndUntil`: when it ends by itself, in the
 * future; only with `dnd: true`), a custom status message ('' or null clears it).
 */
export const SetPresenceRequestSchema = lazySchema(() =>
  z
    .strictObject({
      status: z.enum(['online', 'away']).optional(),
      dnd: z.boolean().optional(),
      dndUntil: TimestampSchema.nullable().optional(),
      statusText: z.string().trim().max(PRESENCE_LIMITS.statusTextChars).nullable().optional(),
    })
    .refine((r) => Object.values(r).some((v) => v !== undefined), 'nothing to change')
    .refine((r) => r.dndUntil == null || r.dnd === true, { path: ['dndUntil'], message: 'only with dnd: true' }),
);
export type SetPresenceRequest = z.infer<typeof SetPresenceRequestSchema>;
