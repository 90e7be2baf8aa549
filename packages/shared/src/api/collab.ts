import { lazySchema } from '../lazySchema.ts';
/**
 * In-meeting collaboration: breakout rooms, the hand-raise queue, polls and Q&A (persisted by the
 * coordination server, delivered over the WebSocket), and the LiveKit data topics of the
 * ephemeral signals (reactions, hand-raise hints) that never touch the server.
 *
 * Who hears what on the WebSocket: a meeting's "audience" is its hosts, everyone whose lobby
 * entry is `admitted`, and everyone assigned to one of its breakout rooms.
 */
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';
import { LivekitConnectionSchema } from './meetings.ts';

const Text = (max: number) => z.string().trim().min(1).max(max);

// Breakout rooms

export const BREAKOUT_LIMITS = { rooms: 50, assignments: 1000, nameChars: 80, messageChars: 1000 } as const;

export const BreakoutRoomSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    name: z.string(),
    /** The LiveKit room; derived from the meeting and room ids, so it never collides across meetings. */
    livekitRoom: z.string(),
    participantIds: z.array(IdSchema),
  }),
);
export type BreakoutRoom = z.infer<typeof BreakoutRoomSchema>;

/** `draft`: rooms and assignments being prepared; `open`: people are in them; `closed`: everyone is back. */
export const BreakoutStatusSchema = lazySchema(() => z.enum(['draft', 'open', 'closed']));
export type BreakoutStatus = z.infer<typeof BreakoutStatusSchema>;

export const HelpRequestSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    roomId: IdSchema,
    userId: IdSchema,
    name: z.string(),
    createdAt: TimestampSchema,
  }),
);
export type HelpRequest = z.infer<typeof HelpRequestSchema>;

/** One set of breakout rooms per meeting; creating a new set replaces a draft or closed one. */
export const BreakoutSessionSchema = lazySchema(() =>
  z.object({
    meetingId: IdSchema,
    status: BreakoutStatusSchema,
    /** Participants may pick their own room (POST …/breakouts/choose). */
    allowChoose: z.boolean(),
    rooms: z.array(BreakoutRoomSchema),
    /** When set and open, the server closes the rooms at this instant. */
    endsAt: TimestampSchema.nullable(),
    /** Newest last; cleared when the rooms close. */
    helpRequests: z.array(HelpRequestSchema),
    updatedAt: TimestampSchema,
  }),
);
export type BreakoutSession = z.infer<typeof BreakoutSessionSchema>;

export const CreateBreakoutsRequestSchema = lazySchema(() =>
  z.strictObject({
    rooms: z
      .array(z.strictObject({ name: Text(BREAKOUT_LIMITS.nameChars) }))
      .min(1)
      .max(BREAKOUT_LIMITS.rooms),
    allowChoose: z.boolean().default(false),
  }),
);
export type CreateBreakoutsRequest = z.input<typeof CreateBreakoutsRequestSchema>;

/**
 * `manual` changes only the people it names (`roomId: null` unassigns); `auto` replaces every
 * assignment with an even spread of `userIds` that is the same for the same seed (see `autoAssign`).
 */
export const AssignBreakoutsRequestSchema = lazySchema(() =>
  z.discriminatedUnion('mode', [
    z.strictObject({
      mode: z.literal('manual'),
      assignments: z
        .array(z.strictObject({ userId: IdSchema, roomId: IdSchema.nullable() }))
        .min(1)
        .max(BREAKOUT_LIMITS.assignments),
    }),
    z.strictObject({
      mode: z.literal('auto'),
      userIds: z.array(IdSchema).min(1).max(BREAKOUT_LIMITS.assignments),
      seed: Text(100),
    }),
  ]),
);
export type AssignBreakoutsRequest = z.infer<typeof AssignBreakoutsRequestSchema>;

export const ChooseBreakoutRequestSchema = lazySchema(() => z.strictObject({ roomId: IdSchema }));
export type ChooseBreakoutRequest = z.infer<typeof ChooseBreakoutRequestSchema>;

const Countdown = lazySchema(() =>
  z
    .number()
    .int()
    .min(10)
    .max(24 * 60 * 60),
);

export const OpenBreakoutsRequestSchema = lazySchema(() =>
  z.strictObject({
    /** Closes the rooms automatically after this many seconds. */
    durationSeconds: Countdown.optional(),
  }),
);
export type OpenBreakoutsRequest = z.infer<typeof OpenBreakoutsRequestSchema>;

export const BreakoutCountdownRequestSchema = lazySchema(() => z.strictObject({ seconds: Countdown }));
export type BreakoutCountdownRequest = z.infer<typeof BreakoutCountdownRequestSchema>;

