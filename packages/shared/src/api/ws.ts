import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { ApiErrorSchema } from '../errors.ts';
import { IdSchema, TimestampSchema } from './common.ts';
import {
  BreakoutRoomSchema,
  BreakoutSessionSchema,
  HelpRequestSchema,
  PollSchema,
  QuestionSchema,
  RaisedHandSchema,
} from './collab.ts';
import { ChatEventSchema, ConversationSchema, ReadReceiptSchema } from './chat.ts';
import { DecisionSchema } from './decisions.ts';
import {
  GuestJoinRequestSchema,
  GuestJoinResultSchema,
  JoinCodeSchema,
  JoinRequestSchema,
  LivekitConnectionSchema,
  LobbyEntrySchema,
  MeetingSchema,
} from './meetings.ts';
import { ExpertAskSchema, PageDelegationSchema } from './pages.ts';
import { PresenceSchema } from './presence.ts';
import { RecordingSchema } from './recordings.ts';
import { SOCKET_ROUTES } from './socketCalls.ts';
import { LiveStreamSchema } from './streaming.ts';

/**
 * The WebSocket lives at `GET /ws` on the same port as HTTP.
 *
 * Authentication: the FIRST message must be `{ type: 'auth', accessToken }` (not a query
 * parameter, so tokens never land in access logs), or a guest's `guest.knock` (see below). The
 * server answers `ready`, or `error` and closes with code 4401. Anything else before `auth`, or
 * no `auth` within 10 s, closes too.
 * When the access token expires the server closes with 4401; reconnect with a fresh one.
 *
 * Resume: after `ready` the client sends one `resume` with its change cursor: the offset of the
 * newest chat event it holds in the organisation's change stream (0 for none). The server sends,
 * in offset order, every `chat.event` after that cursor in the conversations the caller follows,
 * then `resumed` with the cursor it is now live from; after that, new events of every conversation
 * the caller follows arrive as they are committed, in offset order (so in seq order within each
 * conversation), with no gap and no duplicate. One frame and one round trip resume however many
 * conversations a person follows. A person follows every conversation they may read (guests: the
 * chats of meetings they were admitted to), including ones created later; a removal or denial ends
 * delivery at once. Each `chat.event` carries its `offset`: a client that has applied an event may
 * store its offset as its cursor, since everything before it on this connection came first.
 * `resumed.reset` means the server will not replay from that cursor (more than
 * RESUME_LIMITS.maxReplayEvents behind, or ahead of the server: a restored server): the client
 * brings each conversation whose `latestSeq` it lacks up to date from GET …/messages?since= and
 * takes `resumed.cursor` as its new cursor. A private conversation (direct, group, private
 * channel) is followed by its members only, from the seq they could see from; a member removed
 * hears nothing more of it from that moment. Lobby, meeting, decision and conversation events
 * need no resume: they reach everyone in the organisation they concern (lobby events: the
 * meeting's hosts and the waiting user only; meeting events: its owner, its invitees, those
 * just uninvited, so their clients drop it, and those who joined it). Breakout, hand, poll and
 * question events reach the meeting's audience (see collab.ts); `breakout.move` and
 * `breakout.help` reach only the person moved and the hosts.
 *
 * Presence by interest: a client says whose presence it shows with `presence.watch` (the whole
 * set each time, at most PRESENCE_WATCH_LIMIT people; send it again after every `ready`). The
 * server answers `presence.watched` with those people's current presence, and from then on the
 * connection hears `presence` only for them and for its own person (their other devices). A
 * connection that never sent `presence.watch` hears every member's presence in its organisation
 * (older clients). Guests hear and are answered only their own presence; people of another
 * organisation, deactivated or unknown are left out of the answer, never reported as such.
 */
export const WS_PATH = '/ws';

/** At most this many lobbies one socket may say it waits in (`auth.awaiting`). */
export const MAX_AWAITED_LOBBIES = 8;

/**
 * Close codes the server uses beyond the standard ones. `deactivated`: the account was
 * deactivated; its tokens are dead, so a client must not refresh or reconnect. `draining`: this
 * instance is shutting down (a deploy, a scale-in); the client reconnects at once, without
 * backing off, and the load balancer sends it to another instance.
 */
export const WS_CLOSE = {
  unauthenticated: 4401,
  deactivated: 4403,
  badMessage: 4400,
  draining: 4503,
  tooLarge: 1009,
} as const;

/**
 * Typing signals: a writer repeats `typing: true` at most every `repeatMs`; a reader forgets a
 * writer `expireMs` after the last one (two repeats lost, or a writer gone without a stop).
 */
