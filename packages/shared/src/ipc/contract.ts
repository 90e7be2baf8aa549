import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { CreateDecisionRequestSchema, UpdateDecisionRequestSchema } from '../api/decisions.ts';
import {
  AddMembersRequestSchema,
  CreateChannelRequestSchema,
  CreateGroupRequestSchema,
  EditMessageRequestSchema,
  StartDirectRequestSchema,
  UpdateConversationRequestSchema,
  MessageReactionSchema,
  SendMessageRequestSchema,
  FileSearchHitSchema,
  ChannelSearchHitSchema,
} from '../api/chat.ts';
import { AuditExportFormatSchema, AuditFilterSchema } from '../api/auditLog.ts';
import { CHAT_FILE_LIMITS, ChatFileNameSchema, ChatFileRefSchema, ChatFileSchema } from '../api/files.ts';
import { PresenceSchema, SetPresenceRequestSchema } from '../api/presence.ts';
import { ClientIdSchema, IdSchema, TimestampSchema } from '../api/common.ts';
import { E2eeChatEntrySchema, E2eePublicKeySchema } from '../api/e2ee.ts';
import { SignInRequestSchema, UserSchema } from '../api/identity.ts';
import { SsoDiscoverResultSchema } from '../api/sso.ts';
import { ExpertAskSchema } from '../api/pages.ts';
import { ConnectionProbeSchema, ConnectionTestReportSchema } from './connectionTest.ts';
import {
  CreateMeetingRequestSchema,
  DisplayNameSchema,
  MeetingSchema,
  UpdateMeetingRequestSchema,
  JoinLandingSchema,
} from '../api/meetings.ts';
import {
  AttachInvitationRequestSchema,
  CalendarQuerySchema,
  CalendarSchema,
  ConnectionScopeSchema,
  ConsentRequestSchema,
  ConsentUrlSchema,
  LinkedMeetingReadSchema,
  LinkedMeetingRecordSchema,
  ProviderConnectionSchema,
  ProviderIdSchema,
  ProviderListSchema,
  ZoomConnectRequestSchema,
} from '../api/linked.ts';
import { LinkedMeetingSchema } from '../links/meetingLink.ts';
import { TranscriptExportQuerySchema } from '../api/transcripts.ts';
import { PRESENCE_WATCH_LIMIT, ServerMessageSchema, type ServerMessage } from '../api/ws.ts';
import { ROUTES, type RouteDef, type RouteName } from '../api/routes.ts';
import { AnnotationElementSchema } from '../annotations/element.ts';
import { DEEP_LINK_SHOWN_LENGTH } from '../deepLink.ts';
import { ErrorCodeSchema } from '../errors.ts';
import { ManagedSettingsSchema } from '../policy.ts';
import {
  ChatMessageViewSchema,
  ConnectionStatusSchema,
  ConversationSummarySchema,
  CallDetailsSchema,
  DecisionViewSchema,
  JoinOutcomeSchema,
  MemberViewSchema,
  ReadReceiptViewSchema,
  ScreenSourceSchema,
  SearchHitSchema,
  SessionInfoSchema,
  TranscriptSearchHitSchema,
  TranscriptViewSchema,
  SettingsSchema,
  SHORTCUT_ACTIONS,
} from './records.ts';

/**
 * The one IPC contract between the renderer and main. Every channel is `domain:verb`, declared
 * here once with its request and response schema; main validates both, the preload and the
 * renderer's bridge derive their method names and types from it.
 */

const Empty = lazySchema(() => z.object({}).strict());
const Id = lazySchema(() => z.string().min(1).max(200));

/** A display's area in the OS's screen coordinates (Electron's Rectangle, in DIPs). */
export const OverlayBoundsSchema = lazySchema(() =>
  z
    .object({
      x: z.number().int(),
      y: z.number().int(),
      width: z.number().int().min(1).max(32_768),
      height: z.number().int().min(1).max(32_768),
    })
    .strict(),
);
export type OverlayBounds = z.infer<typeof OverlayBoundsSchema>;

/** The overlay repaints on every scene; bounded so a runaway renderer cannot flood main with IPC. */
export const MAX_OVERLAY_ELEMENTS = 1_000;
export const MAX_OVERLAY_POINTS = 200_000;
const pointsOf = (element: z.infer<typeof AnnotationElementSchema>): number =>
  element.kind === 'pen' || element.kind === 'highlighter' ? element.points.length : 2;
export const OverlaySceneSchema = lazySchema(() =>
  z
    .object({ elements: z.array(AnnotationElementSchema).max(MAX_OVERLAY_ELEMENTS) })
    .strict()
    .refine(({ elements }) => elements.reduce((sum, element) => sum + pointsOf(element), 0) <= MAX_OVERLAY_POINTS, {
      message: `more than ${MAX_OVERLAY_POINTS} points`,
      path: ['elements'],
    }),
);

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

/**
 * In-meeting collaboration (issue 5): lobby admission, host controls, hands, polls, Q&A and
 * breakout rooms; managing people (owners and admins: add, change a role, deactivate, reactivate;
 * the list itself is `people:list`, from the directory the app keeps); and integrations (owners and admins: API keys, webhooks and their delivery log). Each channel forwards to the coordination server's route of the same purpose:
 * its request is that route's path `params` and `body`, its answer the route's response, so the
 * server's schemas are the contract here too and main adds nothing but the session.
 */
