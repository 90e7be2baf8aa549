import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { ChangesPageFields, changesQuery, ClientIdSchema, IdSchema, TimestampSchema } from './common.ts';

export const DecisionStatusSchema = lazySchema(() => z.enum(['proposed', 'agreed', 'in_progress', 'done', 'dropped']));
export type DecisionStatus = z.infer<typeof DecisionStatusSchema>;

const DateOnly = lazySchema(() => z.iso.date());

/** The fields a person edits; every change to them is kept in the decision's history. */
const DecisionFields = {
  title: lazySchema(() => z.string().trim().min(1).max(200)),
  detail: lazySchema(() => z.string().max(10_000)),
  outcome: lazySchema(() => z.string().max(10_000)),
  ownerId: lazySchema(() => IdSchema.nullable()),
  dueDate: lazySchema(() => DateOnly.nullable()),
  status: DecisionStatusSchema,
};

/**
 * The moment of a meeting a decision was taken from, when a person confirmed it from the
 * meeting's notes: the transcript segment, and the recording's offset when one covers it.
 */
export const DecisionMomentSchema = lazySchema(() =>
  z.object({
    segmentId: IdSchema,
    startedAt: TimestampSchema,
    recordingId: IdSchema.nullable(),
    recordingOffsetMs: z.number().int().nonnegative().nullable(),
  }),
);
export type DecisionMoment = z.infer<typeof DecisionMomentSchema>;

export const DecisionSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    organisationId: IdSchema,
    ...DecisionFields,
    meetingId: IdSchema.nullable(),
    /** The chat message the decision was taken from. */
    message: z.object({ conversationId: IdSchema, messageId: ClientIdSchema }).nullable(),
    /** Where in its meeting it was said (from confirmed notes); null otherwise, and in records older than notes. */
    moment: DecisionMomentSchema.nullable().default(null),
    /** Starts at 1, +1 per change. */
    version: z.number().int().positive(),
    createdBy: IdSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  }),
);
export type Decision = z.infer<typeof DecisionSchema>;

export const DecisionChangeSchema = lazySchema(() =>
  z.object({
    decisionId: IdSchema,
    version: z.number().int().positive(),
    changedBy: IdSchema,
    changedAt: TimestampSchema,
    /** Field name → value after the change (the full record for version 1). */
    changes: z.object(DecisionFields).partial(),
  }),
);
export type DecisionChange = z.infer<typeof DecisionChangeSchema>;

export const DecisionWithHistorySchema = lazySchema(() =>
  z.object({
    decision: DecisionSchema,
    history: z.array(DecisionChangeSchema),
  }),
);
export type DecisionWithHistory = z.infer<typeof DecisionWithHistorySchema>;

/** Idempotent by clientId, like chat sends, so an offline outbox can resend it. */
export const CreateDecisionRequestSchema = lazySchema(() =>
  z.strictObject({
    clientId: ClientIdSchema,
    title: DecisionFields.title,
    detail: DecisionFields.detail.default(''),
    outcome: DecisionFields.outcome.default(''),
    ownerId: DecisionFields.ownerId.default(null),
    dueDate: DecisionFields.dueDate.default(null),
    status: DecisionFields.status.default('proposed'),
    meetingId: IdSchema.nullable().default(null),
    message: z.strictObject({ conversationId: IdSchema, messageId: ClientIdSchema }).nullable().default(null),
  }),
);
export type CreateDecisionRequest = z.input<typeof CreateDecisionRequestSchema>;

/** Only the given fields change. With `expectedVersion` the update fails with 409 if someone changed it first. */
export const UpdateDecisionRequestSchema = lazySchema(() =>
  z.strictObject({
    ...z.object(DecisionFields).partial().shape,
    expectedVersion: z.number().int().positive().optional(),
  }),
);
export type UpdateDecisionRequest = z.infer<typeof UpdateDecisionRequestSchema>;

/** The most decisions one page of `GET /decisions` holds when a client asks for pages (`limit`). */
export const DECISION_PAGE_LIMIT = 500;

/**
 * `GET /decisions`: the organisation's decisions (of one meeting, with `meetingId`), read by
 * changes (`changesQuery`): a new decision and each new version of one move it to the end.
 */
export const DecisionQuerySchema = lazySchema(() =>
  z.strictObject({ meetingId: IdSchema.optional(), ...changesQuery(DECISION_PAGE_LIMIT) }),
);
export type DecisionQuery = z.infer<typeof DecisionQuerySchema>;

export const DecisionListSchema = lazySchema(() =>
  z.object({ decisions: z.array(DecisionSchema), ...ChangesPageFields }),
);
export type DecisionList = z.infer<typeof DecisionListSchema>;
