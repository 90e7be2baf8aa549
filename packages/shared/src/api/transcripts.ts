import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/** The LiveKit data topic captions travel on (JSON of CaptionMessageSchema, UTF-8). */
export const CAPTIONS_TOPIC = 'tandem.captions';

/**
 * Whether speech works on the server (for /healthz): `starting` while the model loads, `ready`,
 * `unavailable` with why in words for IT (the model is not installed, the sidecar keeps failing),
 * or `off` when IT turned transcription off.
 */
export const SpeechStatusSchema = lazySchema(() =>
  z.discriminatedUnion('state', [
    z.object({ state: z.literal('starting') }),
    z.object({ state: z.literal('ready'), model: z.string() }),
    z.object({ state: z.literal('unavailable'), reason: z.string() }),
    z.object({ state: z.literal('off') }),
  ]),
);
export type SpeechStatus = z.infer<typeof SpeechStatusSchema>;

/** Who spoke a segment: the microphone's participant, named as they were then. */
export const SpeakerSchema = lazySchema(() => z.object({ userId: IdSchema.nullable(), name: z.string() }));
export type Speaker = z.infer<typeof SpeakerSchema>;

/** One utterance of the transcript: what a person said between a pause and the next. */
export const TranscriptSegmentSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    meetingId: IdSchema,
    speaker: SpeakerSchema,
    startedAt: TimestampSchema,
    endedAt: TimestampSchema,
    text: z.string(),
  }),
);
export type TranscriptSegment = z.infer<typeof TranscriptSegmentSchema>;

/**
 * A caption as it reaches the call: the stored segment, sent the moment it is transcribed.
 * `utterance` names the interim captions it replaces (absent from servers before them).
 */
export const CaptionSchema = lazySchema(() =>
  z.object({
    type: z.literal('caption'),
    segment: TranscriptSegmentSchema,
    utterance: z.string().min(1).max(300).optional(),
  }),
);
export type Caption = z.infer<typeof CaptionSchema>;

/**
 * An interim caption: an utterance's words so far while its speaker goes on, replaced by a later
 * one of the same utterance and by its caption. Never stored.
 */
export const PartialCaptionSchema = lazySchema(() =>
  z.object({
    type: z.literal('partial'),
    utterance: z.string().min(1).max(300),
    meetingId: IdSchema,
    speaker: SpeakerSchema,
    startedAt: TimestampSchema,
    text: z.string(),
  }),
);
export type PartialCaption = z.infer<typeof PartialCaptionSchema>;

/** What travels on CAPTIONS_TOPIC. */
export const CaptionMessageSchema = lazySchema(() =>
  z.discriminatedUnion('type', [CaptionSchema, PartialCaptionSchema]),
);
export type CaptionMessage = z.infer<typeof CaptionMessageSchema>;

/**
 * Why a meeting has no live captions: the speech model is not installed on the server (`model`),
 * the organisation or IT turned transcription off, or the meeting is end-to-end encrypted.
 */
export const CaptionsUnavailableSchema = lazySchema(() => z.enum(['model', 'organisation', 'policy', 'e2ee']));
export type CaptionsUnavailable = z.infer<typeof CaptionsUnavailableSchema>;

export const CaptionsStatusSchema = lazySchema(() =>
  z.object({
    /** Null when the meeting is transcribed (captions appear for whoever turns them on). */
    unavailable: CaptionsUnavailableSchema.nullable(),
  }),
);
export type CaptionsStatus = z.infer<typeof CaptionsStatusSchema>;

export const TranscriptQuerySchema = lazySchema(() =>
  z.object({
    /** Only segments containing these words (case-insensitive). */
    q: z.string().trim().min(1).max(200).optional(),
  }),
);

/** A meeting's transcript, oldest first. */
export const TranscriptSchema = lazySchema(() => z.object({ segments: z.array(TranscriptSegmentSchema) }));
export type Transcript = z.infer<typeof TranscriptSchema>;

/**
 * GET /transcripts/search: segments containing `q`, newest first. Filters, all optional, applied
 * before the limit: `from` (who spoke it), `after`/`before` (begun at or after, before).
 */
export const TranscriptSearchQuerySchema = lazySchema(() =>
  z.object({
    q: z.string().trim().min(1).max(200),
    from: IdSchema.optional(),
    after: TimestampSchema.optional(),
    before: TimestampSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  }),
);
/** The query as the server reads it (defaults applied). */
export type TranscriptSearchParams = z.output<typeof TranscriptSearchQuerySchema>;

/** Segments of every meeting the caller may read that contain the words, newest first. */
export const TranscriptSearchResultSchema = lazySchema(() =>
  z.object({
    hits: z.array(z.object({ meetingTitle: z.string(), segment: TranscriptSegmentSchema })),
  }),
);
export type TranscriptSearchResult = z.infer<typeof TranscriptSearchResultSchema>;

/**
 * How long after a meeting's transcriber left its call the last segments may still be stored
 * (what each microphone said last is transcribed then); the server drops any later. A client that
 * keeps an ended meeting's transcript reads it again once this has passed.
 */
export const TRANSCRIPT_LATE_MS = 60_000;

/** `GET /meetings/<id>/transcript/export?format=txt|vtt` (bearer). */
export const TranscriptExportQuerySchema = lazySchema(() =>
  z.object({ format: z.enum(['txt', 'vtt']).default('txt') }),
);
export type TranscriptExportFormat = z.infer<typeof TranscriptExportQuerySchema>['format'];
