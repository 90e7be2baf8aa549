import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * Meeting insights (issue 14): who attended a meeting, when and for how long (from LiveKit's
 * participant webhooks), and how long each person spoke (from the transcript's segments); for an
 * organisation's owners and admins, meetings and hours per week and the talk-time balance.
 */

export const AttendeeSchema = lazySchema(() =>
  z.object({
    userId: IdSchema,
    name: z.string(),
    firstJoinedAt: TimestampSchema,
    /** When they last left; null while they are still in the call. */
    lastLeftAt: TimestampSchema.nullable(),
    /** Time in the call, over all their visits (one who rejoined has several). */
    totalMs: z.number().int().nonnegative(),
    visits: z.number().int().positive(),
  }),
);
export type Attendee = z.infer<typeof AttendeeSchema>;

export const TalkTimeSchema = lazySchema(() =>
  z.object({
    /** Null for a speaker who was no person of the organisation (named as heard). */
    userId: IdSchema.nullable(),
    name: z.string(),
    ms: z.number().int().nonnegative(),
    /** Of all the speech transcribed in the meeting (or the period), 0 to 1. */
    share: z.number().min(0).max(1),
  }),
);
export type TalkTime = z.infer<typeof TalkTimeSchema>;

export const MeetingInsightsSchema = lazySchema(() =>
  z.object({
    meetingId: IdSchema,
    /** Earliest arrival first. */
    attendance: z.array(AttendeeSchema),
    /** Most first. */
    talkTime: z.array(TalkTimeSchema),
  }),
);
export type MeetingInsights = z.infer<typeof MeetingInsightsSchema>;

export const OrganisationInsightsQuerySchema = lazySchema(() =>
  z.strictObject({
    weeks: z.coerce.number().int().min(1).max(52).default(12),
  }),
);

export const InsightsWeekSchema = lazySchema(() =>
  z.object({
    /** The Monday the week starts on (UTC), YYYY-MM-DD. */
    weekStart: z.iso.date(),
    /** Meetings someone attended that week. */
    meetings: z.number().int().nonnegative(),
    /** People's time in meetings that week, in hours (two people for an hour: 2). */
    hours: z.number().nonnegative(),
  }),
);
export type InsightsWeek = z.infer<typeof InsightsWeekSchema>;

export const OrganisationInsightsSchema = lazySchema(() =>
  z.object({
    /** Oldest first, the current week last. */
    weeks: z.array(InsightsWeekSchema),
    /** Who spoke how much in the period, most first (at most 12). */
    talkTime: z.array(TalkTimeSchema),
  }),
);
export type OrganisationInsights = z.infer<typeof OrganisationInsightsSchema>;
