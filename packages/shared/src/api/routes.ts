import { z } from 'zod';
import { IdSchema, OkSchema } from './common.ts';
import {
  ConversationListSchema,
  ConversationSchema,
  CreateChannelRequestSchema,
  DeleteMessageRequestSchema,
  EditMessageRequestSchema,
  ChatEventSchema,
  HistoryPageSchema,
  HistoryQuerySchema,
  SendMessageRequestSchema,
} from './chat.ts';
import {
  CreateDecisionRequestSchema,
  DecisionListSchema,
  DecisionQuerySchema,
  DecisionSchema,
  DecisionWithHistorySchema,
  UpdateDecisionRequestSchema,
} from './decisions.ts';
import {
  AuthSessionSchema,
  AuthTokensSchema,
  CreateUserRequestSchema,
  MeSchema,
  RefreshRequestSchema,
  SignInRequestSchema,
  SignUpRequestSchema,
  UserListSchema,
  UserSchema,
} from './identity.ts';
import {
  AttendanceListSchema,
  CreateMeetingRequestSchema,
  JoinRequestSchema,
  JoinResultSchema,
  LobbyListSchema,
  LockRequestSchema,
  MeetingListSchema,
  MeetingSchema,
  MuteRequestSchema,
  ParticipantListSchema,
  PermissionsRequestSchema,
  UpdateMeetingRequestSchema,
} from './meetings.ts';
import { PresenceListSchema, PresenceSchema, SetPresenceRequestSchema } from './presence.ts';

export const HealthSchema = z.object({
  ok: z.boolean(),
  database: z.boolean(),
  livekit: z.boolean(),
});
export type Health = z.infer<typeof HealthSchema>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * One HTTP route of the coordination server. `path` uses `:name` parameters; `params`,
 * `query` and `body` validate the request, `response` the success body (status `status`).
 * Routes with `auth: true` need `Authorization: Bearer <accessToken>`.
 */
export type RouteDef = {
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly auth: boolean;
  readonly status: 200 | 201;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly response: z.ZodType;
};

const route = <const R extends RouteDef>(r: R): R => r;

const MeetingParams = z.object({ meetingId: IdSchema });
const MeetingUserParams = z.object({ meetingId: IdSchema, userId: IdSchema });
const LobbyEntryParams = z.object({ meetingId: IdSchema, entryId: IdSchema });
const ConversationParams = z.object({ conversationId: IdSchema });
const MessageParams = z.object({ conversationId: IdSchema, messageId: z.uuid() });
const EmptyBody = z.strictObject({});

