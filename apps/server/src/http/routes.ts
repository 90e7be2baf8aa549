import {
  API_KEY_PREFIX,
  API_KEY_ROUTE_SCOPES,
  PRESENCE_PAGE_LIMIT,
  ROUTES,
  type ApiKeyScope,
  type RouteName,
  type RouteResponse,
} from '@tandem/shared';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Caller, RequestOrigin, Services } from '../services/index.ts';
import { HttpError, invalid } from './errors.ts';
import { rateLimiter, signInsPerAddress } from './rateLimit.ts';

type Route<N extends RouteName> = (typeof ROUTES)[N];
type Part<N extends RouteName, K extends 'params' | 'query' | 'body'> =
  Route<N> extends { readonly [P in K]: infer S extends z.ZodType } ? z.output<S> : undefined;

export type HandlerContext<N extends RouteName> = {
  readonly caller: Route<N>['auth'] extends true ? Caller : undefined;
  readonly params: Part<N, 'params'>;
  readonly query: Part<N, 'query'>;
  readonly body: Part<N, 'body'>;
  /** Where the request came from (what the audit log records). */
  readonly origin: RequestOrigin;
  /** Answer with this HTTP status instead of the route's (a call on a socket has none). */
  readonly status: (code: number) => void;
};

export type Handler<N extends RouteName> = (ctx: HandlerContext<N>) => Promise<RouteResponse<N>>;
/**
 * Handlers by route name. A route of the shared table without a handler yet (the contract may
 * run ahead of the server) answers 503 `unavailable`.
 */
export type HandlerMap = { readonly [N in RouteName]?: Handler<N> };

export type RouteOptions = {
  readonly rateLimits: {
    readonly signInPerMinute: number;
    readonly signUpPerMinute: number;
    readonly messagesPerMinute: number;
  };
};

const ok = { ok: true } as const;

