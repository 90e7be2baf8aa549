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
 * The chat log is a sequence of events. Edits and deletes are events too, so `since=<seq>`
 * replays everything a cache needs, in order; a client folds them into its message view.
 */
export const ChatEventSchema = z.discriminatedUnion('type', [
  z.object({ ...ChatEventBase, type: z.literal('message'), body: z.string() }),
  z.object({ ...ChatEventBase, type: z.literal('edit'), body: z.string() }),
  z.object({ ...ChatEventBase, type: z.literal('delete') }),
]);
export type ChatEvent = z.infer<typeof ChatEventSchema>;
export type ChatEventType = ChatEvent['type'];

const Body = z.string().trim().min(1).max(LIMITS.chatBodyChars);

/** POST /conversations/:id/messages. Idempotent by clientId. */
export const SendMessageRequestSchema = z.strictObject({ clientId: ClientIdSchema, body: Body });
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;

/** POST /conversations/:id/messages/:messageId/edit. Only the author edits. Idempotent by clientId. */
export const EditMessageRequestSchema = z.strictObject({ clientId: ClientIdSchema, body: Body });
export type EditMessageRequest = z.infer<typeof EditMessageRequestSchema>;

/** POST /conversations/:id/messages/:messageId/delete. The author or an admin. Idempotent by clientId. */
export const DeleteMessageRequestSchema = z.strictObject({ clientId: ClientIdSchema });
export type DeleteMessageRequest = z.infer<typeof DeleteMessageRequestSchema>;

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
