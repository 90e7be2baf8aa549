import { z } from 'zod';
import { ClientIdSchema, IdSchema, LIMITS, TimestampSchema } from './common.ts';

export const ConversationSchema = z.object({
  id: IdSchema,
  organisationId: IdSchema,
  /** A meeting's chat, or an organisation-wide channel. */
  kind: z.enum(['meeting', 'channel']),
  meetingId: IdSchema.nullable(),
  name: z.string(),
  /** The seq of the newest event; 0 when empty. */
  latestSeq: z.number().int().nonnegative(),
  createdAt: TimestampSchema,
});
export type Conversation = z.infer<typeof ConversationSchema>;

export const ConversationListSchema = z.object({ conversations: z.array(ConversationSchema) });
export type ConversationList = z.infer<typeof ConversationListSchema>;

export const CreateChannelRequestSchema = z.strictObject({ name: z.string().trim().min(1).max(100) });
export type CreateChannelRequest = z.infer<typeof CreateChannelRequestSchema>;

const ChatEventBase = {
  conversationId: IdSchema,
  /** Gap-free per conversation, starting at 1, assigned by the server in commit order. */
  seq: z.number().int().positive(),
  /** The client id the author sent it with; the same id again answers this same event. */
  clientId: ClientIdSchema,
  /** The message this event is about. For a `message` event it is the event's own clientId. */
  messageId: ClientIdSchema,
  authorId: IdSchema,
  createdAt: TimestampSchema,
};

/**
 * The reactions a message can get: a small set everyone's keyboard and screen reader can name.
 * Anything else is refused at the boundary (400), so the log never holds arbitrary strings here.
 */
export const MESSAGE_REACTIONS = ['👍', '❤️', '😂', '🎉', '😮', '😢'] as const;
export const MessageReactionSchema = z.enum(MESSAGE_REACTIONS);
export type MessageReaction = z.infer<typeof MessageReactionSchema>;
/** How each emoji is read out (labels, tooltips). */
export const MESSAGE_REACTION_NAMES: Readonly<Record<MessageReaction, string>> = {
  '👍': 'thumbs up',
  '❤️': 'heart',
  '😂': 'laughing',
  '🎉': 'party',
  '😮': 'surprised',
  '😢': 'sad',
};

/**
 * The chat log is a sequence of events. Edits, deletes and reactions are events too, so
 * `since=<seq>` replays everything a cache needs, in order; a client folds them into its message
 * view. A thread is messages whose `threadOf` names their root (a top-level message of the same
 * conversation; a reply is never a root). `react`/`unreact` add or take back the author's one
 * reaction with that emoji to `messageId`: the server refuses a react that is already there and
 * an unreact that is not, so folding them in order gives each person at most one per emoji.
 */
export const ChatEventSchema = z.discriminatedUnion('type', [
  z.object({
    ...ChatEventBase,
    type: z.literal('message'),
    body: z.string(),
    /** The root message of the thread this replies in; absent for a top-level message. */
    threadOf: ClientIdSchema.optional(),
  }),
  z.object({ ...ChatEventBase, type: z.literal('edit'), body: z.string() }),
  z.object({ ...ChatEventBase, type: z.literal('delete') }),
  z.object({ ...ChatEventBase, type: z.literal('react'), emoji: MessageReactionSchema }),
  z.object({ ...ChatEventBase, type: z.literal('unreact'), emoji: MessageReactionSchema }),
]);
export type ChatEvent = z.infer<typeof ChatEventSchema>;
export type ChatEventType = ChatEvent['type'];

const Body = z.string().trim().min(1).max(LIMITS.chatBodyChars);

/**
 * POST /conversations/:id/messages. Idempotent by clientId. `threadOf`: reply in the thread of
 * this top-level message (404 if it is not in the conversation, 400 if it is itself a reply,
 * 409 if it is deleted).
 */
export const SendMessageRequestSchema = z.strictObject({
  clientId: ClientIdSchema,
  body: Body,
  threadOf: ClientIdSchema.optional(),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;

/** POST /conversations/:id/messages/:messageId/edit. Only the author edits. Idempotent by clientId. */
export const EditMessageRequestSchema = z.strictObject({ clientId: ClientIdSchema, body: Body });
export type EditMessageRequest = z.infer<typeof EditMessageRequestSchema>;

/** POST /conversations/:id/messages/:messageId/delete. The author or an admin. Idempotent by clientId. */
export const DeleteMessageRequestSchema = z.strictObject({ clientId: ClientIdSchema });
export type DeleteMessageRequest = z.infer<typeof DeleteMessageRequestSchema>;

/**
 * POST /conversations/:id/messages/:messageId/react and …/unreact. Idempotent by clientId; a
 * reaction already given (react) or not given (unreact) answers 409 `conflict`.
 */
export const ReactionRequestSchema = z.strictObject({ clientId: ClientIdSchema, emoji: MessageReactionSchema });
export type ReactionRequest = z.infer<typeof ReactionRequestSchema>;

/** GET /conversations/:id/messages?since=<seq>&limit=<n>: events with seq > since, ascending. */
export const HistoryQuerySchema = z.strictObject({
  since: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(LIMITS.historyPageMax).default(200),
});
export type HistoryQuery = z.input<typeof HistoryQuerySchema>;

export const HistoryPageSchema = z.object({
  events: z.array(ChatEventSchema),
  /** The conversation's newest seq when the page was read. */
  latestSeq: z.number().int().nonnegative(),
  /** More events exist after the last one in this page: ask again with its seq. */
  hasMore: z.boolean(),
});
export type HistoryPage = z.infer<typeof HistoryPageSchema>;