function handlers(s: Services): HandlerMap {
  return {
    async health({ status }) {
      const h = await s.health();
      const healthy = h.database && h.livekit;
      if (!healthy) status(503);
      return { ok: healthy, ...h };
    },
    clientConfig: async () => s.clientConfig(),
    connectionTestToken: ({ caller }) => s.connectionTestToken(caller),
    captionsStatus: ({ caller, params }) => s.transcripts.status(caller, params.meetingId),
    meetingTranscript: ({ caller, params, query }) => s.transcripts.transcript(caller, params.meetingId, query.q),
    searchTranscripts: ({ caller, query }) => s.transcripts.search(caller, query),
    getWhiteboard: ({ caller, params }) => s.whiteboards.get(caller, params.meetingId),
    saveWhiteboard: ({ caller, params, body }) => s.whiteboards.save(caller, params.meetingId, body),
    suggestParticipants: ({ caller, query }) => s.participantSuggestions.suggest(caller, query.topic, query.limit),
    getMeetingNotes: async ({ caller, params }) => ({ notes: await s.notes.latest(caller, params.meetingId) }),
    generateMeetingNotes: ({ caller, params, body }) => s.notes.generate(caller, params.meetingId, body),
    confirmNoteItem: ({ caller, params, body }) =>
      s.notes.confirm(caller, params.meetingId, params.notesId, params.itemId, body),
    rejectNoteItem: ({ caller, params }) => s.notes.reject(caller, params.meetingId, params.notesId, params.itemId),
    meetingInsights: ({ caller, params }) => s.insights.meeting(caller, params.meetingId),
    organisationInsights: ({ caller, query }) => s.insights.organisation(caller, query.weeks),
    signUp: ({ body, origin }) => s.auth.signUp(body, origin),
    signIn: ({ body, origin }) => s.auth.signIn(body, origin),
    refresh: ({ body, origin }) => s.auth.refresh(body.refreshToken, origin),
    signOut: async ({ caller }) => (await s.auth.signOut(caller), ok),
    me: ({ caller }) => s.auth.me(caller),
    personalMeeting: ({ caller }) => s.meetings.personal(caller),
    listUsers: ({ caller, query }) => s.auth.directory(caller, query),
    createUser: ({ caller, body }) => s.auth.createUser(caller, body),
    getUser: ({ caller, params }) => s.auth.getUser(caller, params.userId),
    updateUser: ({ caller, params, body }) => s.people.update(caller, params.userId, body),
    deactivateUser: ({ caller, params }) => s.people.deactivate(caller, params.userId),
    reactivateUser: ({ caller, params }) => s.people.reactivate(caller, params.userId),
    listMeetings: async ({ caller, query }) => ({ meetings: await s.meetings.list(caller, query) }),
    createMeeting: ({ caller, body }) => s.meetings.create(caller, body),
    getMeeting: ({ caller, params }) => s.meetings.get(caller, params.meetingId),
    updateMeeting: ({ caller, params, body }) => s.meetings.update(caller, params.meetingId, body),
    cancelMeeting: ({ caller, params }) => s.meetings.cancel(caller, params.meetingId),
    listOccurrences: async ({ caller, params, query }) => ({
      occurrences: await s.meetings.occurrences(caller, params.meetingId, query),
    }),
    editOccurrence: ({ caller, params, body }) =>
      s.meetings.editOccurrence(caller, params.meetingId, params.occurrenceId, body),
    resolveJoinCode: ({ caller, params }) => s.meetings.byCode(caller, params.code),
    joinAsGuest: ({ params, body, origin }) => s.guestLinks.knock(params.code, body, origin),
    getOrganisationSettings: ({ caller }) => s.organisation.settings(caller),
    updateOrganisationSettings: ({ caller, body }) => s.organisation.update(caller, body),
    joinMeeting: ({ caller, params, body }) => s.meetings.join(caller, params.meetingId, body),
    leaveLobby: async ({ caller, params }) => (await s.meetings.leaveLobby(caller, params.meetingId), ok),
    listLobby: async ({ caller, params }) => ({ entries: await s.meetings.lobby(caller, params.meetingId) }),
    admit: async ({ caller, params }) => ({
      entries: await s.meetings.decide(caller, params.meetingId, params.entryId, 'admitted'),
    }),
    deny: async ({ caller, params }) => ({
      entries: await s.meetings.decide(caller, params.meetingId, params.entryId, 'denied'),
    }),
    admitAll: async ({ caller, params }) => ({ entries: await s.meetings.admitAll(caller, params.meetingId) }),
    listParticipants: async ({ caller, params }) => ({
      participants: await s.meetings.participants(caller, params.meetingId),
    }),
    muteParticipant: async ({ caller, params, body }) => (
      await s.meetings.mute(caller, params.meetingId, params.userId, body),
      ok
    ),
    muteAll: async ({ caller, params }) => (await s.meetings.muteAll(caller, params.meetingId), ok),
    removeParticipant: async ({ caller, params }) => (
      await s.meetings.remove(caller, params.meetingId, params.userId),
      ok
    ),
    setPermissions: async ({ caller, params, body }) => (
      await s.meetings.setPermissions(caller, params.meetingId, params.userId, body),
      ok
    ),
    lockMeeting: ({ caller, params, body }) => s.meetings.lock(caller, params.meetingId, body.locked),
    endMeeting: ({ caller, params }) => s.meetings.end(caller, params.meetingId),
    attendance: ({ caller, params }) => s.meetings.attendance(caller, params.meetingId),
    listConversations: async ({ caller, query }) => ({
      conversations: await s.conversations.list(caller, query.include),
    }),
    createChannel: ({ caller, body }) => s.conversations.createChannel(caller, body),
    getConversation: ({ caller, params }) => s.conversations.get(caller, params.conversationId),
    startDirect: ({ caller, body }) => s.conversations.startDirect(caller, body.userId),
    createGroup: ({ caller, body }) => s.conversations.createGroup(caller, body),
    updateConversation: ({ caller, params, body }) => s.conversations.update(caller, params.conversationId, body),
    listMembers: async ({ caller, params }) => ({
      members: await s.conversations.members(caller, params.conversationId),
    }),
    addMembers: ({ caller, params, body }) => s.conversations.addMembers(caller, params.conversationId, body),
    setMemberRole: ({ caller, params, body }) =>
      s.conversations.setRole(caller, params.conversationId, params.userId, body.role),
    removeMember: async ({ caller, params }) => (
      await s.conversations.removeMember(caller, params.conversationId, params.userId),
      ok
    ),
    leaveConversation: async ({ caller, params }) => (await s.conversations.leave(caller, params.conversationId), ok),
    joinConversation: ({ caller, params }) => s.conversations.join(caller, params.conversationId),
    markRead: ({ caller, params, body }) => s.conversations.markRead(caller, params.conversationId, body.seq),
    history: ({ caller, params, query }) => s.chat.history(caller, params.conversationId, query.since, query.limit),
    sendMessage: ({ caller, params, body }) => s.chat.send(caller, params.conversationId, body),
    editMessage: ({ caller, params, body }) => s.chat.edit(caller, params.conversationId, params.messageId, body),
    deleteMessage: ({ caller, params, body }) => s.chat.delete(caller, params.conversationId, params.messageId, body),
    reactToMessage: ({ caller, params, body }) =>
      s.chat.react(caller, params.conversationId, params.messageId, 'react', body),
    unreactToMessage: ({ caller, params, body }) =>
      s.chat.react(caller, params.conversationId, params.messageId, 'unreact', body),
    listDecisions: ({ caller, query }) => s.decisions.list(caller, query),
    createDecision: ({ caller, body }) => s.decisions.create(caller, body),
    getDecision: ({ caller, params }) => s.decisions.get(caller, params.decisionId),
    updateDecision: ({ caller, params, body }) => s.decisions.update(caller, params.decisionId, body),
    listPresence: ({ caller, query }) =>
      s.presence.page(caller, query.after ?? null, query.limit ?? PRESENCE_PAGE_LIMIT),
    setPresence: ({ caller, body }) => s.presence.declare(caller, body),
    getBreakouts: ({ caller, params }) => s.breakouts.get(caller, params.meetingId),
    createBreakouts: ({ caller, params, body }) => s.breakouts.create(caller, params.meetingId, body),
    assignBreakouts: ({ caller, params, body }) => s.breakouts.assign(caller, params.meetingId, body),
    chooseBreakout: ({ caller, params, body }) => s.breakouts.choose(caller, params.meetingId, body.roomId),
    openBreakouts: ({ caller, params, body }) => s.breakouts.open(caller, params.meetingId, body.durationSeconds),
    closeBreakouts: ({ caller, params }) => s.breakouts.close(caller, params.meetingId),
    breakoutCountdown: ({ caller, params, body }) => s.breakouts.countdown(caller, params.meetingId, body.seconds),
    broadcastBreakouts: async ({ caller, params, body }) => (
      await s.breakouts.broadcast(caller, params.meetingId, body.message),
      ok
    ),
    myBreakout: ({ caller, params }) => s.breakouts.mine(caller, params.meetingId),
    joinBreakoutRoom: ({ caller, params }) => s.breakouts.join(caller, params.meetingId, params.roomId),
    askBreakoutHelp: ({ caller, params }) => s.breakouts.askForHelp(caller, params.meetingId),
    getDialInNumbers: ({ caller }) => s.phone.numbers(caller),
    setDialInNumbers: ({ caller, body }) => s.phone.setNumbers(caller, body),
    meetingDialIn: ({ caller, params }) => s.phone.dialIn(caller, params.meetingId),
    dialOut: ({ caller, params, body }) => s.phone.dialOut(caller, params.meetingId, body.to),
    getAudioBridge: ({ caller, params }) => s.phone.bridge(caller, params.meetingId),
    startAudioBridge: ({ caller, params }) => s.phone.startBridge(caller, params.meetingId),
    stopAudioBridge: ({ caller, params }) => s.phone.stopBridge(caller, params.meetingId),
    listHands: ({ caller, params }) => s.hands.list(caller, params.meetingId),
    raiseHand: ({ caller, params }) => s.hands.raise(caller, params.meetingId),
    lowerHand: ({ caller, params, body }) => s.hands.lower(caller, params.meetingId, body.userId),
    lowerAllHands: ({ caller, params }) => s.hands.lowerAll(caller, params.meetingId),
    listPolls: async ({ caller, params }) => ({ polls: await s.polls.list(caller, params.meetingId) }),
    createPoll: ({ caller, params, body }) => s.polls.create(caller, params.meetingId, body),
    openPoll: ({ caller, params }) => s.polls.open(caller, params.meetingId, params.pollId),
    closePoll: ({ caller, params }) => s.polls.close(caller, params.meetingId, params.pollId),
    votePoll: ({ caller, params, body }) => s.polls.vote(caller, params.meetingId, params.pollId, body),
    listQuestions: async ({ caller, params }) => ({ questions: await s.qna.list(caller, params.meetingId) }),
    askQuestion: ({ caller, params, body }) => s.qna.ask(caller, params.meetingId, body.text),
    upvoteQuestion: ({ caller, params, body }) => s.qna.upvote(caller, params.meetingId, params.questionId, body.up),
    answerQuestion: ({ caller, params, body }) => s.qna.answer(caller, params.meetingId, params.questionId, body),
    markQuestionAnswered: ({ caller, params, body }) =>
      s.qna.markAnswered(caller, params.meetingId, params.questionId, body.answered),
    moderateQuestion: ({ caller, params, body }) =>
      s.qna.moderate(caller, params.meetingId, params.questionId, body.moderation),
    setWebinarLive: ({ caller, params }) => s.webinars.goLive(caller, params.meetingId),
    setWebinarPanelist: ({ caller, params, body }) =>
      s.webinars.setPanelist(caller, params.meetingId, params.userId, body.panelist),
    webinarReaction: async ({ caller, params, body }) => (await s.webinars.react(caller, params.meetingId, body), ok),
    getRegistration: ({ caller, params }) => s.registration.settings(caller, params.meetingId),
    setRegistration: ({ caller, params, body }) => s.registration.setSettings(caller, params.meetingId, body),
    registrationForm: ({ params }) => s.registration.form(params.code),
    register: ({ params, body }) => s.registration.register(params.code, body),
    listRegistrants: async ({ caller, params }) => ({
      registrants: await s.registration.list(caller, params.meetingId),
    }),
    decideRegistrant: ({ caller, params, body }) =>
      s.registration.decide(caller, params.meetingId, params.registrantId, body.status),
    joinAsRegistrant: ({ body, origin }) => s.registration.join(body.token, origin),
    listProviders: ({ caller }) => s.linked.providers(caller),
    providerConsent: ({ caller, body }) => s.linked.consent(caller, body),
    completeConsent: ({ caller, body }) => s.linked.completeConsent(caller, body.code, body.state),
    connectZoom: ({ caller, body }) => s.linked.connectZoom(caller, body),
    revokeProvider: async ({ caller, params, query }) => (
      await s.linked.revoke(caller, params.provider, query.scope),
      ok
    ),
    getLinkedMeeting: async ({ caller, params }) => ({ linked: await s.linked.get(caller, params.meetingId) }),
    createLinkedMeeting: ({ caller, params, body }) => s.linked.create(caller, params.meetingId, body.provider),
    attachInvitation: ({ caller, params, body }) => s.linked.attach(caller, params.meetingId, body.text),
    detachLinkedMeeting: async ({ caller, params }) => (await s.linked.detach(caller, params.meetingId), ok),
    calendar: ({ caller, query }) => s.linked.calendar(caller, query.from, query.to, query.only),
    createCalendarFeed: ({ caller }) => s.linked.createFeed(caller),
    revokeCalendarFeed: async ({ caller }) => (await s.linked.revokeFeed(caller), ok),
    listApiKeys: async ({ caller }) => ({ apiKeys: await s.apiKeys.list(caller) }),
    createApiKey: ({ caller, body }) => s.apiKeys.create(caller, body),
    revokeApiKey: async ({ caller, params }) => (await s.apiKeys.revoke(caller, params.apiKeyId), ok),
    listWebhooks: async ({ caller }) => ({ endpoints: await s.outgoingWebhooks.list(caller) }),
    createWebhook: ({ caller, body }) => s.outgoingWebhooks.create(caller, body),
    updateWebhook: ({ caller, params, body }) => s.outgoingWebhooks.update(caller, params.webhookId, body),
    deleteWebhook: async ({ caller, params }) => (await s.outgoingWebhooks.delete(caller, params.webhookId), ok),
    listWebhookAttempts: async ({ caller, params, query }) => ({
      attempts: await s.outgoingWebhooks.attempts(caller, params.webhookId, query.limit),
    }),
    getSso: ({ caller }) => s.sso.settings(caller),
    configureSso: ({ caller, body }) => s.sso.configure(caller, body),
    removeSso: async ({ caller }) => (await s.sso.remove(caller), ok),
    listDomains: async ({ caller }) => ({ domains: await s.sso.domains(caller) }),
    addDomain: ({ caller, body }) => s.sso.addDomain(caller, body),
    verifyDomain: ({ caller, params }) => s.sso.verifyDomain(caller, params.domainId),
    removeDomain: async ({ caller, params }) => (await s.sso.removeDomain(caller, params.domainId), ok),
    ssoDiscover: async ({ body }) => ({ method: await s.sso.discover(body.email) }),
    ssoStart: ({ body }) => s.sso.start(body),
    ssoComplete: ({ body, origin }) => s.sso.complete(body, origin),
    listScimTokens: ({ caller }) => s.scim.tokens.list(caller),
    createScimToken: ({ caller, body }) => s.scim.tokens.create(caller, body),
    revokeScimToken: async ({ caller, params }) => (await s.scim.tokens.revoke(caller, params.tokenId), ok),
    listAudit: ({ caller, query }) => s.auditLog.list(caller, query),
    getStream: ({ caller, params }) => s.streaming.state(caller, params.meetingId),
    startStream: ({ caller, params, body }) => s.streaming.start(caller, params.meetingId, body),
    stopStream: ({ caller, params }) => s.streaming.stop(caller, params.meetingId),
    listRecordings: ({ caller, params }) => s.recordings.list(caller, params.meetingId),
    startRecording: ({ caller, params }) => s.recordings.start(caller, params.meetingId),
    stopRecording: ({ caller, params }) => s.recordings.stop(caller, params.meetingId, params.recordingId),
    recordingLink: ({ caller, params }) => s.recordings.link(caller, params.meetingId, params.recordingId),
    searchMessages: async ({ caller, query }) => ({ hits: await s.chat.search(caller, query) }),
    search: ({ caller, query }) => s.chat.searchEverything(caller, query),
    chatFileLink: ({ caller, params }) => s.files.link(caller, params.conversationId, params.fileId),
    registerE2eeDevice: ({ caller, body }) => s.e2ee.registerDevice(caller, body.publicKey),
    createPageToken: ({ caller, body }) => s.pages.mintToken(caller, body),
    verifyPage: ({ caller, body }) => s.pages.verify(caller, body),
    pagesNow: ({ caller }) => s.pages.now(caller),
    myDelegations: ({ caller }) => s.pages.delegations(caller),
    finishDelegation: ({ caller, params, body }) => s.pages.finish(caller, params.delegationId, body.status),
    pageThreads: ({ caller }) => s.pages.threads(caller),
    pageRoom: ({ caller, body }) => s.pages.room(caller, body),
    mySkills: ({ caller }) => s.pages.experts.mySkills(caller),
    setMySkills: ({ caller, body }) => s.pages.experts.setMySkills(caller, body),
    skillsDirectory: ({ caller }) => s.pages.experts.directory(caller),
    answerExpertAsk: ({ caller, params }) => s.pages.experts.answer(caller, params.askId),
    declineExpertAsk: ({ caller, params }) => s.pages.experts.decline(caller, params.askId),
    announceE2eeDevice: async ({ caller, params, body }) => (
      await s.e2ee.announce(caller, params.meetingId, body.deviceId),
      ok
    ),
    listE2eeDevices: ({ caller, params }) => s.e2ee.devices(caller, params.meetingId),
    postE2eeKeys: async ({ caller, params, body }) => (await s.e2ee.postKeys(caller, params.meetingId, body), ok),
    myE2eeKeys: ({ caller, params, query }) => s.e2ee.keys(caller, params.meetingId, query.deviceId),
    deleteRecording: async ({ caller, params }) => (
      await s.recordings.remove(caller, params.meetingId, params.recordingId),
      ok
    ),
  };
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{1,200})$/;

