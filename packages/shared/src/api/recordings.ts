import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * A recording's life: `starting` (the host asked; the recorder is joining), `recording` (the
 * recorder writes), `stopping` (asked to stop; the file is being finished), then `ready` or
 * `failed`. A failed recording keeps what the recorder wrote before it failed (`sizeBytes` > 0).
 */
export const RecordingStatusSchema = lazySchema(() => z.enum(['starting', 'recording', 'stopping', 'ready', 'failed']));
export type RecordingStatus = z.infer<typeof RecordingStatusSchema>;

/** The statuses during which the meeting is being recorded: everyone in it is told. */
export const ACTIVE_RECORDING_STATUSES = ['starting', 'recording'] as const satisfies readonly RecordingStatus[];

export const RecordingSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    meetingId: IdSchema,
    status: RecordingStatusSchema,
    /** The host who started it, named as they were then. */
    startedBy: z.object({ id: IdSchema, name: z.string() }),
    /** When the host asked for it. */
    createdAt: TimestampSchema,
    /** When the recorder began writing; null until then (and for one that failed before). */
    startedAt: TimestampSchema.nullable(),
    /** When it was stopped or failed; null while it runs. */
    endedAt: TimestampSchema.nullable(),
    /** Of the stored file, as ffprobe reads it; null until the file is finished. */
    durationMs: z.number().int().nonnegative().nullable(),
    sizeBytes: z.number().int().nonnegative().nullable(),
    /** Why it failed, in words for people; null unless `failed` (whether a part was kept: `sizeBytes`). */
    failure: z.string().nullable(),
    /** When the organisation's retention period deletes it; null while it is being made. */
    expiresAt: TimestampSchema.nullable(),
  }),
);
export type Recording = z.infer<typeof RecordingSchema>;

/** What finding a moment in a recording reads of it. */
type RecordingSpan = Pick<Recording, 'id' | 'status' | 'startedAt' | 'endedAt' | 'sizeBytes'>;

/** The part of a recording that can be played back: it began writing, and kept (or keeps) a file. */
const playable = (r: RecordingSpan): r is RecordingSpan & { startedAt: string } =>
  r.startedAt !== null && (r.status !== 'failed' || (r.sizeBytes ?? 0) > 0);

/**
 * The recording that covers the instant (ms since the epoch) and the offset into it, or null:
 * where a quoted moment (a note's evidence, a transcript segment) plays from.
 */
export function recordingAt(
  recordings: readonly RecordingSpan[],
  at: number,
): { readonly id: string; readonly offsetMs: number } | null {
  for (const r of recordings) {
    if (!playable(r)) continue;
    const start = Date.parse(r.startedAt);
    const end = r.endedAt === null ? Number.POSITIVE_INFINITY : Date.parse(r.endedAt);
    if (at >= start && at <= end) return { id: r.id, offsetMs: at - start };
  }
  return null;
}

/**
 * Why the server will not record a meeting: it is end-to-end encrypted (the server cannot see its
 * media), the organisation turned recording off, or IT turned it off on this server.
 */
export const RecordingUnavailableSchema = lazySchema(() => z.enum(['e2ee', 'organisation', 'policy']));
export type RecordingUnavailable = z.infer<typeof RecordingUnavailableSchema>;

export const RecordingListSchema = lazySchema(() =>
  z.object({
    /** Newest first. */
    recordings: z.array(RecordingSchema),
    /** Null when a host may start a recording (as far as the meeting and its organisation go). */
    unavailable: RecordingUnavailableSchema.nullable(),
  }),
);
export type RecordingList = z.infer<typeof RecordingListSchema>;

/**
 * A short-lived address of the recording's file, for a `<video>` element (it seeks with HTTP
 * Range requests) or a download; it carries its own credential, so no bearer header is needed.
 */
export const RecordingLinkSchema = lazySchema(() =>
  z.object({
    url: z.string(),
    downloadUrl: z.string(),
    expiresAt: TimestampSchema,
  }),
);
export type RecordingLink = z.infer<typeof RecordingLinkSchema>;

/** How many days an organisation keeps recordings at most and at least. */
export const RECORDING_RETENTION_DAYS = { min: 1, max: 3650, default: 90 } as const;