/** Every HTTP route, once. The server registers these and the OpenAPI document is made from them. */
export const ROUTES = {
  health: route({
    method: 'GET',
    path: '/healthz',
    summary: 'Database and LiveKit reachable',
    auth: false,
    status: 200,
    response: HealthSchema,
  }),

  signUp: route({
    method: 'POST',
    path: '/auth/signup',
    summary: 'Create an organisation and its owner',
    auth: false,
    status: 201,
    body: SignUpRequestSchema,
    response: AuthSessionSchema,
  }),
  signIn: route({
    method: 'POST',
    path: '/auth/signin',
    summary: 'Password sign-in (rate-limited)',
    auth: false,
    status: 200,
    body: SignInRequestSchema,
    response: AuthSessionSchema,
  }),
  refresh: route({
    method: 'POST',
    path: '/auth/refresh',
    summary: 'Rotate the refresh token, get a new access token',
    auth: false,
    status: 200,
    body: RefreshRequestSchema,
    response: AuthTokensSchema,
  }),
  signOut: route({
    method: 'POST',
    path: '/auth/signout',
    summary: "Revoke the caller's session (access and refresh tokens)",
    auth: true,
    status: 200,
    body: EmptyBody,
    response: OkSchema,
  }),
  me: route({
    method: 'GET',
    path: '/me',
    summary: 'The caller and their organisation',
    auth: true,
    status: 200,
    response: MeSchema,
  }),
  personalMeeting: route({
    method: 'GET',
    path: '/me/meeting',
    summary: "The caller's stable personal meeting room",
    auth: true,
    status: 200,
    response: MeetingSchema,
  }),

  listUsers: route({
    method: 'GET',
    path: '/users',
    summary: "People in the caller's organisation",
    auth: true,
    status: 200,
    response: UserListSchema,
  }),
  createUser: route({
    method: 'POST',
    path: '/users',
    summary: 'Add a person (owner or admin)',
    auth: true,
    status: 201,
    body: CreateUserRequestSchema,
    response: UserSchema,
  }),
  getUser: route({
    method: 'GET',
    path: '/users/:userId',
    summary: 'One person',
    auth: true,
    status: 200,
    params: z.object({ userId: IdSchema }),
    response: UserSchema,
  }),

  listMeetings: route({
    method: 'GET',
    path: '/meetings',
    summary: "The organisation's meetings",
    auth: true,
    status: 200,
    response: MeetingListSchema,
  }),
  createMeeting: route({
    method: 'POST',
    path: '/meetings',
    summary: 'Create or schedule a meeting',
    auth: true,
    status: 201,
    body: CreateMeetingRequestSchema,
    response: MeetingSchema,
  }),
  getMeeting: route({
    method: 'GET',
    path: '/meetings/:meetingId',
    summary: 'One meeting',
    auth: true,
    status: 200,
    params: MeetingParams,
    response: MeetingSchema,
  }),
  updateMeeting: route({
    method: 'PATCH',
    path: '/meetings/:meetingId',
    summary: 'Change title, schedule or settings (hosts)',
    auth: true,
    status: 200,
    params: MeetingParams,
    body: UpdateMeetingRequestSchema,
    response: MeetingSchema,
  }),
  cancelMeeting: route({
    method: 'POST',
    path: '/meetings/:meetingId/cancel',
    summary: 'Cancel a meeting (hosts)',
    auth: true,
    status: 200,
    params: MeetingParams,
    body: EmptyBody,
    response: MeetingSchema,
  }),
  resolveJoinCode: route({
    method: 'GET',
    path: '/join-codes/:code',
    summary: 'The meeting behind a join code',
    auth: true,
    status: 200,
    params: z.object({ code: z.string().regex(/^[a-z0-9]{4,16}$/) }),
    response: MeetingSchema,
  }),
  joinMeeting: route({
    method: 'POST',
    path: '/meetings/:meetingId/join',
    summary: 'Get a LiveKit token, or a lobby entry to wait on',
    auth: true,
    status: 200,
    params: MeetingParams,
    body: JoinRequestSchema,
    response: JoinResultSchema,
  }),

  listLobby: route({
    method: 'GET',
    path: '/meetings/:meetingId/lobby',
    summary: 'Who is waiting (hosts)',
    auth: true,
    status: 200,
    params: MeetingParams,
    response: LobbyListSchema,
  }),
  admit: route({
    method: 'POST',
    path: '/meetings/:meetingId/lobby/:entryId/admit',
    summary: 'Admit one waiting person (hosts)',
    auth: true,
    status: 200,
    params: LobbyEntryParams,
    body: EmptyBody,
    response: LobbyListSchema,
  }),
  deny: route({
    method: 'POST',
    path: '/meetings/:meetingId/lobby/:entryId/deny',
    summary: 'Deny one waiting person for good (hosts)',
    auth: true,
    status: 200,
    params: LobbyEntryParams,
    body: EmptyBody,
    response: LobbyListSchema,
  }),
  admitAll: route({
    method: 'POST',
    path: '/meetings/:meetingId/lobby/admit-all',
    summary: 'Admit everyone waiting (hosts)',
    auth: true,
    status: 200,
    params: MeetingParams,
    body: EmptyBody,
    response: LobbyListSchema,
  }),

  listParticipants: route({
    method: 'GET',
    path: '/meetings/:meetingId/participants',
    summary: 'Who is in the LiveKit room now',
    auth: true,
    status: 200,
    params: MeetingParams,
    response: ParticipantListSchema,
  }),
  muteParticipant: route({
    method: 'POST',
    path: '/meetings/:meetingId/participants/:userId/mute',
    summary: "Mute a participant's tracks (hosts)",
    auth: true,
    status: 200,
    params: MeetingUserParams,
    body: MuteRequestSchema,
    response: OkSchema,
  }),
  muteAll: route({
    method: 'POST',
    path: '/meetings/:meetingId/mute-all',
    summary: 'Mute every non-host microphone (hosts)',
    auth: true,
    status: 200,
    params: MeetingParams,
    body: EmptyBody,
    response: OkSchema,
  }),
  removeParticipant: route({
    method: 'POST',
    path: '/meetings/:meetingId/participants/:userId/remove',
    summary: 'Remove a participant; they cannot rejoin this meeting (hosts)',
    auth: true,
    status: 200,
    params: MeetingUserParams,
    body: EmptyBody,
    response: OkSchema,
  }),
  setPermissions: route({
    method: 'POST',
    path: '/meetings/:meetingId/participants/:userId/permissions',
    summary: "Change a participant's permissions (hosts)",
    auth: true,
    status: 200,
    params: MeetingUserParams,
    body: PermissionsRequestSchema,
    response: OkSchema,
  }),
  lockMeeting: route({
    method: 'POST',
    path: '/meetings/:meetingId/lock',
    summary: 'Lock or unlock the meeting (hosts)',
    auth: true,
    status: 200,
    params: MeetingParams,
    body: LockRequestSchema,
    response: MeetingSchema,
  }),
  endMeeting: route({
    method: 'POST',
    path: '/meetings/:meetingId/end',
    summary: 'End the meeting for everyone (hosts)',
    auth: true,
    status: 200,
    params: MeetingParams,
    body: EmptyBody,
    response: MeetingSchema,
  }),
  attendance: route({
    method: 'GET',
    path: '/meetings/:meetingId/attendance',
    summary: 'Who joined and left, when',
    auth: true,
    status: 200,
    params: MeetingParams,
    response: AttendanceListSchema,
  }),

  listConversations: route({
    method: 'GET',
    path: '/conversations',
    summary: 'Channels and meeting chats of the organisation',
    auth: true,
    status: 200,
    response: ConversationListSchema,
  }),
  createChannel: route({
    method: 'POST',
    path: '/conversations',
    summary: 'Create an organisation channel',
    auth: true,
    status: 201,
    body: CreateChannelRequestSchema,
    response: ConversationSchema,
  }),
  getConversation: route({
    method: 'GET',
    path: '/conversations/:conversationId',
    summary: 'One conversation',
    auth: true,
    status: 200,
    params: ConversationParams,
    response: ConversationSchema,
  }),
  history: route({
    method: 'GET',
    path: '/conversations/:conversationId/messages',
    summary: 'Events with seq > since, in order',
    auth: true,
    status: 200,
    params: ConversationParams,
    query: HistoryQuerySchema,
    response: HistoryPageSchema,
  }),
  sendMessage: route({
    method: 'POST',
    path: '/conversations/:conversationId/messages',
    summary: 'Send a message (idempotent by clientId; rate-limited)',
    auth: true,
    status: 200,
    params: ConversationParams,
    body: SendMessageRequestSchema,
    response: ChatEventSchema,
  }),
  editMessage: route({
    method: 'POST',
    path: '/conversations/:conversationId/messages/:messageId/edit',
    summary: 'Edit own message (idempotent by clientId)',
    auth: true,
    status: 200,
    params: MessageParams,
    body: EditMessageRequestSchema,
    response: ChatEventSchema,
  }),
  deleteMessage: route({
    method: 'POST',
    path: '/conversations/:conversationId/messages/:messageId/delete',
    summary: 'Delete a message (idempotent by clientId)',
    auth: true,
    status: 200,
    params: MessageParams,
    body: DeleteMessageRequestSchema,
    response: ChatEventSchema,
  }),

  listDecisions: route({
    method: 'GET',
    path: '/decisions',
    summary: "The organisation's decisions, optionally for one meeting",
    auth: true,
    status: 200,
    query: DecisionQuerySchema,
    response: DecisionListSchema,
  }),
  createDecision: route({
    method: 'POST',
    path: '/decisions',
    summary: 'Record a decision (idempotent by clientId)',
    auth: true,
    status: 200,
    body: CreateDecisionRequestSchema,
    response: DecisionSchema,
  }),
  getDecision: route({
    method: 'GET',
    path: '/decisions/:decisionId',
    summary: 'A decision and its history of changes',
    auth: true,
    status: 200,
    params: z.object({ decisionId: IdSchema }),
    response: DecisionWithHistorySchema,
  }),
  updateDecision: route({
    method: 'PATCH',
    path: '/decisions/:decisionId',
    summary: 'Change a decision; the change joins its history',
    auth: true,
    status: 200,
    params: z.object({ decisionId: IdSchema }),
    body: UpdateDecisionRequestSchema,
    response: DecisionSchema,
  }),

  listPresence: route({
    method: 'GET',
    path: '/presence',
    summary: "Presence of the organisation's people",
    auth: true,
    status: 200,
    response: PresenceListSchema,
  }),
  setPresence: route({
    method: 'PUT',
    path: '/presence',
    summary: 'Set own presence to online or away',
    auth: true,
    status: 200,
    body: SetPresenceRequestSchema,
    response: PresenceSchema,
  }),
} as const satisfies Record<string, RouteDef>;

export type RouteName = keyof typeof ROUTES;
/** The success body of a route, as the client receives it. */
export type RouteResponse<N extends RouteName> = z.infer<(typeof ROUTES)[N]['response']>;

/** Paths outside the table: they are not JSON request/response routes. */
export const SPECIAL_PATHS = {
  openapi: '/openapi.json',
  /** LiveKit posts signed webhooks here (application/webhook+json, `Authorization` JWT). */
  livekitWebhook: '/livekit/webhook',
} as const;
