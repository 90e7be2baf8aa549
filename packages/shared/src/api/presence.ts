import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/** `in_meeting` and `offline` are set by the server (LiveKit webhooks, WebSocket connections). */
export const PresenceStatusSchema = z.enum(['online', 'away', 'in_meeting', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatusSchema>;

export const PresenceSchema = z.object({
  userId: IdSchema,
  status: PresenceStatusSchema,
  meetingId: IdSchema.nullable(),
  updatedAt: TimestampSchema,
});
export type Presence = z.infer<typeof PresenceSchema>;

export const PresenceListSchema = z.object({ presence: z.array(PresenceSchema) });
export type PresenceList = z.infer<typeof PresenceListSchema>;

/** What a client may say about itself. */
export const SetPresenceRequestSchema = z.strictObject({ status: z.enum(['online', 'away']) });
export type SetPresenceRequest = z.infer<typeof SetPresenceRequestSchema>;