/** The client's address as the server saw it and its User-Agent (cut to what the audit log keeps). */
export function originOf(request: FastifyRequest): RequestOrigin {
  return { address: request.ip.slice(0, 100), client: (request.headers['user-agent'] ?? '').slice(0, 400) };
}

/** A person's access token, or an integration's API key (`tdm_…`, see services/apiKeys.ts). */
export async function authenticate(s: Services, request: FastifyRequest): Promise<Caller> {
  const match = BEARER.exec(request.headers.authorization ?? '');
  if (match?.[1] === undefined)
    throw new HttpError('unauthenticated', 'Authorization: Bearer <accessToken> is required');
  return match[1].startsWith(API_KEY_PREFIX)
    ? s.apiKeys.authenticate(match[1], originOf(request))
    : s.auth.authenticate(match[1], originOf(request));
}

/** An API key calls only what names a scope (`needed`), and only with that scope; people pass. */
export function checkScope(caller: Caller, needed: ApiKeyScope | undefined, what: string): void {
  if (caller.apiKey === undefined) return;
  if (needed === undefined) throw new HttpError('insufficient_scope', `${what} does not accept API keys`);
  if (!caller.apiKey.scopes.includes(needed)) {
    throw new HttpError('insufficient_scope', `this API key does not have the scope ${needed}`);
  }
}