export const FORWARDED_ROUTES = {
  'lobby:list': 'listLobby',
  'lobby:admit': 'admit',
  'lobby:deny': 'deny',
  'lobby:admitAll': 'admitAll',
  'host:participants': 'listParticipants',
  'host:mute': 'muteParticipant',
  'host:muteAll': 'muteAll',
  'host:remove': 'removeParticipant',
  'host:lock': 'lockMeeting',
  'host:end': 'endMeeting',
  'hands:list': 'listHands',
  'hands:raise': 'raiseHand',
  'hands:lower': 'lowerHand',
  'hands:lowerAll': 'lowerAllHands',
  'polls:list': 'listPolls',
  'polls:create': 'createPoll',
  'polls:open': 'openPoll',
  'polls:close': 'closePoll',
  'polls:vote': 'votePoll',
  'questions:list': 'listQuestions',
  'questions:ask': 'askQuestion',
  'questions:upvote': 'upvoteQuestion',
  'questions:answer': 'answerQuestion',
  'questions:markAnswered': 'markQuestionAnswered',
  'breakouts:get': 'getBreakouts',
  'breakouts:create': 'createBreakouts',
  'breakouts:assign': 'assignBreakouts',
  'breakouts:choose': 'chooseBreakout',
  'breakouts:open': 'openBreakouts',
  'breakouts:close': 'closeBreakouts',
  'breakouts:countdown': 'breakoutCountdown',
  'breakouts:broadcast': 'broadcastBreakouts',
  'breakouts:mine': 'myBreakout',
  'breakouts:join': 'joinBreakoutRoom',
  'breakouts:help': 'askBreakoutHelp',
  'people:add': 'createUser',
  'people:update': 'updateUser',
  'people:deactivate': 'deactivateUser',
  'people:reactivate': 'reactivateUser',
  'diagnostics:livekitToken': 'connectionTestToken',
  'calendarFeed:create': 'createCalendarFeed',
  'calendarFeed:revoke': 'revokeCalendarFeed',
  'organisation:settings': 'getOrganisationSettings',
  'organisation:updateSettings': 'updateOrganisationSettings',
  // Integrations (owners and admins): API keys and outgoing webhooks.
  'integrations:listKeys': 'listApiKeys',
  'integrations:createKey': 'createApiKey',
  'integrations:revokeKey': 'revokeApiKey',
  'integrations:listWebhooks': 'listWebhooks',
  'integrations:createWebhook': 'createWebhook',
  'integrations:updateWebhook': 'updateWebhook',
  'integrations:deleteWebhook': 'deleteWebhook',
  'integrations:webhookLog': 'listWebhookAttempts',
  'audit:list': 'listAudit',
  'scim:tokens': 'listScimTokens',
  'scim:createToken': 'createScimToken',
  'scim:revokeToken': 'revokeScimToken',
  /** Recording (issue 14): the meeting as the pre-join screen and the lobby tell about it, and its recordings. */
  'meetings:get': 'getMeeting',
  'meetings:resolve': 'resolveJoinCode',
  'recordings:list': 'listRecordings',
  'recordings:start': 'startRecording',
  'recordings:stop': 'stopRecording',
  'recordings:link': 'recordingLink',
  'recordings:delete': 'deleteRecording',
  /** Transcripts and live captions (issue 14). */
  'captions:status': 'captionsStatus',
  'transcripts:search': 'searchTranscripts',
  /** Meeting notes (issue 14): read, make now, confirm or dismiss an item; a decision's history; the meetings to pick from. */
  'notes:get': 'getMeetingNotes',
  'notes:generate': 'generateMeetingNotes',
  'notes:confirm': 'confirmNoteItem',
  'notes:reject': 'rejectNoteItem',
  'decisions:history': 'getDecision',
  'meetings:listAll': 'listMeetings',
  'insights:meeting': 'meetingInsights',
  'insights:organisation': 'organisationInsights',
  'meetings:suggestParticipants': 'suggestParticipants',
  /** End-to-end encryption (issue 15): device keys and wrapped meeting keys. */
  'encryption:registerDevice': 'registerE2eeDevice',
  'encryption:announceDevice': 'announceE2eeDevice',
  'encryption:devices': 'listE2eeDevices',
  'encryption:postKeys': 'postE2eeKeys',
  'encryption:keys': 'myE2eeKeys',
  /** Pages of business web apps (issue 18): who is on which page, one's delegations, threads on fields. */
  'pages:now': 'pagesNow',
  'pages:delegations': 'myDelegations',
  'pages:finishDelegation': 'finishDelegation',
  'pages:threads': 'pageThreads',
  'pages:room': 'pageRoom',
  /** Ask an expert (issue 18): one's skills, the directory, answering or declining an ask that rings. */
  'experts:mySkills': 'mySkills',
  'experts:setMySkills': 'setMySkills',
  'experts:directory': 'skillsDirectory',
  'experts:answer': 'answerExpertAsk',
  'experts:decline': 'declineExpertAsk',
  /** A meeting's whiteboard (issue 15): read it, save one's own records. */
  'whiteboard:get': 'getWhiteboard',
  'whiteboard:save': 'saveWhiteboard',
  /** Recurring meetings and linked meetings made from the form (issue 22). */
  'series:occurrences': 'listOccurrences',
  'series:editOccurrence': 'editOccurrence',
  'linked:create': 'createLinkedMeeting',
  /** Phone (issue 19): a meeting's dial-in details, the organisation's numbers, calling a phone in, the audio bridge. */
  'phone:dialIn': 'meetingDialIn',
  'phone:numbers': 'getDialInNumbers',
  'phone:setNumbers': 'setDialInNumbers',
  'phone:dialOut': 'dialOut',
  'phone:bridge': 'getAudioBridge',
  'phone:startBridge': 'startAudioBridge',
  'phone:stopBridge': 'stopAudioBridge',
  /** Webinars (issue 19): on air, attendees on stage and back, the audience's reactions, the Q&A's moderation queue. */
  'webinar:goLive': 'setWebinarLive',
  'webinar:setPanelist': 'setWebinarPanelist',
  'webinar:react': 'webinarReaction',
  'questions:moderate': 'moderateQuestion',
  /** Webinar registration (issue 19): the hosts' settings and registrant list. */
  'registration:settings': 'getRegistration',
  'registration:setSettings': 'setRegistration',
  'registration:registrants': 'listRegistrants',
  'registration:decide': 'decideRegistrant',
  /** Live streaming (issue 19): the meeting's stream and its health, start and stop it. */
  'stream:state': 'getStream',
  'stream:start': 'startStream',
  'stream:stop': 'stopStream',
} as const satisfies Record<string, RouteName>;
export type ForwardedChannel = keyof typeof FORWARDED_ROUTES;

