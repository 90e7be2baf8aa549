import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { TimestampSchema } from './common.ts';

/**
 * Recurring meetings (issue 22). A series is one meeting whose `startsAt`/`endsAt` are its first
 * occurrence, scheduled in the meeting's IANA `timeZone`, and whose rule the server stores as an
 * RFC 5545 RRULE. Occurrences keep their wall-clock time in that zone across daylight-saving
 * changes: a weekly 09:00 Berlin meeting is at 09:00 Berlin in winter and in summer.
 */

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export const WeekdaySchema = lazySchema(() => z.enum(WEEKDAYS));
export type Weekday = z.infer<typeof WeekdaySchema>;

/** A calendar date in the meeting's zone, `YYYY-MM-DD`. */
export const LocalDateSchema = lazySchema(() => z.iso.date());

export const RecurrenceEndSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('never') }),
    /** After this many occurrences (cancelled ones count, as in RFC 5545). */
    z.strictObject({ type: z.literal('count'), count: z.number().int().min(1).max(999) }),
    /** Through this date in the meeting's zone (its last occurrence is on or before it). */
    z.strictObject({ type: z.literal('until'), until: LocalDateSchema }),
  ]),
);
export type RecurrenceEnd = z.infer<typeof RecurrenceEndSchema>;

/**
 * How a series repeats. Weekly: on `weekdays` (the first occurrence's weekday when absent).
 * Monthly and yearly: on the first occurrence's day of the month (`on: 'date'`), or on its weekday
 * in week `week` of the month (`on: 'weekday'`: 1–4, or -1 for the last, as in "last Friday").
 * Yearly repeats in the first occurrence's month.
 */
export const RecurrenceSchema = lazySchema(() =>
  z
    .strictObject({
      frequency: z.enum(['daily', 'weekly', 'monthly', 'yearly']),
      interval: z.number().int().min(1).max(99).default(1),
      weekdays: z.array(WeekdaySchema).min(1).max(7).optional(),
      monthly: z
        .discriminatedUnion('on', [
          z.strictObject({ on: z.literal('date') }),
          z.strictObject({ on: z.literal('weekday'), week: z.union([z.literal(-1), z.number().int().min(1).max(4)]) }),
        ])
        .optional(),
      end: RecurrenceEndSchema.default({ type: 'never' }),
    })
    .superRefine((r, ctx) => {
      if (r.weekdays !== undefined && r.frequency !== 'weekly')
        ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'weekdays are for weekly series' });
      if (r.weekdays !== undefined && new Set(r.weekdays).size !== r.weekdays.length)
        ctx.addIssue({ code: 'custom', path: ['weekdays'], message: 'a weekday is given twice' });
      if (r.monthly !== undefined && r.frequency !== 'monthly' && r.frequency !== 'yearly')
        ctx.addIssue({
          code: 'custom',
          path: ['monthly'],
          message: 'only monthly and yearly series fall on a weekday',
        });
    }),
);
export type Recurrence = z.infer<typeof RecurrenceSchema>;
export type RecurrenceInput = z.input<typeof RecurrenceSchema>;

/** One occurrence of a meeting, series or not. */
export const OccurrenceSchema = lazySchema(() =>
  z.object({
    meetingId: z.uuid(),
    /** The occurrence's start by the series' rule: what names it, even once moved. */
    occurrenceId: TimestampSchema,
    startsAt: TimestampSchema,
    endsAt: TimestampSchema,
    title: z.string(),
    /** Moved, retitled or cancelled on its own ("this occurrence"). */
    changed: z.boolean(),
    cancelled: z.boolean(),
  }),
);
export type Occurrence = z.infer<typeof OccurrenceSchema>;

export const OccurrenceQuerySchema = lazySchema(() =>
  z
    .object({ from: TimestampSchema, to: TimestampSchema })
    .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 400 * 24 * 3600_000, {
      message: 'at most 400 days at a time',
      path: ['to'],
    }),
);
export type OccurrenceQuery = z.infer<typeof OccurrenceQuerySchema>;

export const OccurrenceListSchema = lazySchema(() => z.object({ occurrences: z.array(OccurrenceSchema) }));
export type OccurrenceList = z.infer<typeof OccurrenceListSchema>;

export const EditScopeSchema = lazySchema(() => z.enum(['this', 'following', 'series']));
export type EditScope = z.infer<typeof EditScopeSchema>;

/**
 * Changes one occurrence of a series, or it and those after it (the series is split in two: the
 * earlier part ends before it, a new meeting carries the rest), or the whole series (a moved time
 * moves every occurrence by as much on the wall clock). `cancelled: true` cancels instead.
 */
export const EditOccurrenceRequestSchema = lazySchema(() =>
  z
    .strictObject({
      scope: EditScopeSchema,
      title: z.string().trim().min(1).max(200).optional(),
      startsAt: TimestampSchema.optional(),
      endsAt: TimestampSchema.optional(),
      cancelled: z.literal(true).optional(),
    })
    .refine(
      (r) => r.cancelled === undefined || (r.title === undefined && r.startsAt === undefined && r.endsAt === undefined),
      {
        message: 'a cancellation changes nothing else',
      },
    ),
);
export type EditOccurrenceRequest = z.infer<typeof EditOccurrenceRequestSchema>;

export const OccurrenceParamsSchema = lazySchema(() =>
  z.object({ meetingId: z.uuid(), occurrenceId: TimestampSchema }),
);

/**
 * Why a provider cannot keep a series as its own (checked before anything is created there):
 * Zoom repeats daily (every 1–90 days), weekly (1–12 weeks) or monthly (1–3 months), never
 * yearly, and only up to an end (at most 60 occurrences, or a date). Microsoft Graph and Google
 * Calendar keep every series the recurrence editor makes. Null: the provider keeps it.
 */
export type SeriesRefusal =
  | { readonly reason: 'yearly' }
  | { readonly reason: 'endless'; readonly limit: number }
  | { readonly reason: 'count'; readonly limit: number }
  | { readonly reason: 'interval'; readonly limit: number; readonly frequency: 'daily' | 'weekly' | 'monthly' };

const ZOOM_MAX_INTERVAL = { daily: 90, weekly: 12, monthly: 3 } as const;
const ZOOM_MAX_OCCURRENCES = 60;

export function seriesRefusal(provider: 'microsoft' | 'zoom' | 'google', recurrence: Recurrence): SeriesRefusal | null {
  if (provider !== 'zoom') return null;
  const { frequency } = recurrence;
  if (frequency === 'yearly') return { reason: 'yearly' };
  if (recurrence.interval > ZOOM_MAX_INTERVAL[frequency])
    return { reason: 'interval', limit: ZOOM_MAX_INTERVAL[frequency], frequency };
  if (recurrence.end.type === 'never') return { reason: 'endless', limit: ZOOM_MAX_OCCURRENCES };
  if (recurrence.end.type === 'count' && recurrence.end.count > ZOOM_MAX_OCCURRENCES)
    return { reason: 'count', limit: ZOOM_MAX_OCCURRENCES };
  return null;
}
