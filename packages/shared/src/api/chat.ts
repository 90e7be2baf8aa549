import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { ClientIdSchema, IdSchema, LIMITS, TimestampSchema } from './common.ts';
import { CHAT_FILE_LIMITS, ChatFileRefSchema } from './files.ts';

/**
 * A meeting's chat; an organisation channel (public, or private: members only); a direct chat
 * between exactly two people (one per pair); a group chat of three or more.
 */
export const CONVERSATION_KINDS = ['meeting', 'channel', 'direct', 'group'] as const;
export const ConversationKindSchema = lazySchema(() => z.enum(CONVERSATION_KINDS));
export type ConversationKind = z.infer<typeof ConversationKindSchema>;

/** Where a message may be marked urgent: chats addressed to few people, never a whole channel or meeting. */
export const URGENT_CONVERSATION_KINDS: ReadonlySet<ConversationKind> = new Set(['direct', 'group']);

/** Bounds of members-only conversations, checked by the server (400 beyond them). */
export const CONVERSATION_LIMITS = {
  /** Most members a group chat or a private channel has. */
  maxMembers: 500,
  /** Direct chats and groups of at most this many members show who has read what ("Seen by"). */
  receiptsUpTo: 20,
  nameChars: 100,
} as const;

export const ConversationSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    organisationId: IdSchema,
    kind: ConversationKindSchema,
    meetingId: IdSchema.nullable(),
    /** A channel's or a named group's name; '' for a direct chat and an unnamed group (clients name them by their members). */
    name: z.string(),
    /**
     * Only its members read it, write in it, find it or hear of it: always for direct and group
     * chats, chosen at creation for a channel, never for a meeting's chat (the meeting's rules apply).
     */
    private: z.boolean(),
    /** Archived: read-only for everyone, and left out of lists unless asked for; unarchiving undoes it. */
    archivedAt: TimestampSchema.nullable(),
    /** A private conversation's members, oldest first; null for the others. */
    memberIds: z.array(IdSchema).max(CONVERSATION_LIMITS.maxMembers).nullable(),
    /** Who started it (a public channel's creator may rename and archive it); null for a meeting's chat and older channels. */
    createdBy: IdSchema.nullable(),
    /** The seq of the newest event; 0 when empty. */
    latestSeq: z.number().int().nonnegative(),
    createdAt: TimestampSchema,
  }),
);
export type Conversation = z.infer<typeof ConversationSchema>;

/** In a private conversation: owners rename, archive and remove (a group's members all do); members write and invite. */
export const MemberRoleSchema = lazySchema(() => z.enum(['owner', 'member']));
export type MemberRole = z.infer<typeof MemberRoleSchema>;

/** How the caller stands in a conversation: their membership, read position and what is unread. */
export const ConversationSelfSchema = lazySchema(() =>
  z.object({
    /** In a private conversation; in a public channel, `owner` for its creator; null otherwise. */
    role: MemberRoleSchema.nullable(),
    /**
     * Events up to this seq came before the caller was added without history: never theirs to read
     * (history, the change stream and lookups skip them). 0: the whole history.
     */
    visibleFromSeq: z.number().int().nonnegative(),
    /** The caller's read position (POST …/read); null while they never marked a public channel or meeting chat read. */
    lastReadSeq: z.number().int().nonnegative().nullable(),
    /** Top-level messages by others above the read position, not deleted; 0 while `lastReadSeq` is null. */
    unread: z.number().int().nonnegative(),
    /** Of those, the ones that mention the caller (`mentions` in packages/shared). */
    mentions: z.number().int().nonnegative(),
    /** The caller left this public channel: not followed, not listed unless asked for; joining follows it again. */
    left: z.boolean(),
  }),
);
export type ConversationSelf = z.infer<typeof ConversationSelfSchema>;

/** A conversation as one person sees it. */
export const ConversationEntrySchema = lazySchema(() => ConversationSchema.extend({ self: ConversationSelfSchema }));
export type ConversationEntry = z.infer<typeof ConversationEntrySchema>;

export const ConversationListSchema = lazySchema(() => z.object({ conversations: z.array(ConversationEntrySchema) }));
export type ConversationList = z.infer<typeof ConversationListSchema>;