type PartSchema<R, K extends string> = R extends { readonly [P in K]: infer S extends z.ZodType } ? S : typeof Empty;
/** A route with a query (a filtered list) takes it as `query` beside its params and body. */
type QueryPart<R> = R extends { readonly query: infer S extends z.ZodType } ? { query: S } : unknown;
type Forwarded<N extends RouteName> = {
  readonly request: z.ZodObject<
    {
      params: PartSchema<(typeof ROUTES)[N], 'params'>;
      body: PartSchema<(typeof ROUTES)[N], 'body'>;
    } & QueryPart<(typeof ROUTES)[N]>
  >;
  readonly response: (typeof ROUTES)[N]['response'];
};

function forwardedChannels(): { readonly [C in ForwardedChannel]: Forwarded<(typeof FORWARDED_ROUTES)[C]> } {
  const entries = Object.entries(FORWARDED_ROUTES).map(([name, routeName]) => {
    const route: RouteDef = ROUTES[routeName];
    const parts = { params: route.params ?? Empty, body: route.body ?? Empty };
    return [
      name,
      channel(
        lazySchema(() => z.object(route.query === undefined ? parts : { ...parts, query: route.query })),
        route.response,
      ),
    ];
  });
  // Object.fromEntries loses the per-key types the table above fixes.
  return Object.fromEntries(entries) as { readonly [C in ForwardedChannel]: Forwarded<(typeof FORWARDED_ROUTES)[C]> };
}

/** The server's WebSocket messages about a meeting in progress, passed on to the renderer as they come. */
export const MEETING_LIVE_TYPES: ReadonlySet<ServerMessage['type']> = new Set([
  'lobby.entry',
  'meeting.changed',
  'meeting.left',
  'breakout.changed',
  'breakout.move',
  'breakout.broadcast',
  'breakout.help',
  'hands.changed',
  'poll.changed',
  'question.changed',
  'recording.changed',
  'stream.changed',
  'e2ee.keys',
]);
export const MeetingLiveMessageSchema = lazySchema(() =>
  ServerMessageSchema.refine((message) => MEETING_LIVE_TYPES.has(message.type), 'not a meeting message'),
);

/** A meeting to join; `landing`: what the join link's page said of it (the browser client opened at `/j/<code>`). */
const DeepLinkJoinSchema = lazySchema(() =>
  z.object({ code: z.string().min(1), landing: JoinLandingSchema.optional() }),
);
const MentionPersonSchema = lazySchema(() => z.object({ id: Id, name: z.string() }));

/** Where a clicked notification takes the user. */
export const NotificationTargetSchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    /** `threadOf`: a thread reply's root, whose thread opens beside the conversation. */
    z.object({ kind: z.literal('conversation'), conversationId: Id, threadOf: Id.optional() }),
    z.object({ kind: z.literal('meeting'), meetingId: Id }),
    /** Home, where the upcoming meetings are (an invitation). */
    z.object({ kind: z.literal('home') }),
  ]),
);
export type NotificationTarget = z.infer<typeof NotificationTargetSchema>;
/** `link`: what was opened, cut to a length fit to show. */
const DeepLinkRefusedSchema = lazySchema(() => z.object({ link: z.string().max(DEEP_LINK_SHOWN_LENGTH) }));