export const TYPING_SIGNAL = { repeatMs: 3_000, expireMs: 6_000 } as const;

/**
 * Resume bounds. A client more than `maxReplayEvents` offsets behind is told to reset rather
 * than replayed to (paging over HTTP is cheaper for it and bounded for the server); the server
 * stops writing a replay while `bufferedBytes` wait unsent on the socket.
 */
export const RESUME_LIMITS = { maxReplayEvents: 10_000, bufferedBytes: 1024 * 1024 } as const;

/**
 * At most this many people one connection watches (`presence.watch`): a sidebar, a chat list and
 * a call's participants on screen, with room to spare. So many ids (39 bytes each in JSON) still
 * fit in one frame of LIMITS.wsMessageBytes; a client showing more watches those shown last.
 */
export const PRESENCE_WATCH_LIMIT = 400;

/**
 * What a client watches (`presence.watch`): the people it shows and its own person (whose
 * presence it shows in its own status, and needs at each connect), within PRESENCE_WATCH_LIMIT.
 */
export function watchSet(self: string | undefined, shown: readonly string[]): string[] {
  return [...new Set(self === undefined ? shown : [self, ...shown])].slice(0, PRESENCE_WATCH_LIMIT);
}

/** Names a `call` in its answer: any text the client chooses (unique among its calls waiting). */
export const CallRefSchema = lazySchema(() => z.string().min(1).max(64));

/** A position in an organisation's change stream: 0 is before the first event. */
export const ChangeCursorSchema = lazySchema(() => z.number().int().nonnegative());

export const ClientMessageSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    /**
     * `awaiting`: the lobbies this client waits in (a guest who knocked before the socket opened,
     * any client whose socket reconnects while it waits), each with the join it would make once
     * admitted (`lobbyWait.ts` keeps them, for the desktop and the browser alike). The server answers each on this socket,
     * after `ready`: `lobby.joined` as soon as it is admitted (at once if it already is), or
     * `lobby.refused`; the client makes no join of its own for them (see `lobby.joined`).
     */
    z.strictObject({
      type: z.literal('auth'),
      accessToken: z.string().min(1).max(200),
      awaiting: z
        .array(JoinRequestSchema.extend({ meetingId: IdSchema }))
        .max(MAX_AWAITED_LOBBIES)
        .optional(),
    }),
    /**
     * Instead of `auth`, on a socket opened before there was a session (a join link's page opens
     * one while the name is typed): knock as `POST /join-codes/:code/guests` does, on this socket,
     * a round trip fewer than that knock and then `auth` (B7). Answered by `guest.knocked` (the
     * guest's session and the join's answer), then `ready`: the socket is the guest's, waiting in
     * the lobby as if its `auth` had named it in `awaiting` (`lobby.joined` once admitted). Refused
     * (`error` with ref `guest.knock`, as the POST would answer), the socket stays unauthenticated.
     * Counted with sign-in attempts per address, as the POST is.
     */
    GuestJoinRequestSchema.extend({ type: z.literal('guest.knock'), code: JoinCodeSchema }),
    /**
     * Once per connection, after `ready`: start the change stream after `cursor`; `null` (a client
     * without a cache, such as the browser's) starts it at the newest event, replaying nothing.
     */
    z.strictObject({ type: z.literal('resume'), cursor: ChangeCursorSchema.nullable() }),
    z.strictObject({ type: z.literal('presence.set'), status: z.enum(['online', 'away']) }),
    /**
     * Whose presence this connection shows, replacing the set it sent before (see the presence
     * rules above); answered by `presence.watched`. Rate-limited per person, like typing.
     */
    z.strictObject({
      type: z.literal('presence.watch'),
      userIds: z.array(IdSchema).max(PRESENCE_WATCH_LIMIT),
    }),
    /**
     * Lossy: the user is writing in the conversation (`typing: true`, repeated at most every
     * TYPING_SIGNAL.repeatMs while they go on) or stopped (the draft was sent or cleared). Never
     * stored; rate-limited per person (too many answer `error` rate_limited and are dropped).
     */
    z.strictObject({ type: z.literal('typing'), conversationId: IdSchema, typing: z.boolean() }),
    z.strictObject({ type: z.literal('ping'), nonce: z.string().max(64).optional() }),
    /**
     * After `ready`: a route of SOCKET_ROUTES called on this socket (`params` and `body` as its
     * HTTP request would carry them, checked by the route's own schemas; the same rate limits),
     * answered `call.result` with the route's answer or `call.error` with its error, each naming
     * `ref`. Calls are handled in the order sent, one at a time, like every message on a socket.
     */
    z.strictObject({
      type: z.literal('call'),
      ref: CallRefSchema,
      route: z.enum(SOCKET_ROUTES),
      params: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ]),
);
export type ClientMessage = z.infer<typeof ClientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];