/** GET /conversations: `active` leaves out archived conversations and public channels the caller left; `all` keeps them. */
export const ConversationListQuerySchema = lazySchema(() =>
  z.strictObject({ include: z.enum(['active', 'all']).default('active') }),
);
export type ConversationListQuery = z.input<typeof ConversationListQuerySchema>;

const ConversationName = lazySchema(() => z.string().trim().min(1).max(CONVERSATION_LIMITS.nameChars));

/** People named once each, at most `max`. */
const PeopleSchema = (min: number, max: number) =>
  z
    .array(IdSchema)
    .min(min)
    .max(max)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: 'named twice' });
        seen.add(id);
      });
    });

/**
 * POST /conversations. A public channel by default; `private: true` makes a members-only one,
 * with the creator as its owner and `memberIds` as its first members.
 */
export const CreateChannelRequestSchema = lazySchema(() =>
  z.strictObject({
    name: ConversationName,
    private: z.boolean().optional(),
    memberIds: PeopleSchema(0, CONVERSATION_LIMITS.maxMembers - 1).optional(),
  }),
);
export type CreateChannelRequest = z.infer<typeof CreateChannelRequestSchema>;

/** POST /conversations/direct: the direct chat with this person, started once per pair (again: the same one). */
export const StartDirectRequestSchema = lazySchema(() => z.strictObject({ userId: IdSchema }));
export type StartDirectRequest = z.infer<typeof StartDirectRequestSchema>;

/** POST /conversations/groups: the creator and at least two others; unnamed without `name`. */
export const CreateGroupRequestSchema = lazySchema(() =>
  z.strictObject({
    name: ConversationName.optional(),
    memberIds: PeopleSchema(2, CONVERSATION_LIMITS.maxMembers - 1),
  }),
);
export type CreateGroupRequest = z.infer<typeof CreateGroupRequestSchema>;

/**
 * PATCH /conversations/:id: rename (channels and groups; '' unnames a group) and archive or
 * unarchive (channels). Public channels: their creator and the organisation's owners and
 * admins; private channels: their owners; groups: any member (renaming only).
 */
export const UpdateConversationRequestSchema = lazySchema(() =>
  z
    .strictObject({
      name: z.union([ConversationName, z.literal('')]).optional(),
      archived: z.boolean().optional(),
    })
    .refine((r) => r.name !== undefined || r.archived !== undefined, 'nothing to change'),
);
export type UpdateConversationRequest = z.infer<typeof UpdateConversationRequestSchema>;

/**
 * POST /conversations/:id/members: add people to a group or a private channel (any member may).
 * `history: false`: they read only what is written from now on.
 */
export const AddMembersRequestSchema = lazySchema(() =>
  z.strictObject({
    userIds: PeopleSchema(1, CONVERSATION_LIMITS.maxMembers - 1),
    history: z.boolean(),
  }),
);
export type AddMembersRequest = z.infer<typeof AddMembersRequestSchema>;

/** PATCH /conversations/:id/members/:userId: make a private channel's member an owner or not (owners only). */
export const SetMemberRoleRequestSchema = lazySchema(() => z.strictObject({ role: MemberRoleSchema }));
export type SetMemberRoleRequest = z.infer<typeof SetMemberRoleRequestSchema>;

export const ConversationMemberSchema = lazySchema(() =>
  z.object({
    userId: IdSchema,
    role: MemberRoleSchema,
    joinedAt: TimestampSchema,
    /** 0 when added with the history; otherwise the seq they were added at. */
    visibleFromSeq: z.number().int().nonnegative(),
    /**
     * Their read position, where the conversation shows who has read what (direct chats, groups of
     * at most CONVERSATION_LIMITS.receiptsUpTo members); null elsewhere (one's own aside).
     */
    lastReadSeq: z.number().int().nonnegative().nullable(),
  }),
);
export type ConversationMember = z.infer<typeof ConversationMemberSchema>;
export const ConversationMemberListSchema = lazySchema(() => z.object({ members: z.array(ConversationMemberSchema) }));
export type ConversationMemberList = z.infer<typeof ConversationMemberListSchema>;

/** POST /conversations/:id/read: read up to `seq` (clamped to the newest; a read position never moves back). */
export const MarkReadRequestSchema = lazySchema(() => z.strictObject({ seq: z.number().int().nonnegative() }));
export type MarkReadRequest = z.infer<typeof MarkReadRequestSchema>;