export const BreakoutBroadcastRequestSchema = lazySchema(() =>
  z.strictObject({ message: Text(BREAKOUT_LIMITS.messageChars) }),
);
export type BreakoutBroadcastRequest = z.infer<typeof BreakoutBroadcastRequestSchema>;

/** The caller's place: their room while the rooms are open, with the connection to use (after a drop too). */
export const BreakoutAssignmentSchema = lazySchema(() =>
  z.object({
    status: BreakoutStatusSchema.nullable(),
    room: BreakoutRoomSchema.nullable(),
    /** Present only while open and assigned; otherwise the main room is joined with POST …/join. */
    livekit: LivekitConnectionSchema.nullable(),
  }),
);
export type BreakoutAssignment = z.infer<typeof BreakoutAssignmentSchema>;

/** FNV-1a: a stable 32-bit number from the seed text. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** mulberry32: small, seedable, good enough to shuffle people fairly. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Spreads people over rooms so that room sizes differ by at most one. The result depends only on
 * the sets of people and rooms and the seed, not on the order they are given in.
 */
export function autoAssign(
  userIds: readonly string[],
  roomIds: readonly string[],
  seed: string,
): readonly { readonly userId: string; readonly roomId: string }[] {
  if (roomIds.length === 0) return [];
  const people = [...new Set(userIds)].sort();
  const next = random(hash32(seed));
  for (let i = people.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [people[i], people[j]] = [people[j] as string, people[i] as string];
  }
  return people.map((userId, i) => ({ userId, roomId: roomIds[i % roomIds.length] as string }));
}

// Hand raise

export const RaisedHandSchema = lazySchema(() =>
  z.object({ userId: IdSchema, name: z.string(), raisedAt: TimestampSchema }),
);
export type RaisedHand = z.infer<typeof RaisedHandSchema>;

/** The queue in order: first raised first; equal times in the order the server received them. */
export const HandQueueSchema = lazySchema(() => z.object({ meetingId: IdSchema, hands: z.array(RaisedHandSchema) }));
export type HandQueue = z.infer<typeof HandQueueSchema>;

export const LowerHandRequestSchema = lazySchema(() =>
  z.strictObject({
    /** Someone else's hand (hosts only); one's own by default. */
    userId: IdSchema.optional(),
  }),
);
export type LowerHandRequest = z.infer<typeof LowerHandRequestSchema>;

// Polls

export const POLL_LIMITS = { options: 10, optionChars: 200, questionChars: 500 } as const;

export const PollStatusSchema = lazySchema(() => z.enum(['draft', 'open', 'closed']));
export type PollStatus = z.infer<typeof PollStatusSchema>;

export const PollOptionResultSchema = lazySchema(() =>
  z.object({
    text: z.string(),
    votes: z.number().int().nonnegative(),
    /** Who chose this option; null in an anonymous poll, where the server never tells. */
    voterIds: z.array(IdSchema).nullable(),
  }),
);
export type PollOptionResult = z.infer<typeof PollOptionResultSchema>;

export const PollSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    meetingId: IdSchema,
    question: z.string(),
    /** In the order they were given; votes name them by index. */
    options: z.array(PollOptionResultSchema),
    multiple: z.boolean(),
    anonymous: z.boolean(),
    status: PollStatusSchema,
    /** People who voted (each once), whatever the number of options they chose. */
    voterCount: z.number().int().nonnegative(),
    createdBy: IdSchema,
    createdAt: TimestampSchema,
    closedAt: TimestampSchema.nullable(),
  }),
);
export type Poll = z.infer<typeof PollSchema>;

export const PollListSchema = lazySchema(() => z.object({ polls: z.array(PollSchema) }));
export type PollList = z.infer<typeof PollListSchema>;

export const CreatePollRequestSchema = lazySchema(() =>
  z.strictObject({
    question: Text(POLL_LIMITS.questionChars),
    options: z.array(Text(POLL_LIMITS.optionChars)).min(2).max(POLL_LIMITS.options),
    multiple: z.boolean().default(false),
    anonymous: z.boolean().default(false),
    /** Open at once instead of as a draft. */
    open: z.boolean().default(false),
  }),
);
export type CreatePollRequest = z.input<typeof CreatePollRequestSchema>;

/** Option indexes; exactly one in a single-choice poll. A person votes once. */
export const VotePollRequestSchema = lazySchema(() =>
  z.strictObject({
    options: z
      .array(
        z
          .number()
          .int()
          .min(0)
          .max(POLL_LIMITS.options - 1),
      )
      .min(1)
      .max(POLL_LIMITS.options)
      .refine((o) => new Set(o).size === o.length, 'options must be distinct'),
  }),
);
export type VotePollRequest = z.infer<typeof VotePollRequestSchema>;