export const IPC_CHANNELS = {
  /** The session restored from the OS key store at start, or null. */
  'auth:session': channel(
    Empty,
    lazySchema(() =>
      z.object({
        session: SessionInfoSchema.nullable(),
        /**
         * The cache knows the user but holds no usable token (no OS key store, or the session ended):
         * show the cached data, and ask for the password before anything that needs the server.
         */
        needsSignIn: z.boolean(),
        /** Why the last sign-in did not succeed, to show on the sign-in screen (a refused single sign-on). */
        notice: z.string().optional(),
      }),
    ),
  ),
  'auth:signIn': channel(
    lazySchema(() => SignInRequestSchema.extend({ serverUrl: z.url() })),
    SessionInfoSchema,
  ),
  /** How this address signs in on that server: password, single sign-on, or single sign-on only. */
  'auth:discover': channel(
    lazySchema(() => z.strictObject({ serverUrl: z.url(), email: z.email().max(254) })),
    SsoDiscoverResultSchema,
  ),
  /**
   * Single sign-on in the system browser (never in a web view): main opens the organisation's
   * identity provider and answers once the person has signed in there and the server's one-time
   * code is exchanged (or with the refusal). A second call replaces one still waiting. The browser
   * client leaves the page for the provider instead, and comes back signed in.
   */
  'auth:signInWithSso': channel(
    lazySchema(() => z.strictObject({ serverUrl: z.url(), email: z.email().max(254) })),
    SessionInfoSchema,
  ),
  /**
   * Someone without an account joins by a meeting's link: a guest session for that meeting alone,
   * waiting in its lobby (`meeting:admission` follows). The browser client offers it; the desktop
   * app answers `unavailable` (its people sign in).
   */
  'auth:joinAsGuest': channel(
    lazySchema(() =>
      z
        .object({
          code: z.string().trim().min(1).max(64),
          name: DisplayNameSchema,
          email: z.email().max(254).optional(),
        })
        .strict(),
    ),
    lazySchema(() => z.object({ session: SessionInfoSchema, outcome: JoinOutcomeSchema })),
  ),
  'auth:signOut': channel(Empty, Empty),

  /**
   * Cached meetings at once; `meetings:changed` follows when the server answers. `upcoming`: the
   * scheduled or live meetings the user owns or is invited to; `organisers`: their owners' names
   * by user id, as far as the cache knows them.
   */
  'meetings:list': channel(
    Empty,
    lazySchema(() =>
      z.object({
        upcoming: z.array(MeetingSchema),
        personalRoom: MeetingSchema.nullable(),
        organisers: z.record(Id, z.string()),
      }),
    ),
  ),
  'meetings:create': channel(CreateMeetingRequestSchema, MeetingSchema),
  /** Reschedule, rename or change a meeting's settings (its hosts only); the cache follows. */
  'meetings:update': channel(
    lazySchema(() => z.object({ meetingId: Id, patch: UpdateMeetingRequestSchema }).strict()),
    MeetingSchema,
  ),
  /** Cancels a scheduled meeting for everyone (its hosts only); it leaves the upcoming list. */
  'meetings:cancel': channel(
    lazySchema(() => z.object({ meetingId: Id }).strict()),
    MeetingSchema,
  ),
  /** `codeOrLink`: a join code, a `tandem://join/<code>` link or an https join link. */
  'meetings:join': channel(
    lazySchema(() =>
      z.object({
        codeOrLink: z.string().trim().min(1).max(2000),
        viewOnly: z.boolean().optional(),
        /** The name others see in this call and its lobby (the pre-join choice); the account's when absent. */
        displayName: DisplayNameSchema.optional(),
      }),
    ),
    JoinOutcomeSchema,
  ),

  /**
   * Stops waiting in a meeting's lobby: the hosts no longer see us, and an admission that comes
   * anyway starts no call (the person may knock again later).
   */
  'meetings:leaveLobby': channel(
    lazySchema(() => z.object({ meetingId: IdSchema }).strict()),
    Empty,
  ),

  /**
   * Every conversation the cache knows (channels and meeting chats), by name: what renders before
   * the network answers. `conversations:changed` follows when one is added or its unread count or
   * newest message changes.
   */
  'chat:conversations': channel(
    Empty,
    lazySchema(() => z.object({ conversations: z.array(ConversationSummarySchema) })),
  ),
  /**
   * Marks the conversation opened (it renders first next start) and read, and syncs it in the
   * background; its messages arriving while it is on screen (`ui:attention`) are read too.
   */
  'chat:open': channel(
    lazySchema(() => z.object({ conversationId: Id })),
    ConversationSummarySchema,
  ),
  /**
   * Creates a channel on the server (online only; guests are refused) and follows it: public (the
   * rest of the organisation hears of it live) or `private` with its first `memberIds`.
   */
  'chat:createChannel': channel(CreateChannelRequestSchema, ConversationSummarySchema),
  /** The direct chat with this person: started on the server once per pair (online only), then from the cache. */
  'chat:startDirect': channel(StartDirectRequestSchema, ConversationSummarySchema),
  /** A group chat with two or more others, named or not (online only). */
  'chat:createGroup': channel(CreateGroupRequestSchema, ConversationSummarySchema),
  /**
   * Renames (channels, groups) or archives and unarchives (channels) on the server (online only);
   * the answer is the conversation as the cache now has it.
   */
  'chat:update': channel(
    lazySchema(() => z.object({ conversationId: Id, patch: UpdateConversationRequestSchema }).strict()),
    ConversationSummarySchema,
  ),
  /** A private conversation's members with their roles, from the server (online only). */
  'chat:members': channel(
    lazySchema(() => z.object({ conversationId: Id }).strict()),
    lazySchema(() => z.object({ members: z.array(MemberViewSchema) })),
  ),
  /** Adds people to a group or private channel, with the history or without (online only). */
  'chat:addMembers': channel(
    lazySchema(() =>
      z.object({ conversationId: Id, userIds: AddMembersRequestSchema.shape.userIds, history: z.boolean() }).strict(),
    ),
    ConversationSummarySchema,
  ),
  /** Removes someone from a group or private channel (online only); oneself: `chat:leave`. */
  'chat:removeMember': channel(
    lazySchema(() => z.object({ conversationId: Id, userId: Id }).strict()),
    Empty,
  ),
  /**
   * Leaves a group or channel (online only). A private one leaves the cache with its messages
   * (`conversations:removed`); a public one stays, marked `left`, until `chat:join`.
   */
  'chat:leave': channel(
    lazySchema(() => z.object({ conversationId: Id }).strict()),
    Empty,
  ),
  /** Follows a public channel the user left again (online only). */
  'chat:join': channel(
    lazySchema(() => z.object({ conversationId: Id }).strict()),
    ConversationSummarySchema,
  ),
  /** Marks everything the cache holds of the conversation read; the server hears of it when online. */
  'chat:markRead': channel(
    lazySchema(() => z.object({ conversationId: Id }).strict()),
    ConversationSummarySchema,
  ),
  /**
   * Where the other members of a direct chat or small group have read up to, as last heard
   * (from the cache, so offline too); `chat:receiptsChanged` pushes changes.
   */
  'chat:receipts': channel(
    lazySchema(() => z.object({ conversationId: Id }).strict()),
    lazySchema(() => z.object({ receipts: z.array(ReadReceiptViewSchema) })),
  ),
  /** Messages from the cache, oldest first; pending ones last. */
  'chat:list': channel(
    lazySchema(() =>
      z.object({
        conversationId: Id,
        /** Page backwards: only messages with seq below this. */
        beforeSeq: z.number().int().min(1).optional(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    ),
    lazySchema(() => z.object({ messages: z.array(ChatMessageViewSchema) })),
  ),
  /** Writes to the cache and the outbox, answers at once; sent when online, exactly once. */
  'chat:send': channel(
    lazySchema(() =>
      z
        .object({
          conversationId: Id,
          /** May be empty when the message carries files. */
          body: SendMessageRequestSchema.shape.body,
          /** Reply in the thread of this top-level message. */
          threadOf: ClientIdSchema.optional(),
          /** Files uploaded into the conversation (`files:upload`) that the message carries. */
          files: z.array(ChatFileRefSchema).min(1).max(CHAT_FILE_LIMITS.perMessage).optional(),
          /** Urgent (direct and group chats only; the server refuses it elsewhere). */
          urgent: z.boolean().optional(),
        })
        .refine((r) => r.body !== '' || r.files !== undefined, {
          path: ['body'],
          message: 'a message needs words or files',
        }),
    ),
    ChatMessageViewSchema,
  ),
  /**
   * Uploads a file into a conversation, its bytes as base64 (at most the contract's largest file;
   * the server may allow less and answers 413). Online only. `files:progress` tells how far it got;
   * `files:cancel` with the same `uploadId` stops it. The answer is attached by `chat:send`.
   */
  'files:upload': channel(
    lazySchema(() =>
      z
        .object({
          uploadId: Id,
          conversationId: Id,
          name: ChatFileNameSchema,
          contentType: z.string().max(200),
          data: z
            .string()
            .max(Math.ceil(CHAT_FILE_LIMITS.defaultMaxBytes / 3) * 4)
            .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64'),
        })
        .strict(),
    ),
    ChatFileSchema,
  ),
  /** Stops an upload under way (its `files:upload` fails with `bad_request` "cancelled"); an unknown id is no error. */
  'files:cancel': channel(
    lazySchema(() => z.object({ uploadId: Id }).strict()),
    Empty,
  ),
  /**
   * What an `<img>` shows for an image (up to CHAT_FILE_LIMITS.previewMaxBytes): in the app a
   * data: URL, fetched once through a short-lived link and kept in the cache, so it shows offline
   * afterwards; in the browser client the short-lived link itself (the page's own server).
   */
  'files:preview': channel(
    lazySchema(() => z.object({ conversationId: Id, fileId: Id }).strict()),
    lazySchema(() => z.object({ src: z.string() })),
  ),
  /**
   * The presence last heard of the people watched (`presence:watch`) and one's own;
   * `presence:changed` pushes every change.
   */
  'presence:list': channel(
    Empty,
    lazySchema(() => z.object({ presence: z.array(PresenceSchema) })),
  ),
  /**
   * Whose presence the renderer shows now (the whole set, replacing the last; one's own is always
   * heard): sent to the server at once when connected and again after every reconnect; their
   * presence comes as `presence:changed`.
   */
  'presence:watch': channel(
    lazySchema(() => z.strictObject({ userIds: z.array(IdSchema).max(PRESENCE_WATCH_LIMIT) })),
    Empty,
  ),
  /** Sets one's own presence on the server (online only): do not disturb, a status message. */
  'presence:set': channel(SetPresenceRequestSchema, PresenceSchema),
  /** Saves a file where the user keeps downloads: main asks for the link itself (the renderer hands over no URL). */
  'files:download': channel(
    lazySchema(() => z.object({ conversationId: Id, fileId: Id }).strict()),
    Empty,
  ),
  /**
   * A thread from the cache: its root first, then its replies oldest first (pending ones last).
   * The cache holds every reply it synced, so a thread reads offline too.
   */
  'chat:thread': channel(
    lazySchema(() => z.object({ conversationId: Id, rootId: ClientIdSchema })),
    lazySchema(() => z.object({ messages: z.array(ChatMessageViewSchema) })),
  ),
  /**
   * Gives (`add: true`) or takes back one's reaction with this emoji. Online only, like
   * `chat:edit`: main asks the server and answers the message as the cache now has it.
   */
  'chat:react': channel(
    lazySchema(() =>
      z
        .object({ conversationId: Id, messageId: ClientIdSchema, emoji: MessageReactionSchema, add: z.boolean() })
        .strict(),
    ),
    ChatMessageViewSchema,
  ),
  /**
   * Edits one's own sent message. Online only: main asks the server, folds the server's event
   * into the cache (search follows the new body) and answers the message as the cache now has it.
   */
  'chat:edit': channel(
    lazySchema(() =>
      z.object({ conversationId: Id, messageId: ClientIdSchema, body: EditMessageRequestSchema.shape.body }),
    ),
    ChatMessageViewSchema,
  ),
  /** Deletes a sent message (one's own; an admin's any), like `chat:edit`: the body leaves the cache. */
  'chat:delete': channel(
    lazySchema(() => z.object({ conversationId: Id, messageId: ClientIdSchema })),
    ChatMessageViewSchema,
  ),
  /** Puts a `failed` message back into the outbox (pending again, same client id). */
  'chat:retry': channel(
    lazySchema(() => z.object({ clientId: Id })),
    ChatMessageViewSchema,
  ),
  /** Forgets a `failed` message: the server never stored it, so it leaves the cache. */
  'chat:discard': channel(
    lazySchema(() => z.object({ clientId: Id })),
    Empty,
  ),
  /**
   * The organisation's people, deactivated ones too, in the order they were added (the server's
   * `GET /users`), for the people pickers and Settings → People: from the directory the app keeps,
   * after reading who changed since it was last read (`GET /users?since=`), so only changes cross
   * the network. Offline, what was kept; refused only when nothing was ever read.
   */
  'people:list': channel(
    Empty,
    lazySchema(() => z.object({ users: z.array(UserSchema) })),
  ),
  /** The organisation's people as the cache last heard them (for mentions), by name; works offline. */
  'chat:people': channel(
    Empty,
    lazySchema(() => z.object({ people: z.array(MentionPersonSchema) })),
  ),
  /**
   * The user is writing in the conversation (`typing: true`, at most every TYPING_SIGNAL.repeatMs)
   * or stopped (sent or cleared the draft). Lossy: dropped while offline, never queued.
   */
  'chat:typing': channel(
    lazySchema(() => z.object({ conversationId: Id, typing: z.boolean() }).strict()),
    Empty,
  ),

  'decisions:list': channel(
    lazySchema(() => z.object({ meetingId: Id.optional() })),
    lazySchema(() => z.object({ decisions: z.array(DecisionViewSchema) })),
  ),
  /** Cache and outbox first, like chat:send; the server's idempotency id is generated in main. */
  'decisions:create': channel(
    lazySchema(() => CreateDecisionRequestSchema.omit({ clientId: true })),
    DecisionViewSchema,
  ),
  'decisions:update': channel(
    lazySchema(() =>
      z.object({
        clientId: Id,
        patch: UpdateDecisionRequestSchema.refine((patch) => Object.keys(patch).length > 0, 'patch changes nothing'),
      }),
    ),
    DecisionViewSchema,
  ),

  /**
   * Search: the cache's messages (full text, works offline) merged with the server's answer
   * (messages the cache lacks, files by name, channels, people) when it can be asked; `scope`
   * says which. Filters as the server's `/search` (in, from, has a file, after, before).
   */
  'search:everything': channel(
    lazySchema(() =>
      z.object({
        query: z.string().trim().min(1).max(200),
        conversationId: Id.optional(),
        from: Id.optional(),
        hasFile: z.boolean().optional(),
        after: TimestampSchema.optional(),
        before: TimestampSchema.optional(),
        limit: z.number().int().min(1).max(100).default(50),
      }),
    ),
    lazySchema(() =>
      z.object({
        messages: z.array(SearchHitSchema),
        files: z.array(FileSearchHitSchema),
        channels: z.array(ChannelSearchHitSchema),
        people: z.array(z.object({ id: Id, name: z.string() })),
        /** Transcript segments: the cache's (meetings whose transcript this device kept), and the server's when online. */
        transcripts: z.array(TranscriptSearchHitSchema),
        /** `everywhere`: the server answered too; `device`: only what this device holds (offline). */
        scope: z.enum(['everywhere', 'device']),
      }),
    ),
  ),

  'connection:status': channel(
    Empty,
    lazySchema(() => z.object({ status: ConnectionStatusSchema })),
  ),
  /**
   * Someone is about to knock or sign in (a guest's name field took focus): open now what the
   * session will need, so it is ready when they are. The browser client opens its socket (it is
   * authenticated once the session exists, or closed by the server after 10 s without it).
   */
  'connection:warm': channel(Empty, Empty),

  /** The global shortcuts main could not register as set (taken by another app, twice the same, not valid). */
  'shortcuts:status': channel(
    Empty,
    lazySchema(() =>
      z.object({
        conflicts: z.array(
          z.object({
            action: z.enum(SHORTCUT_ACTIONS),
            accelerator: z.string(),
            reason: z.enum(['taken', 'duplicate', 'invalid']),
          }),
        ),
      }),
    ),
  ),

  /**
   * The signed-in person's end-to-end encryption device key pair (ECDH P-256, base64 DER), kept
   * sealed by the OS key store in main; the renderer imports the private half non-extractable.
   */
  /**
   * An encrypted meeting's chat, which never reaches the server: the desktop keeps it in its cache,
   * the browser client in memory for the page's life.
   */
  'encryption:chatHistory': channel(
    lazySchema(() => z.object({ meetingId: Id })),
    lazySchema(() => z.object({ messages: z.array(E2eeChatEntrySchema) })),
  ),
  'encryption:chatKeep': channel(
    lazySchema(() => z.object({ meetingId: Id, message: E2eeChatEntrySchema })),
    Empty,
  ),
  'encryption:deviceKey': channel(
    Empty,
    lazySchema(() => z.object({ privateKey: z.string().min(1).max(400), publicKey: E2eePublicKeySchema })),
  ),
  'settings:get': channel(Empty, SettingsSchema),
  /** What the organisation's IT policy sets on this machine (the sign-in server, 2160p, …) and locks. */
  'policy:get': channel(Empty, ManagedSettingsSchema),
  'settings:update': channel(
    lazySchema(() => SettingsSchema.partial()),
    SettingsSchema,
  ),

  /** Opens a link in the OS only if the external-link allowlist admits it (else `forbidden`). */
  'shell:openExternal': channel(
    lazySchema(() => z.object({ url: z.string().min(1).max(4000) })),
    Empty,
  ),
  /**
   * Opens a business app's page (issue 18) in the system browser: only a page the server lists
   * for the user's organisation (on it now, a delegation, a thread), optionally at a field
   * (`#tandem-field=`); anything else is `forbidden`, an unknown page `not_found`.
   */
  'pages:open': channel(
    lazySchema(() => z.object({ url: z.string().min(1).max(4000) })),
    Empty,
  ),
  /**
   * Saves a recording's file where the user keeps downloads: main asks the server for the
   * recording's link itself (the renderer hands over no URL) and lets the OS download it.
   */
  'recordings:download': channel(
    lazySchema(() => z.object({ meetingId: Id, recordingId: Id }).strict()),
    Empty,
  ),

  /**
   * Linked Teams/Zoom/Meet meetings (issue 6). Recognising pasted text is pure (`parseMeetingLink`)
   * and runs in the renderer. `linked:join` opens the native client through the one external-link
   * gate, falling back to the web link when the native one is refused or fails.
   */
  'linked:join': channel(
    lazySchema(() => z.object({ meeting: LinkedMeetingSchema })),
    lazySchema(() => z.object({ opened: z.enum(['native', 'web']), url: z.string() })),
  ),
  /** Our meetings and the user's connected calendars in a window (the server merges them). */
  'linked:calendar': channel(CalendarQuerySchema, CalendarSchema),
  'linked:get': channel(
    lazySchema(() => z.object({ meetingId: Id })),
    LinkedMeetingReadSchema,
  ),
  /** Attaches a pasted invitation to one of our meetings; the server recognises it again. */
  'linked:attach': channel(
    lazySchema(() => z.object({ meetingId: Id, text: AttachInvitationRequestSchema.shape.text })),
    LinkedMeetingRecordSchema,
  ),

  /**
   * Provider accounts (Microsoft 365, Google, Zoom), each forwarded to the server's route. The
   * consent's redirect is the server's own callback, which main knows and the renderer need not.
   */
  'providers:list': channel(Empty, ProviderListSchema),
  'providers:consent': channel(
    lazySchema(() => ConsentRequestSchema.omit({ redirectUri: true })),
    ConsentUrlSchema,
  ),
  'providers:connectZoom': channel(ZoomConnectRequestSchema, ProviderConnectionSchema),
  'providers:revoke': channel(
    lazySchema(() => z.object({ provider: ProviderIdSchema, scope: ConnectionScopeSchema })),
    Empty,
  ),

  /**
   * The renderer is ready for links: answers what arrived while it could not act on it (before
   * the page loaded; a join also while nobody was signed in, so it is taken after sign-in). From
   * then on main pushes `deepLink:join` (only while signed in; otherwise it is kept for the next
   * take) and `deepLink:refused`.
   */
  'deepLink:take': channel(
    Empty,
    lazySchema(() => z.object({ join: DeepLinkJoinSchema.nullable(), refused: DeepLinkRefusedSchema.nullable() })),
  ),

  /** Screens and windows with thumbnails for the screen-share picker. */
  'screen:sources': channel(
    lazySchema(() => z.object({ thumbnailWidth: z.number().int().min(16).max(1920).default(320) })),
    lazySchema(() => z.object({ sources: z.array(ScreenSourceSchema) })),
  ),

  /**
   * The sharer's annotation overlay (Electron only; elsewhere `unavailable`): a click-through
   * window over the shared screen, found by the shared source's id or given by its bounds.
   * The call window then sends its scene, which main relays to the overlay window alone.
   */
  'overlay:open': channel(
    lazySchema(() =>
      z.union([z.object({ sourceId: Id }).strict(), z.object({ bounds: OverlayBoundsSchema }).strict()]),
    ),
    Empty,
  ),
  'overlay:scene': channel(OverlaySceneSchema, Empty),
  'overlay:close': channel(Empty, Empty),

  /**
   * Where the user's attention is, so notifications stay away from what is on screen: the
   * conversation shown (its page or the call's chat panel) and whether a screen is being shared.
   */
  'ui:attention': channel(
    lazySchema(() => z.object({ viewing: Id.nullable(), presenting: z.boolean() }).strict()),
    Empty,
  ),

  /**
   * The organisation's audit log as a file (owners and admins): the server's export, fetched with
   * the session's token and handed over whole for the renderer to save.
   */
  /**
   * Help → Collect logs: a zip for the help desk (the rotating logs, versions, settings without
   * secrets or message content, IT's policy), base64-encoded for the renderer to save.
   */
  'diagnostics:collect': channel(
    Empty,
    lazySchema(() => z.object({ filename: z.string(), mimeType: z.literal('application/zip'), base64: z.string() })),
  ),
  /** Help → Connection test: main reaches the server's HTTP (`/healthz`) or its WebSocket as the app does. */
  'diagnostics:probe': channel(
    lazySchema(() => z.object({ check: z.enum(['server', 'websocket']) }).strict()),
    ConnectionProbeSchema,
  ),
  /** The connection test's latest run, kept by main for Collect logs. */
  'diagnostics:keepConnectionTest': channel(ConnectionTestReportSchema, Empty),
  'audit:export': channel(
    lazySchema(() => z.object({ filter: AuditFilterSchema, format: AuditExportFormatSchema }).strict()),
    lazySchema(() => z.object({ filename: z.string(), mimeType: z.string(), content: z.string() })),
  ),
  /** A webinar's registrants as CSV (hosts): a file, fetched by main like the audit export. */
  'registration:exportCsv': channel(
    lazySchema(() => z.object({ meetingId: Id }).strict()),
    lazySchema(() => z.object({ filename: z.string(), mimeType: z.string(), content: z.string() })),
  ),
  /**
   * A meeting's transcript (issue 14): the server's, which main keeps in the cache so it reads and
   * is found by search offline; this device's copy when the server cannot be asked.
   */
  'transcripts:get': channel(
    lazySchema(() => z.object({ meetingId: Id }).strict()),
    TranscriptViewSchema,
  ),
  /** A meeting's transcript as a text or WebVTT file, the server's export fetched by main like the audit export. */
  'transcripts:export': channel(
    lazySchema(() => z.object({ meetingId: Id, format: TranscriptExportQuerySchema.shape.format.unwrap() }).strict()),
    lazySchema(() => z.object({ filename: z.string(), mimeType: z.string(), content: z.string() })),
  ),
  ...forwardedChannels(),
} as const;

/**
 * Main → renderer pushes. Names are `domain:event`, distinct from request channels except
 * `overlay:scene`, which is the same scene passing on from main to the overlay window.
 */
export const IPC_EVENTS = {
  'connection:changed': lazySchema(() => z.object({ status: ConnectionStatusSchema })),
  /**
   * Messages added or changed in the cache: sync, live delivery (others' edits and deletes too),
   * outbox acknowledgement, and the outbox giving up on one (`status: 'failed'`).
   */
  'chat:messages': lazySchema(() => z.object({ conversationId: Id, messages: z.array(ChatMessageViewSchema) })),
  /**
   * Conversations added to the cache (a channel created, the list fetched at connect) or whose
   * unread count or newest message changed: merge them by id.
   */
  'conversations:changed': lazySchema(() => z.object({ conversations: z.array(ConversationSummarySchema) })),
  /**
   * Conversations that left the cache: the user left them or was removed (a private one's
   * messages went with it). Drop them; one on screen closes.
   */
  'conversations:removed': lazySchema(() =>
    z.object({
      conversationIds: z.array(Id),
      reason: z.enum(['left', 'removed']),
      by: z.object({ id: Id, name: z.string() }).nullable(),
    }),
  ),
  /** Read positions of a conversation's members changed ("Seen by"): the whole list as it now is. */
  'chat:receiptsChanged': lazySchema(() => z.object({ conversationId: Id, receipts: z.array(ReadReceiptViewSchema) })),
  /**
   * Someone else started or stopped writing in a followed conversation (the server's `typing`);
   * without another signal a start lapses after TYPING_SIGNAL.expireMs.
   */
  'chat:othersTyping': lazySchema(() =>
    z.object({ conversationId: Id, userId: Id, name: z.string(), typing: z.boolean() }),
  ),
  /** People's presence changed (or was fetched anew): merge by `userId`. */
  'presence:changed': lazySchema(() => z.object({ presence: z.array(PresenceSchema) })),
  /** How far an upload (`files:upload`) got: bytes handed to the network so far, of the whole. */
  'files:progress': lazySchema(() =>
    z.object({ uploadId: Id, sentBytes: z.number().int().min(0), totalBytes: z.number().int().min(0) }),
  ),
  'decisions:changed': lazySchema(() => z.object({ decisions: z.array(DecisionViewSchema) })),
  'meetings:changed': lazySchema(() => z.object({}).strict()),
  /** A connected calendar changed at its provider (issue 22): read the calendar again. */
  'calendar:changed': lazySchema(() => z.object({}).strict()),
  /**
   * An ask for an expert from a page (the server's `expert.ask`): one ringing the user (shown with
   * Answer and Decline until it stops), one of theirs answered, and every change after.
   */
  'expert:ask': lazySchema(() => z.object({ ask: ExpertAskSchema })),
  /** The organisation's pages changed (the server's `pages.changed`): the Pages view reads them again. */
  'pages:changed': lazySchema(() => z.object({}).strict()),
  /** The lobby decided about a `waiting` join. */
  'meeting:admission': lazySchema(() =>
    z.discriminatedUnion('status', [
      z.object({ status: z.literal('admitted'), call: CallDetailsSchema }),
      z.object({ status: z.literal('denied'), meeting: MeetingSchema }),
    ]),
  ),
  /** A `tandem://join/<code>` link was opened while someone is signed in; the renderer starts the join flow. */
  'deepLink:join': DeepLinkJoinSchema,
  /** A `tandem:` link the app cannot act on was opened; nothing was done, the renderer says so. */
  'deepLink:refused': DeepLinkRefusedSchema,
  /**
   * The session ended (signed out elsewhere, refresh refused): back to sign-in. `deactivated`:
   * the organisation deactivated the account; main forgot its tokens and its cache.
   */
  'auth:ended': lazySchema(() => z.object({ reason: z.enum(['signedOut', 'expired', 'deactivated']) })),
  /**
   * Who the signed-in user is changed on the server (their role, say, which closes their
   * WebSockets): the session as it now is. Checked on every connection to the server.
   */
  'auth:changed': SessionInfoSchema,
  /** A meeting message from the server (lobby, host actions, hands, polls, Q&A, breakouts, recording). */
  'meeting:live': MeetingLiveMessageSchema,
  /** The user clicked one of the app's desktop notifications; the window is already in front. */
  'notification:open': lazySchema(() => z.object({ target: NotificationTargetSchema })),
  /**
   * A command from outside the window: a global shortcut pressed (mute or camera in the current
   * call), the tray's Join by code or the Help menu's Connection test and Collect logs (the window
   * is already in front).
   */
  'shell:command': lazySchema(() =>
    z.object({
      command: z.enum([...SHORTCUT_ACTIONS, 'joinByCode', 'connectionTest', 'collectLogs']),
    }),
  ),
  /** To the overlay window only: the call's annotation scene to paint, in paint order. */
  'overlay:scene': OverlaySceneSchema,
} as const;

export type IpcChannel = keyof typeof IPC_CHANNELS;
export type IpcEvent = keyof typeof IPC_EVENTS;
export type IpcRequest<C extends IpcChannel> = z.input<(typeof IPC_CHANNELS)[C]['request']>;
/** The request after validation (defaults filled in): what handlers receive. */
export type IpcParsedRequest<C extends IpcChannel> = z.output<(typeof IPC_CHANNELS)[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<(typeof IPC_CHANNELS)[C]['response']>;
export type IpcEventPayload<E extends IpcEvent> = z.output<(typeof IPC_EVENTS)[E]>;

export const IpcErrorSchema = lazySchema(() =>
  z.object({
    code: ErrorCodeSchema,
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
);
export type IpcError = z.infer<typeof IpcErrorSchema>;

/**
 * Every invoke answers this envelope rather than throwing: Electron flattens thrown errors into
 * a message string, and the renderer must branch on `code`.
 */
export type IpcResult<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: IpcError };

export const IPC_CHANNEL_NAMES = Object.keys(IPC_CHANNELS) as readonly IpcChannel[];
export const IPC_EVENT_NAMES = Object.keys(IPC_EVENTS) as readonly IpcEvent[];

export function isIpcChannel(name: string): name is IpcChannel {
  return Object.hasOwn(IPC_CHANNELS, name);
}
