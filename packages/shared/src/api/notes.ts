import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimeZoneSchema, TimestampSchema } from './common.ts';
import { DecisionSchema } from './decisions.ts';
import { SpeakerSchema } from './transcripts.ts';

/**
 * Meeting notes (issue 14): a summary and the decisions and action items a meeting's transcript
 * proposes. Nothing here is a decision yet: a person confirms an item (which records it in the
 * decisions log, with a link back to the moment it was said) or dismisses it.
 */

/** `decision`: something agreed; `action`: a task for someone, usually with a due date. */
export const NoteItemKindSchema = lazySchema(() => z.enum(['decision', 'action']));
export type NoteItemKind = z.infer<typeof NoteItemKindSchema>;

/** Proposed until a person confirms it (it becomes a decision) or dismisses it. */
export const NoteItemStatusSchema = lazySchema(() => z.enum(['proposed', 'confirmed', 'dismissed']));
export type NoteItemStatus = z.infer<typeof NoteItemStatusSchema>;

/** Where an item was heard: one transcript segment, and where it lies in the recording when one covers it. */
export const NoteEvidenceSchema = lazySchema(() =>
  z.object({
    segmentId: IdSchema,
    speaker: SpeakerSchema,
    /** The segment's words, quoted as transcribed. */
    text: z.string(),
    startedAt: TimestampSchema,
    endedAt: TimestampSchema,
    /** From the start of the transcript (its first segment), in milliseconds. */
    startMs: z.number().int().nonnegative(),
    endMs: z.number().int().nonnegative(),
    /** The recording that covers the moment and the offset into it; null when none does. */
    recording: z.object({ id: IdSchema, offsetMs: z.number().int().nonnegative() }).nullable(),
  }),
);
export type NoteEvidence = z.infer<typeof NoteEvidenceSchema>;

export const NoteItemSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    kind: NoteItemKindSchema,
    /** What was decided, or the task ("Send the budget"). */
    title: z.string().min(1).max(200),
    /** The person of the meeting it is for, when one was named and found; null otherwise. */
    ownerId: IdSchema.nullable(),
    /** The name as it was heard (kept even when no person of the meeting matched it). */
    ownerName: z.string().nullable(),
    dueDate: z.iso.date().nullable(),
    evidence: z.array(NoteEvidenceSchema).min(1),
    status: NoteItemStatusSchema,
    /** The decision a confirmation recorded; null until then. */
    decisionId: IdSchema.nullable(),
    /** Who confirmed or dismissed it, and when; null while proposed. */
    decidedBy: z.object({ id: IdSchema, name: z.string() }).nullable(),
    decidedAt: TimestampSchema.nullable(),
  }),
);
export type NoteItem = z.infer<typeof NoteItemSchema>;

/** Which provider wrote the notes: the deterministic extractor, or the organisation's language model. */
export const NotesProviderNameSchema = lazySchema(() => z.enum(['extractor', 'llm']));
export type NotesProviderName = z.infer<typeof NotesProviderNameSchema>;

export const MeetingNotesSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    meetingId: IdSchema,
    provider: NotesProviderNameSchema,
    summary: z.string(),
    items: z.array(NoteItemSchema),
    /** The IANA time zone dates like "Friday" were read in. */
    timeZone: z.string(),
    /** How many transcript segments the notes were made from. */
    segmentCount: z.number().int().nonnegative(),
    generatedAt: TimestampSchema,
    /** Who asked for them; null when the meeting's end made them. */
    requestedBy: IdSchema.nullable(),
  }),
);
export type MeetingNotes = z.infer<typeof MeetingNotesSchema>;

/** The meeting's latest notes; null before any were made. */
export const MeetingNotesResultSchema = lazySchema(() => z.object({ notes: MeetingNotesSchema.nullable() }));
export type MeetingNotesResult = z.infer<typeof MeetingNotesResultSchema>;

/** On demand; without `timeZone`, dates are read in the organisation's time zone. */
export const GenerateNotesRequestSchema = lazySchema(() => z.strictObject({ timeZone: TimeZoneSchema.optional() }));
export type GenerateNotesRequest = z.infer<typeof GenerateNotesRequestSchema>;

/** Confirming may correct what was heard: the title, the owner (a person of the organisation) or the due date. */
export const ConfirmNoteItemRequestSchema = lazySchema(() =>
  z.strictObject({
    title: DecisionSchema.shape.title.optional(),
    ownerId: IdSchema.nullable().optional(),
    dueDate: z.iso.date().nullable().optional(),
  }),
);
export type ConfirmNoteItemRequest = z.infer<typeof ConfirmNoteItemRequestSchema>;

export const ConfirmNoteItemResultSchema = lazySchema(() =>
  z.object({ item: NoteItemSchema, decision: DecisionSchema }),
);
export type ConfirmNoteItemResult = z.infer<typeof ConfirmNoteItemResultSchema>;

export const NoteItemParamsSchema = lazySchema(() =>
  z.object({ meetingId: IdSchema, notesId: IdSchema, itemId: IdSchema }),
);

/**
 * What an OpenAI-compatible model must answer (the `response_format` JSON schema the server sends
 * says the same): items refer to transcript segments by their index in the prompt.
 */
export const LlmNotesSchema = lazySchema(() =>
  z.strictObject({
    summary: z.string().max(4000),
    items: z
      .array(
        z.strictObject({
          kind: NoteItemKindSchema,
          title: z.string().trim().min(1).max(200),
          owner: z.string().max(100).nullable(),
          /** YYYY-MM-DD, already resolved against the segment's date. */
          dueDate: z.iso.date().nullable(),
          segments: z.array(z.number().int().nonnegative()).min(1).max(10),
        }),
      )
      .max(100),
  }),
);
export type LlmNotes = z.infer<typeof LlmNotesSchema>;