/** A read position: the answer to POST …/read, and the `conversation.read` event. */
export const ReadReceiptSchema = lazySchema(() =>
  z.object({
    conversationId: IdSchema,
    userId: IdSchema,
    seq: z.number().int().nonnegative(),
  }),
);
export type ReadReceipt = z.infer<typeof ReadReceiptSchema>;

const ChatEventBase = {
  conversationId: IdSchema,
  /** Gap-free per conversation, starting at 1, assigned by the server in commit order. */
  seq: lazySchema(() => z.number().int().positive()),
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
export const MessageReactionSchema = lazySchema(() => z.enum(MESSAGE_REACTIONS));
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
export const ChatEventSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.object({
      ...ChatEventBase,
      type: z.literal('message'),
      body: z.string(),
      /** The root message of the thread this replies in; absent for a top-level message. */
      threadOf: ClientIdSchema.optional(),
      /** Files attached to it (uploaded into the conversation by its author); absent without. */
      files: z.array(ChatFileRefSchema).max(CHAT_FILE_LIMITS.perMessage).optional(),
      /** Marked urgent by its author: it reaches people through do not disturb. Absent when not. */
      urgent: z.literal(true).optional(),
    }),
    z.object({ ...ChatEventBase, type: z.literal('edit'), body: z.string() }),
    z.object({ ...ChatEventBase, type: z.literal('delete') }),
    z.object({ ...ChatEventBase, type: z.literal('react'), emoji: MessageReactionSchema }),
    z.object({ ...ChatEventBase, type: z.literal('unreact'), emoji: MessageReactionSchema }),
  ]),
);
export type ChatEvent = z.infer<typeof ChatEventSchema>;
export type ChatEventType = ChatEvent['type'];

const Body = lazySchema(() => z.string().trim().min(1).max(LIMITS.chatBodyChars));

/**
 * POST /conversations/:id/messages. Idempotent by clientId. `threadOf`: reply in the thread of
 * this top-level message (404 if it is not in the conversation, 400 if it is itself a reply,
 * 409 if it is deleted).
 */
export const SendMessageRequestSchema = lazySchema(() =>
  z
    .strictObject({
      clientId: ClientIdSchema,
      /** May be empty when the message carries files. */
      body: z.string().trim().max(LIMITS.chatBodyChars),
      threadOf: ClientIdSchema.optional(),
      /**
       * Files the author uploaded into this conversation and attached to no other message, each
       * once (unknown 404, another's or already attached 409).
       */
      files: z.array(IdSchema).min(1).max(CHAT_FILE_LIMITS.perMessage).optional(),
      /**
       * Urgent: notifies everyone it is for even through do not disturb (as Teams' urgent
       * messages do). Only in direct and group chats, where it is addressed to few; 400 elsewhere.
       */
      urgent: z.boolean().optional(),
    })
    .refine((r) => r.body !== '' || r.files !== undefined, {
      path: ['body'],
      message: 'a message needs words or files',
    })
    .refine((r) => new Set(r.files).size === (r.files?.length ?? 0), {
      path: ['files'],
      message: 'a file named twice',
    }),
);
export type SendMessageRequest = z.infer<typeof SendMessageRequestSchema>;

/** POST /conversations/:id/messages/:messageId/edit. Only the author edits. Idempotent by clientId. */
export const EditMessageRequestSchema = lazySchema(() => z.strictObject({ clientId: ClientIdSchema, body: Body }));
export type EditMessageRequest = z.infer<typeof EditMessageRequestSchema>;

/** POST /conversations/:id/messages/:messageId/delete. The author or an admin. Idempotent by clientId. */
export const DeleteMessageRequestSchema = lazySchema(() => z.strictObject({ clientId: ClientIdSchema }));
export type DeleteMessageRequest = z.infer<typeof DeleteMessageRequestSchema>;

/**
 * POST /conversations/:id/messages/:messageId/react and …/unreact. Idempotent by clientId; a
 * reaction already given (react) or not given (unreact) answers 409 `conflict`.
 */
export const ReactionRequestSchema = lazySchema(() =>
  z.strictObject({ clientId: ClientIdSchema, emoji: MessageReactionSchema }),
);
export type ReactionRequest = z.infer<typeof ReactionRequestSchema>;