export const ServerMessageSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready'), userId: IdSchema, organisationId: IdSchema }),
    /** The answer to `guest.knock`, as the POST answers it; `ready` follows on this socket. */
    GuestJoinResultSchema.extend({ type: z.literal('guest.knocked') }),
    /**
     * The replay after `resume` is complete; live events follow `cursor`. `reset`: nothing was
     * replayed, bring conversations up to date over HTTP (see the resume rules above).
     */
    z.object({ type: z.literal('resumed'), cursor: ChangeCursorSchema, reset: z.boolean() }),
    /** `offset`: the event's place in its organisation's change stream. */
    z.object({ type: z.literal('chat.event'), event: ChatEventSchema, offset: ChangeCursorSchema.positive() }),
    /**
     * A conversation was created: a public channel to the organisation (not to guests: they never
     * read channels), a private one (direct, group, private channel) to its members only. Its
     * events come on the change stream.
     */
    z.object({ type: z.literal('conversation.created'), conversation: ConversationSchema }),
    /**
     * The recipient was added to a group or private channel by `addedBy`. Events up to
     * `visibleFromSeq` are not theirs (added without the history; 0 with it): page the rest from
     * GET …/messages?since=, new ones come on the change stream.
     */
    z.object({
      type: z.literal('conversation.added'),
      conversation: ConversationSchema,
      visibleFromSeq: z.number().int().nonnegative(),
      addedBy: z.object({ id: IdSchema, name: z.string() }),
    }),
    /**
     * Renamed, archived, unarchived, or its members changed: the conversation as it now is, with who
     * changed it. To those who may read it.
     */
    z.object({
      type: z.literal('conversation.changed'),
      conversation: ConversationSchema,
      changedBy: z.object({ id: IdSchema, name: z.string() }),
    }),
    /**
     * The recipient left, or `by` removed them from, a group or private channel (or left a public
     * channel): its delivery has ended; a client drops it (and its messages, when private).
     */
    z.object({
      type: z.literal('conversation.removed'),
      conversationId: IdSchema,
      reason: z.enum(['left', 'removed']),
      by: z.object({ id: IdSchema, name: z.string() }),
    }),
    /**
     * Someone's read position moved: to their own connections always, and to the other members of a
     * direct chat or a group of at most CONVERSATION_LIMITS.receiptsUpTo members ("Seen by").
     */
    z.object({ type: z.literal('conversation.read'), receipt: ReadReceiptSchema }),
    z.object({ type: z.literal('decision.changed'), decision: DecisionSchema }),
    /** A lobby entry was created or changed status. */
    z.object({ type: z.literal('lobby.entry'), entry: LobbyEntrySchema }),
    /**
     * A join this socket declared it waits for (`auth.awaiting`) went through: admitted, here is
     * the call, as `POST /meetings/:meetingId/join` answers it. Sent after the `lobby.entry` that
     * admitted it, so a client that declared the meeting does not join on that entry itself.
     */
    z.object({ type: z.literal('lobby.joined'), meeting: MeetingSchema, livekit: LivekitConnectionSchema }),
    /** A join this socket waits for cannot be made (the meeting ended, the guest was denied): why, as HTTP would say. */
    z.object({ type: z.literal('lobby.refused'), meetingId: IdSchema, error: ApiErrorSchema.shape.error }),
    /** The meeting as it now is, with who changed it (an invitee hears who cancelled it or uninvited them). */
    z.object({
      type: z.literal('meeting.changed'),
      meeting: MeetingSchema,
      changedBy: z.object({ id: IdSchema, name: z.string() }),
    }),
    /**
     * The meeting as it now is, to each person just invited to it (in place of `meeting.changed`),
     * with who invited them.
     */
    z.object({
      type: z.literal('meeting.invited'),
      meeting: MeetingSchema,
      invitedBy: z.object({ id: IdSchema, name: z.string() }),
    }),
    /** The user was removed from the meeting's LiveKit room by a host, or the meeting ended. */
    z.object({
      type: z.literal('meeting.left'),
      meetingId: IdSchema,
      userId: IdSchema,
      reason: z.enum(['removed', 'ended']),
    }),
    /** A person's presence changed: to those watching them, their own connections, and connections that never watched (older clients). */
    z.object({ type: z.literal('presence'), presence: PresenceSchema }),
    /**
     * The answer to `presence.watch`: the current presence of the watched people the caller may
     * see (others are absent). A client keeps the newer of this and a `presence` already heard
     * (by `updatedAt`): a change made while the answer was read can overtake it.
     */
    z.object({ type: z.literal('presence.watched'), presence: z.array(PresenceSchema) }),
    /**
     * Someone else started or stopped writing in a conversation this connection follows (never
     * one's own). Without a new signal, `typing: true` lapses after TYPING_SIGNAL.expireMs.
     */
    z.object({
      type: z.literal('typing'),
      conversationId: IdSchema,
      userId: IdSchema,
      name: z.string(),
      typing: z.boolean(),
    }),
    z.object({ type: z.literal('pong'), nonce: z.string().optional() }),
    /** Breakout rooms were created, assigned, opened, given a countdown or closed. To the meeting's audience. */
    z.object({ type: z.literal('breakout.changed'), session: BreakoutSessionSchema }),
    /**
     * To one person: leave the current LiveKit room and join this one, keeping the devices.
     * `room` is null for the way back to the main room.
     */
    z.object({
      type: z.literal('breakout.move'),
      meetingId: IdSchema,
      room: BreakoutRoomSchema.nullable(),
      livekit: LivekitConnectionSchema,
    }),
    /** A host's message to every breakout room. */
    z.object({
      type: z.literal('breakout.broadcast'),
      meetingId: IdSchema,
      fromUserId: IdSchema,
      fromName: z.string(),
      message: z.string(),
      sentAt: TimestampSchema,
    }),
    /** Someone in a breakout room asked for help. To the meeting's hosts. */
    z.object({ type: z.literal('breakout.help'), meetingId: IdSchema, request: HelpRequestSchema }),
    /** The whole hand-raise queue after a change, in order. */
    z.object({ type: z.literal('hands.changed'), meetingId: IdSchema, hands: z.array(RaisedHandSchema) }),
    /** A poll was created, opened, voted in or closed: its live results. */
    z.object({ type: z.literal('poll.changed'), poll: PollSchema }),
    /**
     * A recording of the meeting started, stopped, became ready or failed (a failure says why; hosts
     * show it). To the meeting's audience and to those waiting in its lobby.
     */
    z.object({ type: z.literal('recording.changed'), recording: RecordingSchema }),
    /** The meeting's live stream started, went live, reported its health, stopped or failed. To its hosts and panelists. */
    z.object({ type: z.literal('stream.changed'), stream: LiveStreamSchema }),
    /** A meeting key generation was wrapped for one of the recipient's devices: fetch it (e2ee.ts). */
    z.object({ type: z.literal('e2ee.keys'), meetingId: IdSchema, generation: z.number().int().min(1) }),
    /** A question was asked, upvoted, answered or marked. */
    z.object({ type: z.literal('question.changed'), question: QuestionSchema }),
    /**
     * A field delegation was made or finished (pages.ts): to its delegate (a new one is a desktop
     * notification with a link to the page at the field) and to whoever gave it.
     */
    z.object({ type: z.literal('page.delegation'), delegation: PageDelegationSchema }),
    /**
     * Ask an expert (pages.ts): an ask that rings the recipient (a desktop shows it with Answer and
     * Decline), and every change of it after (answered by someone, missed, cancelled: stop ringing);
     * to its asker too.
     */
    z.object({ type: z.literal('expert.ask'), ask: ExpertAskSchema }),
    /**
     * Who is on which of the organisation's pages or in which field, a delegation or a thread on a
     * page changed: a Pages view reads `GET /pages/now` and the lists again (a burst is one message).
     */
    z.object({ type: z.literal('pages.changed') }),
    /**
     * A connected calendar of the recipient changed at its provider (a Graph change notification):
     * read the calendar again (issue 22).
     */
    z.object({ type: z.literal('calendar.changed'), provider: z.enum(['microsoft', 'google']) }),
    /** The answer to `call` `ref`: the route's answer, which the client checks with the route's response schema. */
    z.object({ type: z.literal('call.result'), ref: CallRefSchema, result: z.unknown() }),
    /** `call` `ref` was refused, as HTTP would refuse it (a malformed call whose ref could be read too). */
    z.object({ type: z.literal('call.error'), ref: CallRefSchema, error: ApiErrorSchema.shape.error }),
    /** A message could not be handled; `ref` names the client message type it answers. */
    z.object({
      type: z.literal('error'),
      ref: z.string().optional(),
      error: ApiErrorSchema.shape.error,
    }),
  ]),
);
export type ServerMessage = z.infer<typeof ServerMessageSchema>;
export type ServerMessageType = ServerMessage['type'];