// Q&A

export const QuestionModerationSchema = lazySchema(() => z.enum(['pending', 'published', 'dismissed']));
export type QuestionModeration = z.infer<typeof QuestionModerationSchema>;

export const QuestionSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    meetingId: IdSchema,
    authorId: IdSchema,
    authorName: z.string(),
    text: z.string(),
    votes: z.number().int().nonnegative(),
    voterIds: z.array(IdSchema),
    answered: z.boolean(),
    answer: z.string().nullable(),
    answeredAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
    /**
     * `pending`: an attendee's question in a webinar, seen by its author and the panelists only
     * until a panelist publishes or dismisses it. Records from before moderation: `published`.
     */
    moderation: QuestionModerationSchema.default('published'),
    /** The answer is for the author (and the panelists) only: nobody else sees the question. */
    answerPrivate: z.boolean().default(false),
  }),
);
export type Question = z.infer<typeof QuestionSchema>;

/** What a panelist does with a question waiting in a webinar's moderation queue. */
export const ModerateQuestionRequestSchema = lazySchema(() =>
  z.strictObject({ moderation: z.enum(['published', 'dismissed']) }),
);
export type ModerateQuestionRequest = z.infer<typeof ModerateQuestionRequestSchema>;

/** Most votes first, then oldest first. */
export const QuestionListSchema = lazySchema(() => z.object({ questions: z.array(QuestionSchema) }));
export type QuestionList = z.infer<typeof QuestionListSchema>;

export const AskQuestionRequestSchema = lazySchema(() => z.strictObject({ text: Text(1000) }));
export type AskQuestionRequest = z.infer<typeof AskQuestionRequestSchema>;

/** Sets the caller's upvote on or off; repeating it changes nothing. */
export const UpvoteRequestSchema = lazySchema(() => z.strictObject({ up: z.boolean() }));
export type UpvoteRequest = z.infer<typeof UpvoteRequestSchema>;

/** `private`: only the author (and the panelists) see the answer, and the question. */
export const AnswerQuestionRequestSchema = lazySchema(() =>
  z.strictObject({ answer: Text(4000), private: z.boolean().optional() }),
);
export type AnswerQuestionRequest = z.infer<typeof AnswerQuestionRequestSchema>;

export const MarkAnsweredRequestSchema = lazySchema(() => z.strictObject({ answered: z.boolean() }));
export type MarkAnsweredRequest = z.infer<typeof MarkAnsweredRequestSchema>;

// LiveKit data topics of ephemeral signals (the server never sees these)

/** Lossy: a reaction lost on the way is not worth a retransmission. */
export const REACTIONS_TOPIC = { topic: 'tandem.reactions.v1', reliable: false, maxBytes: 200 } as const;
/**
 * Reliable: a hint that a hand went up or down, so tiles update before the server's
 * `hands.changed` arrives. The server's queue stays the truth for order.
 */
export const HANDS_TOPIC = { topic: 'tandem.hands.v1', reliable: true, maxBytes: 200 } as const;

export const REACTION_EMOJI = ['👍', '👏', '❤️', '😂', '😮', '🎉', '🤔', '🙏'] as const;

export const ReactionMessageSchema = lazySchema(() =>
  z.strictObject({ t: z.literal('reaction'), emoji: z.enum(REACTION_EMOJI) }),
);
export type ReactionMessage = z.infer<typeof ReactionMessageSchema>;

export const HandSignalSchema = lazySchema(() => z.strictObject({ t: z.literal('hand'), raised: z.boolean() }));
export type HandSignal = z.infer<typeof HandSignalSchema>;

/** A token bucket: `capacity` at once, refilled at `perSecond`. */
export type RateRule = { readonly capacity: number; readonly perSecond: number };
export type Bucket = { readonly tokens: number; readonly at: number };

/** Senders keep to this; receivers drop what comes faster from one participant. */
export const REACTION_RATE: RateRule = { capacity: 5, perSecond: 1 };

/**
 * Pure: whether one more message may go at `now` (ms), and the bucket after. A missing bucket
 * is a full one; time going backwards refills nothing.
 */
export function takeToken(
  rule: RateRule,
  bucket: Bucket | undefined,
  now: number,
): { readonly allowed: boolean; readonly bucket: Bucket } {
  const start = bucket ?? { tokens: rule.capacity, at: now };
  const elapsed = Math.max(0, now - start.at) / 1000;
  const tokens = Math.min(rule.capacity, start.tokens + elapsed * rule.perSecond);
  if (tokens < 1) return { allowed: false, bucket: { tokens, at: Math.max(now, start.at) } };
  return { allowed: true, bucket: { tokens: tokens - 1, at: Math.max(now, start.at) } };
}