function parse<T extends z.ZodType>(schema: T | undefined, value: unknown, where: string): z.output<T> | undefined {
  if (schema === undefined) return undefined;
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalid(where, parsed.error);
  return parsed.data;
}

/** A route's request once its caller is known, over HTTP or on a socket (`invoke`). */
export type RouteRequest = {
  readonly caller: Caller | undefined;
  readonly params: unknown;
  readonly query: unknown;
  readonly body: unknown;
  readonly origin: RequestOrigin;
  readonly status: (code: number) => void;
};
/** Serves one route's request (registerRoutes' `invoke`): its checked answer, or a thrown HttpError or ServiceError. */
export type InvokeRoute = (name: RouteName, request: RouteRequest) => Promise<unknown>;

/**
 * Registers every route of the shared table: validate, authenticate, call the service, check the
 * answer. Returns the same for a socket's calls.
 */
export function registerRoutes(app: FastifyInstance, s: Services, options: RouteOptions): InvokeRoute {
  const table = handlers(s);
  const missing: string[] = [];
  // Per account over all addresses: guesses at one password do not multiply with addresses.
  const signInsPerAccount = rateLimiter(
    s.cluster,
    options.rateLimits.signInPerMinute,
    'sign-in attempts for this account',
  );
  // Many accounts tried from one address (credential stuffing) are capped too, more loosely.
  const perAddress = signInsPerAddress(s.cluster, options.rateLimits.signInPerMinute);
  // Each sign-up costs a password hash and says whether an address is free: capped per address.
  const signUps = rateLimiter(s.cluster, options.rateLimits.signUpPerMinute, 'sign-ups from this address');
  const chatWrites = rateLimiter(s.cluster, options.rateLimits.messagesPerMinute, 'messages');
  // Things every participant of a meeting sees at once: one person cannot flood the meeting with them.
  const meetingWrites = rateLimiter(
    s.cluster,
    options.rateLimits.messagesPerMinute,
    'questions, raised hands or help requests',
  );
  // Managing people is an administrator's occasional work; a flood of it is a script gone wrong.
  const peopleWrites = rateLimiter(s.cluster, options.rateLimits.messagesPerMinute, 'changes to people');
  const limits: { readonly [N in RouteName]?: (ctx: HandlerContext<N>) => Promise<void> } = {
    signIn: async ({ origin, body }) => {
      await perAddress(origin.address);
      await signInsPerAccount(body.email.toLowerCase());
    },
    // Each knock makes an account and a session: as costly to the server as a sign-in attempt.
    joinAsGuest: ({ origin }) => perAddress(origin.address),
    // The public registration page's writes and registrants' links: each makes a record or a session.
    register: ({ origin }) => perAddress(origin.address),
    joinAsRegistrant: ({ origin }) => perAddress(origin.address),
    signUp: ({ origin }) => signUps(origin.address),
    // Single sign-on's unauthenticated steps cost like sign-in attempts, and guessing codes is capped.
    ssoDiscover: ({ origin }) => perAddress(origin.address),
    ssoStart: ({ origin }) => perAddress(origin.address),
    ssoComplete: ({ origin }) => perAddress(origin.address),
    sendMessage: ({ caller }) => chatWrites(caller.user.id),
    editMessage: ({ caller }) => chatWrites(caller.user.id),
    deleteMessage: ({ caller }) => chatWrites(caller.user.id),
    reactToMessage: ({ caller }) => chatWrites(caller.user.id),
    unreactToMessage: ({ caller }) => chatWrites(caller.user.id),
    askQuestion: ({ caller }) => meetingWrites(caller.user.id),
    raiseHand: ({ caller }) => meetingWrites(caller.user.id),
    askBreakoutHelp: ({ caller }) => meetingWrites(caller.user.id),
    createUser: ({ caller }) => peopleWrites(caller.user.id),
    updateUser: ({ caller }) => peopleWrites(caller.user.id),
    deactivateUser: ({ caller }) => peopleWrites(caller.user.id),
    reactivateUser: ({ caller }) => peopleWrites(caller.user.id),
    createScimToken: ({ caller }) => peopleWrites(caller.user.id),
  };

  /**
   * Route `name` as its HTTP request would be served once its caller is known: the API key's
   * scope, the request's parts checked by the route's schemas, its rate limit, the handler, and the
   * answer checked by the route's response schema. HTTP and calls on the socket (ws.ts) both.
   */
  const invoke: InvokeRoute = async (name, request) => {
    const route: Route<RouteName> = ROUTES[name];
    const handler = table[name] as ((ctx: HandlerContext<RouteName>) => Promise<unknown>) | undefined;
    if (handler === undefined) {
      throw new HttpError('unavailable', `${route.method} ${route.path} is not implemented by this server yet`);
    }
    const { caller } = request;
    if (caller !== undefined) checkScope(caller, API_KEY_ROUTE_SCOPES[name], `${route.method} ${route.path}`);
    const ctx = {
      caller,
      params: parse('params' in route ? route.params : undefined, request.params, 'path parameters'),
      query: parse('query' in route ? route.query : undefined, request.query ?? {}, 'query'),
      // A POST without a body means "no fields", which the empty-object schemas accept.
      body: parse('body' in route ? route.body : undefined, request.body ?? {}, 'body'),
      origin: request.origin,
      status: request.status,
    } as HandlerContext<RouteName>;
    const limit = limits[name] as ((ctx: HandlerContext<RouteName>) => Promise<void>) | undefined;
    await limit?.(ctx);
    return route.response.parse(await handler(ctx));
  };

  for (const name of Object.keys(ROUTES) as RouteName[]) {
    const route = ROUTES[name];
    if (table[name] === undefined) missing.push(name);
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const result = await invoke(name, {
          caller: route.auth ? await authenticate(s, request) : undefined,
          params: request.params,
          query: request.query,
          body: request.body,
          origin: originOf(request),
          status: (code) => void reply.code(code),
        });
        if (reply.statusCode === 200) void reply.code(route.status);
        return result;
      },
    });
  }
  if (missing.length > 0) app.log.warn(`routes without a handler yet: ${missing.join(', ')}`);
  return invoke;
}