/** GET /conversations/:id/messages?since=<seq>&limit=<n>: events with seq > since, ascending. */
export const HistoryQuerySchema = lazySchema(() =>
  z.strictObject({
    since: z.coerce.number().int().nonnegative().default(0),
    limit: z.coerce.number().int().min(1).max(LIMITS.historyPageMax).default(200),
  }),
);
export type HistoryQuery = z.input<typeof HistoryQuerySchema>;

export const HistoryPageSchema = lazySchema(() =>
  z.object({
    events: z.array(ChatEventSchema),
    /** The conversation's newest seq when the page was read. */
    latestSeq: z.number().int().nonnegative(),
    /** More events exist after the last one in this page: ask again with its seq. */
    hasMore: z.boolean(),
  }),
);
export type HistoryPage = z.infer<typeof HistoryPageSchema>;

/** A yes or no in a query string (`true`/`false`), or as a boolean from a typed client. */
const QueryFlag = lazySchema(() => z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]));

/**
 * GET /search/messages: messages whose current text contains `q` (without case), newest first,
 * only in conversations the caller may read and from where they may read them (a private one
 * they are not a member of finds nothing). Filters, all optional: `conversationId` (in), `from`
 * (its author), `hasFile` (carries files), `after`/`before` (sent at or after, before).
 */
export const MessageSearchQuerySchema = lazySchema(() =>
  z.strictObject({
    q: z.string().trim().min(1).max(200),
    conversationId: IdSchema.optional(),
    from: IdSchema.optional(),
    hasFile: QueryFlag.optional(),
    after: TimestampSchema.optional(),
    before: TimestampSchema.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  }),
);
export type MessageSearchQuery = z.input<typeof MessageSearchQuerySchema>;
/** The query as the server reads it (defaults applied, flags as booleans). */
export type MessageSearchParams = z.output<typeof MessageSearchQuerySchema>;

export const MessageSearchHitSchema = lazySchema(() =>
  z.object({
    conversationId: IdSchema,
    messageId: ClientIdSchema,
    seq: z.number().int().positive(),
    authorId: IdSchema,
    /** The message's text as it is now (after edits). */
    body: z.string(),
    createdAt: TimestampSchema,
    /** A reply's thread root; absent for a top-level message. */
    threadOf: ClientIdSchema.optional(),
    /** Its files; absent without. */
    files: z.array(ChatFileRefSchema).optional(),
  }),
);
export type MessageSearchHit = z.infer<typeof MessageSearchHitSchema>;
export const MessageSearchResultSchema = lazySchema(() => z.object({ hits: z.array(MessageSearchHitSchema) }));
export type MessageSearchResult = z.infer<typeof MessageSearchResultSchema>;

/** A file whose name contains the words, attached to a message the caller may read. */
export const FileSearchHitSchema = lazySchema(() =>
  ChatFileRefSchema.extend({
    conversationId: IdSchema,
    messageId: ClientIdSchema,
    uploadedBy: IdSchema,
    createdAt: TimestampSchema,
  }),
);
export type FileSearchHit = z.infer<typeof FileSearchHitSchema>;

/** A channel whose name contains the words: public ones, and private ones the caller belongs to. */
export const ChannelSearchHitSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    name: z.string(),
    private: z.boolean(),
    archived: z.boolean(),
  }),
);
export type ChannelSearchHit = z.infer<typeof ChannelSearchHitSchema>;

/** Someone active in the organisation whose name or e-mail contains the words (a guest finds nobody). */
export const PersonSearchHitSchema = lazySchema(() => z.object({ id: IdSchema, name: z.string(), email: z.string() }));
export type PersonSearchHit = z.infer<typeof PersonSearchHitSchema>;

/**
 * GET /search: everything the caller may read that matches, each kind newest first (people and
 * channels by name): messages with the filters of /search/messages, files by name (the same
 * filters: in, from, after, before), channels and people by name (`q` only).
 */
export const SearchResultSchema = lazySchema(() =>
  z.object({
    messages: z.array(MessageSearchHitSchema),
    files: z.array(FileSearchHitSchema),
    channels: z.array(ChannelSearchHitSchema),
    people: z.array(PersonSearchHitSchema),
  }),
);
export type SearchResult = z.infer<typeof SearchResultSchema>;
