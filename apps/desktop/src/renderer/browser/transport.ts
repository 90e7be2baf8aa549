/**
 * The browser client's side of the one client interface: what main does for the Electron app,
 * done here over HTTP and WebSocket straight to the coordination server that served the page.
 * There is no cache: reads go to the server, live events come from the socket, the session lives
 * in sessionStorage (gone when the tab closes). What a browser cannot do (the OS's screen picker,
 * the annotation overlay window, offline search, opening Teams or Zoom) answers `unavailable` with a
 * sentence the screens show.
 */
import {
  ApiErrorSchema,
  AuthSessionSchema,
  ChatFileSchema,
  CodedError,
  createApiClient,
  createSocketCalls,
  preferSocket,
  DEFAULT_SETTINGS,
  SettingsSchema,
  FORWARDED_ROUTES,
  IPC_CHANNELS,
  issuesOf,
  inOrderAdded,
  joinCodeFrom,
  readChanges,
  lobbyWait,
  MEETING_LIVE_TYPES,
  mergePresence,
  ServerMessageSchema,
  mergeTranscriptHits,
  transcriptFilter,
  probeServer,
  serverSearchHit,
  SPECIAL_PATHS,
  USER_PAGE_LIMIT,
  WS_CLOSE,
  WS_PATH,
  type ApiClient,
  type AuthSession,
  type CallDetails,
  type CallInput,
  type ChatFile,
  type ChatMessageView,
  type ClientMessage,
  type ConnectionProbe,
  type ConnectionStatus,
  type ConversationEntry,
  type ConversationMember,
  type ConversationSummary,
  type E2eeChatEntry,
  type ForwardedChannel,
  type GuestJoinRequest,
  type GuestJoinResult,
  type IpcChannel,
  type IpcEvent,
  type IpcEventPayload,
  type IpcParsedRequest,
  type IpcResponse,
  type IpcResult,
  type JoinedResult,
  type JoinLanding,
  type JoinOutcome,
  type JoinRequest,
  type JoinResult,
  type Meeting,
  type Presence,
  type ReadReceiptView,
  type RouteName,
  type ServerMessage,
  type SessionInfo,
  type Settings,
  type Unsubscribe,
  type User,
  uuidv7,
  watchSet,
} from '@tandem/shared';
import type { Transport } from '../client.ts';
import { foldChatEvents } from './chatViews.ts';
import { pkcePair, randomState, type SsoReturn } from './sso.ts';
import { translateNow } from '../i18n/current.ts';

type Implementation<C extends IpcChannel> = (request: IpcParsedRequest<C>) => Promise<IpcResponse<C>>;
type Implementations = { readonly [C in IpcChannel]?: Implementation<C> };

const SESSION_KEY = 'tandem.session';
const SETTINGS_KEY = 'tandem.settings';
/** The verifier and state of a single sign-on the page left for. */
const SSO_KEY = 'tandem.sso';
const TIMEOUT_MS = 10_000;
/** Reconnect waits, doubling up to the last. */
const RECONNECT_MS = [500, 1_000, 2_000, 5_000] as const;
const IN_THE_APP = 'not available in the browser: use the Tandem app for this';
/** How long one connection test probe may take before it counts as failed (as in the app). */
const PROBE_MS = 8_000;

/**
 * The connection test's WebSocket check from the page: the server's socket opened and closed
 * again. A browser tells a refused upgrade and an unreachable server apart no better than an
 * error, so both are `unreachable`.
 */
function probeWebSocket(url: string): Promise<ConnectionProbe> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    const done = (probe: ConnectionProbe) => {
      clearTimeout(timer);
      ws.onopen = null;
      ws.onerror = null;
      ws.close();
      resolve(probe);
    };
    const timer = setTimeout(() => done({ ok: false, reason: 'timeout' }), PROBE_MS);
    ws.onopen = () => done({ ok: true });
    ws.onerror = () => done({ ok: false, reason: 'unreachable' });
  });
}

export type BrowserEnvironment = {
  /** The coordination server: the origin that served the page. */
  readonly serverUrl: string;
  readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** The join code in the page's address (`#/join/<code>`, or the join link's `/j/<code>`), if any. */
  readonly joinCode: string | null;
  /** What the join link's page said of its meeting (`/j/<code>` only). */
  readonly landing: JoinLanding | null;
  /** A webinar registrant's join link token in the page's address (`#/registrant/<token>`), if any. */
  readonly registrantToken: string | null;
  /** What the server's single sign-on redirect brought the page back with (taken out of the address). */
  readonly ssoReturn: SsoReturn;
  /** Leaves the page for the identity provider's sign-in page. */
  readonly leaveFor: (url: string) => void;
};

export function browserTransport(env: BrowserEnvironment): Transport {
  const api: ApiClient = createApiClient(env.serverUrl, {
    fetch: (url, init) => fetch(url, init),
    timeout: () => AbortSignal.timeout(TIMEOUT_MS),
  });
  const listeners = new Map<IpcEvent, Set<(payload: unknown) => void>>();
  let session: AuthSession | null = restore();
  let status: ConnectionStatus = 'offline';
  let socket: WebSocket | null = null;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | null = null;
  /** Meetings we wait in the lobby of (packages/shared `lobbyWait`, as main's): the socket names them in its `auth`. */
  const lobby = lobbyWait({
    join: (meetingId, body) => call('joinMeeting', { params: { meetingId }, body }),
    admitted: (joined) => emit('meeting:admission', { status: 'admitted', call: callOf(joined) }),
    refused: (meeting) => emit('meeting:admission', { status: 'denied', meeting }),
    onError: () => undefined,
  });
  let messages = new Map<string, ChatMessageView>();
  /** Whose presence the renderer shows (`presence:watch`), and what was heard of them and of oneself. */
  let watched: readonly string[] = [];
  const presence = new Map<string, Presence>();
  /** The set to watch, on the live socket once it said `ready` (again at each `ready`). */
  const sendWatch = (ws: WebSocket | null): void =>
    ws?.send(JSON.stringify({ type: 'presence.watch', userIds: watchSet(session?.user.id, watched) }));
  const names = new Map<string, string>();
  /** Authors already looked up, found or not. */
  const sought = new Set<string>();
  /** The organisation's people by id, as the directory was read here (`refreshDirectory`). */
  const directory = new Map<string, User>();
  /** Where the people directory was read up to (`GET /users?since=`); null: not yet read. */
  let directoryCursor: number | null = null;
  /** The read of the directory under way, which later asks share. */
  let directoryRead: Promise<void> | null = null;
  /** Counts the accounts this tab was signed in to: a read for an earlier one keeps nothing. */
  let account = 0;
  let pendingJoin = env.joinCode;
  let ssoReturn = env.ssoReturn;
  let registrantToken = env.registrantToken;

  /**
   * The page was opened with a registrant's join link: it becomes a guest session for the webinar
   * (waiting in its lobby until it is live), and the webinar is the join the app takes next.
   * Answers why it failed, if it did (a revoked link, a registration no longer approved).
   */
  async function joinAsRegistrant(): Promise<string | undefined> {
    const token = registrantToken;
    registrantToken = null;
    if (token === null) return undefined;
    try {
      disconnect();
      const joined = await api.call('joinAsRegistrant', { body: { token } });
      keep(joined.session);
      pendingJoin = joined.join.meeting.joinCode;
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : 'this join link does not work';
    }
  }

  /**
   * The page came back from single sign-on: exchange the one-time code with the verifier this tab
   * kept (another tab's return, or a stale one, finds none). Answers why it failed, if it did.
   */
  async function finishSso(): Promise<string | undefined> {
    const back = ssoReturn;
    ssoReturn = null;
    if (back === null) return undefined;
    const stored = env.storage.getItem(SSO_KEY);
    env.storage.removeItem(SSO_KEY);
    const kept = stored === null ? null : (JSON.parse(stored) as { verifier: string; state: string });
    if (kept === null || kept.state !== back.state) return 'this sign-in was started elsewhere; sign in again';
    if (back.kind === 'refused') return back.message;
    try {
      keep(await api.call('ssoComplete', { body: { code: back.code, codeVerifier: kept.verifier } }));
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : 'single sign-on failed';
    }
  }

  function emit<E extends IpcEvent>(event: E, payload: IpcEventPayload<E>): void {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  }

  function restore(): AuthSession | null {
    const stored = env.storage.getItem(SESSION_KEY);
    const parsed = stored === null ? undefined : AuthSessionSchema.safeParse(JSON.parse(stored)).data;
    return parsed ?? null;
  }

  /**
   * The session now (null: none). A refresh (the same person, new tokens) keeps what was learnt;
   * another account, or none, starts from nothing: names, messages, presence and lobby waits.
   */
  function keep(next: AuthSession | null): void {
    const refreshed = next !== null && session !== null && next.user.id === session.user.id;
    session = next;
    if (next === null) env.storage.removeItem(SESSION_KEY);
    else env.storage.setItem(SESSION_KEY, JSON.stringify(next));
    if (refreshed) return;
    account += 1;
    lobby.clear();
    names.clear();
    directory.clear();
    directoryCursor = null;
    directoryRead = null;
    sought.clear();
    messages = new Map();
    presence.clear();
    if (next !== null) names.set(next.user.id, next.user.name);
  }

  const infoOf = (s: AuthSession): SessionInfo => ({
    user: s.user,
    organisation: s.organisation,
    serverUrl: api.baseUrl,
  });

  function setStatus(next: ConnectionStatus): void {
    if (next === status) return;
    status = next;
    emit('connection:changed', { status });
  }

  /** A request with the session's token; an expired access token is refreshed once. */
  async function authorised<T>(send: (accessToken: string) => Promise<T>): Promise<T> {
    if (session === null) throw new CodedError('unauthenticated', 'sign in first');
    try {
      return await send(session.tokens.accessToken);
    } catch (error) {
      if (!(error instanceof CodedError) || error.code !== 'unauthenticated') throw error;
      const tokens = await api.call('refresh', { body: { refreshToken: session.tokens.refreshToken } }).catch(() => {
        keep(null);
        emit('auth:ended', { reason: 'expired' });
        throw error;
      });
      keep({ ...session, tokens });
      return send(tokens.accessToken);
    }
  }

  /**
   * Chat writes (SOCKET_ROUTES) go on the live socket once it said `ready` (the status is online
   * from then until it closes); over HTTP without one.
   */
  const socketCalls = createSocketCalls((message) => {
    if (status !== 'online' || socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  });

  const call = <N extends RouteName>(name: N, input?: CallInput<N>) =>
    authorised((token) => preferSocket(socketCalls, name, input, () => api.call(name, input, token)));

  /** Uploads under way, by the renderer's id: `files:cancel` aborts them. */
  const uploads = new Map<string, XMLHttpRequest>();

  /** One upload over XMLHttpRequest (fetch reports no upload progress), errors as the API's. */
  function uploadFile(request: IpcParsedRequest<'files:upload'>, token: string): Promise<ChatFile> {
    const bytes = Uint8Array.from(atob(request.data), (c) => c.charCodeAt(0));
    const path = SPECIAL_PATHS.chatFileUpload.replace(':conversationId', encodeURIComponent(request.conversationId));
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      uploads.set(request.uploadId, xhr);
      const done = () => uploads.delete(request.uploadId);
      const progress = (sentBytes: number) =>
        emit('files:progress', { uploadId: request.uploadId, sentBytes, totalBytes: bytes.length });
      xhr.open('POST', `${api.baseUrl}${path}?name=${encodeURIComponent(request.name)}`);
      xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.setRequestHeader('content-type', request.contentType);
      xhr.upload.addEventListener('progress', (e) => progress(e.loaded));
      xhr.addEventListener('load', () => {
        done();
        const body: unknown = JSON.parse(xhr.responseText || 'null');
        if (xhr.status === 201) return resolve(ChatFileSchema.parse(body));
        const refused = ApiErrorSchema.safeParse(body);
        reject(
          refused.success
            ? new CodedError(refused.data.error.code, refused.data.error.message)
            : new CodedError('internal', `HTTP ${xhr.status}`),
        );
      });
      xhr.addEventListener('error', () => {
        done();
        reject(new CodedError('unavailable', 'server unreachable'));
      });
      xhr.addEventListener('abort', () => {
        done();
        reject(new CodedError('bad_request', 'the upload was cancelled'));
      });
      progress(0);
      xhr.send(bytes);
    });
  }

  const socketUrl = `${env.serverUrl.replace(/^http/, 'ws')}${WS_PATH}`;
  /** A socket opened before there was a session to authenticate it (`connection:warm`). */
  let spare: WebSocket | null = null;

  function warm(): void {
    if (session !== null || socket !== null || spare !== null) return;
    const ws = new WebSocket(socketUrl);
    spare = ws;
    // Unused for 10 s, the server closes it: the form warms again as the guest types, and a knock
    // without one goes over HTTP, the session's own socket opening as usual then.
    ws.addEventListener('close', () => {
      if (spare === ws) spare = null;
    });
  }

  /** The warm socket, taken for its first message, if it is open or opening; else null. */
  function takeSpare(): WebSocket | null {
    const ws = spare;
    spare = null;
    return ws !== null && ws.readyState <= WebSocket.OPEN ? ws : null;
  }

  /** Sends a socket's first message as soon as it is open. */
  function sendOnOpen(ws: WebSocket, message: ClientMessage): void {
    const send = () => ws.send(JSON.stringify(message));
    if (ws.readyState === WebSocket.OPEN) send();
    else ws.addEventListener('open', send, { once: true });
  }

  // The live socket: authenticate, follow what comes next.
  function connect(): void {
    if (session === null || socket !== null) return;
    const ws = takeSpare() ?? new WebSocket(socketUrl);
    follow(ws);
    // The lobbies we knocked at before this socket was there: the server joins us into each the
    // moment we are let in, and answers here (`lobby.joined`), one round trip fewer (B7).
    const awaiting = lobby.awaiting();
    sendOnOpen(ws, {
      type: 'auth',
      accessToken: session.tokens.accessToken,
      ...(awaiting === undefined ? {} : { awaiting }),
    });
  }

  /**
   * A guest's knock on the warm socket (`guest.knock`): the session and the join come back on it,
   * and it is the guest's live socket at once, a round trip fewer than the POST and then `auth`
   * (B7). Null: the socket was gone before the knock could be sent (the POST knocks instead).
   */
  function knockOn(ws: WebSocket, code: string, request: GuestJoinRequest): Promise<GuestJoinResult | null> {
    return new Promise((resolve, reject) => {
      let sent = ws.readyState === WebSocket.OPEN;
      const answer = ({ data }: MessageEvent) => {
        const parsed = ServerMessageSchema.safeParse(JSON.parse(String(data)));
        if (!parsed.success) return;
        const message = parsed.data;
        if (message.type === 'guest.knocked') {
          done();
          resolve({ session: message.session, join: message.join });
        } else if (message.type === 'error' && message.ref === 'guest.knock') {
          done();
          ws.close();
          reject(new CodedError(message.error.code, message.error.message));
        }
      };
      const lost = () => {
        done();
        if (sent) reject(new CodedError('unavailable', 'server unreachable'));
        else resolve(null);
      };
      const done = () => {
        ws.removeEventListener('message', answer);
        ws.removeEventListener('close', lost);
      };
      ws.addEventListener('message', answer);
      ws.addEventListener('close', lost);
      ws.addEventListener('open', () => (sent = true), { once: true });
      sendOnOpen(ws, { type: 'guest.knock', code, ...request });
    });
  }

  /** The live socket from now on: what it says is followed (no cache, so nothing is replayed), its loss reconnected. */
  function follow(ws: WebSocket): void {
    socket = ws;
    ws.addEventListener('message', ({ data }) => {
      const parsed = ServerMessageSchema.safeParse(JSON.parse(String(data)));
      if (parsed.success && !socketCalls.answer(parsed.data)) void onServerMessage(parsed.data, ws);
    });
    ws.addEventListener('close', ({ code }) => {
      if (socket !== ws) return;
      socket = null;
      // Calls it carried unanswered are made again over HTTP (each is idempotent).
      socketCalls.lost();
      if (session === null) return setStatus('offline');
      setStatus(attempt >= 3 ? 'offline' : 'reconnecting');
      // A draining instance (a deploy): reconnect to another at once.
      const wait = code === WS_CLOSE.draining ? 0 : (RECONNECT_MS[Math.min(attempt, RECONNECT_MS.length - 1)] ?? 5_000);
      attempt += 1;
      retry = setTimeout(() => {
        retry = null;
        // A refused token (expired) is refreshed by the next call before reconnecting.
        void call('me').then(connect, connect);
      }, wait);
    });
  }

  function disconnect(): void {
    if (retry !== null) clearTimeout(retry);
    retry = null;
    const ws = socket;
    socket = null;
    ws?.close();
    socketCalls.lost();
    setStatus('offline');
  }

  async function onServerMessage(message: ServerMessage, ws: WebSocket): Promise<void> {
    if (MEETING_LIVE_TYPES.has(message.type)) emit('meeting:live', message as IpcEventPayload<'meeting:live'>);
    lobby.onServerMessage(message, session?.user.id ?? null);
    switch (message.type) {
      case 'ready':
        attempt = 0;
        ws.send(JSON.stringify({ type: 'resume', cursor: null }));
        sendWatch(ws);
        setStatus('online');
        // A host may have decided before this socket could hear it (admitted the moment we
        // knocked, or while we were reconnecting).
        lobby.ready();
        return;
      case 'chat.event':
        await learnNames([message.event.authorId], message.event.conversationId);
        applyEvents([message.event]);
        if (message.event.conversationId === viewing) await readUpTo(viewing).catch(() => undefined);
        return;
      case 'conversation.created':
      case 'conversation.added':
      case 'conversation.changed':
        await refreshed(message.conversation.id).catch(() => undefined);
        return;
      case 'conversation.removed':
        emit('conversations:removed', {
          conversationIds: [message.conversationId],
          reason: message.reason,
          by: message.by,
        });
        return;
      case 'conversation.read': {
        const { conversationId, userId, seq } = message.receipt;
        const seen = receipts.get(conversationId) ?? new Map<string, number>();
        seen.set(userId, Math.max(seq, seen.get(userId) ?? 0));
        receipts.set(conversationId, seen);
        if (userId === session?.user.id) await refreshed(conversationId).catch(() => undefined);
        else emit('chat:receiptsChanged', { conversationId, receipts: receiptViews(conversationId) });
        return;
      }
      case 'typing':
        emit('chat:othersTyping', {
          conversationId: message.conversationId,
          userId: message.userId,
          name: message.name,
          typing: message.typing,
        });
        return;
      case 'meeting.changed':
      case 'meeting.invited':
        emit('meetings:changed', {});
        return;
      case 'presence':
      case 'presence.watched': {
        const changed = mergePresence(presence, message.type === 'presence' ? [message.presence] : message.presence);
        if (changed.length > 0) emit('presence:changed', { presence: changed });
        return;
      }
      case 'calendar.changed':
        // As main does: the calendar screen reads the connected calendar again.
        emit('calendar:changed', {});
        return;
      default:
        return;
    }
  }

  function applyEvents(events: Parameters<typeof foldChatEvents>[1]): ChatMessageView[] {
    const folded = foldChatEvents(messages, events, (id) => names.get(id) ?? translateNow('chat.someone'));
    messages = folded.views;
    const byConversation = new Map<string, ChatMessageView[]>();
    for (const view of folded.changed)
      byConversation.set(view.conversationId, [...(byConversation.get(view.conversationId) ?? []), view]);
    for (const [conversationId, changed] of byConversation)
      emit('chat:messages', { conversationId, messages: changed });
    return folded.changed;
  }

  /**
   * Authors' names: the organisation's people where the caller may list them, else (a guest) the
   * meeting's participants, who are the people it can hear from.
   */
  async function learnNames(userIds: readonly string[], conversationId: string): Promise<void> {
    // Each unknown author is looked up once: a name nobody can tell us stays "Someone" without
    // two more requests for every message of theirs.
    const unknown = userIds.filter((id) => !names.has(id) && !sought.has(id));
    if (unknown.length === 0) return;
    for (const id of unknown) sought.add(id);
    await refreshDirectory().catch(() => undefined);
    const meetingId = joinedMeetings.get(conversationId);
    if (unknown.every((id) => names.has(id)) || meetingId === undefined) return;
    const { participants } = await call('listParticipants', { params: { meetingId } }).catch(() => ({
      participants: [],
    }));
    for (const p of participants) if (p.userId !== null) names.set(p.userId, p.name);
  }

  /**
   * The people changed since the directory was last read here (everyone, a page at a time, the
   * first time), as names and as the directory the people pickers list; one read at a time. A
   * failed read keeps what it had read, and rejects.
   */
  function refreshDirectory(): Promise<void> {
    const reading = account;
    directoryRead ??= readChanges(
      (query) => call('listUsers', { query }),
      directoryCursor,
      USER_PAGE_LIMIT,
      (page) => {
        if (reading !== account) throw new Error('signed in to another account meanwhile');
        for (const u of page.users) {
          names.set(u.id, u.name);
          directory.set(u.id, u);
        }
        directoryCursor = page.cursor;
      },
    ).finally(() => {
      if (reading === account) directoryRead = null;
    });
    return directoryRead;
  }

  /** The meeting of each call's chat we joined: where a guest learns names from. */
  const joinedMeetings = new Map<string, string>();

  async function join(meeting: Meeting, displayName: string | undefined): Promise<JoinOutcome> {
    const body = displayName === undefined ? {} : { displayName };
    return outcome(await call('joinMeeting', { params: { meetingId: meeting.id }, body }), body);
  }

  function outcome(result: JoinResult, body: JoinRequest): JoinOutcome {
    lobby.answered(result, body);
    return outcomeOf(result);
  }

  function outcomeOf(result: JoinResult): JoinOutcome {
    return result.status === 'waiting'
      ? { status: 'waiting', meeting: result.meeting }
      : { status: 'joined', call: callOf(result) };
  }

  function callOf(joined: JoinedResult): CallDetails {
    joinedMeetings.set(joined.meeting.conversationId, joined.meeting.id);
    return { livekit: joined.livekit, meeting: joined.meeting, settings: settings() };
  }

  function settings(): Settings {
    const stored = env.storage.getItem(SETTINGS_KEY);
    // What this browser kept, checked as main checks its cache: anything malformed, the defaults.
    const kept = SettingsSchema.partial().safeParse(stored === null ? {} : JSON.parse(stored));
    return { ...DEFAULT_SETTINGS, ...(kept.success ? kept.data : {}) };
  }

  /** A conversation as the server sees it for us: read position, unread and mentions are the server's. */
  function summary(c: ConversationEntry): ConversationSummary {
    const held = [...messages.values()].filter((m) => m.conversationId === c.id);
    return {
      id: c.id,
      kind: c.kind,
      name: c.name,
      meetingId: c.meetingId,
      syncedSeq: c.latestSeq,
      lastOpenedAt: null,
      private: c.private,
      archivedAt: c.archivedAt,
      members: c.memberIds?.map((id) => ({ id, name: names.get(id) ?? translateNow('chat.someone') })) ?? null,
      role: c.self.role,
      left: c.self.left,
      createdAt: c.createdAt,
      readSeq: c.self.lastReadSeq ?? c.latestSeq,
      unread: c.self.unread,
      mentions: c.self.mentions,
      lastMessage: held.at(-1) ?? null,
    };
  }

  /** A conversation the server answered, with its members named. */
  async function summarised(entry: ConversationEntry): Promise<ConversationSummary> {
    await learnNames(entry.memberIds ?? [], entry.id);
    return summary(entry);
  }

  async function refreshed(conversationId: string): Promise<void> {
    const entry = await call('getConversation', { params: { conversationId } });
    emit('conversations:changed', { conversations: [await summarised(entry)] });
  }

  /** Others' read positions per conversation, as the server last said ("Seen by"). */
  const receipts = new Map<string, Map<string, number>>();
  const receiptViews = (conversationId: string): ReadReceiptView[] =>
    [...(receipts.get(conversationId) ?? new Map<string, number>())]
      .filter(([userId]) => userId !== session?.user.id)
      .map(([userId, seq]) => ({ userId, name: names.get(userId) ?? translateNow('chat.someone'), seq }));

  async function membersOf(conversationId: string): Promise<ConversationMember[]> {
    const { members } = await call('listMembers', { params: { conversationId } });
    await learnNames(
      members.map((m) => m.userId),
      conversationId,
    );
    const seen = receipts.get(conversationId) ?? new Map<string, number>();
    for (const m of members) if (m.lastReadSeq !== null) seen.set(m.userId, m.lastReadSeq);
    receipts.set(conversationId, seen);
    return members;
  }

  /** Reads the conversation up to the newest message we hold, on the server. */
  async function readUpTo(conversationId: string): Promise<void> {
    const newest = Math.max(
      0,
      ...[...messages.values()].filter((m) => m.conversationId === conversationId).map((m) => m.seq ?? 0),
    );
    if (newest > 0) await call('markRead', { params: { conversationId }, body: { seq: newest } });
  }
  let viewing: string | null = null;

  function held(clientId: string): ChatMessageView {
    const view = messages.get(clientId);
    if (view === undefined) throw new CodedError('not_found', 'no such message');
    return view;
  }

  const encryptedChat = new Map<string, E2eeChatEntry[]>();
  const unavailable = async (): Promise<never> => {
    throw new CodedError('unavailable', IN_THE_APP);
  };

  const forwarded = Object.fromEntries(
    (Object.keys(FORWARDED_ROUTES) as ForwardedChannel[]).map((channel) => [
      channel,
      (request: { params?: unknown; body?: unknown }) =>
        call(FORWARDED_ROUTES[channel], request as CallInput<(typeof FORWARDED_ROUTES)[typeof channel]>),
    ]),
  ) as Implementations;

  const impl: Implementations = {
    ...forwarded,
    'auth:session': async () => {
      const notice = (await joinAsRegistrant()) ?? (await finishSso());
      if (session !== null) connect();
      return {
        session: session === null ? null : infoOf(session),
        needsSignIn: false,
        ...(notice === undefined ? {} : { notice }),
      };
    },
    'auth:discover': ({ email }) => api.call('ssoDiscover', { body: { email } }),
    'auth:signInWithSso': async ({ email }) => {
      const { verifier, challenge } = await pkcePair();
      const state = randomState();
      const { authorizationUrl } = await api.call('ssoStart', {
        body: { email, redirectUri: `${api.baseUrl}/app/`, codeChallenge: challenge, state },
      });
      env.storage.setItem(SSO_KEY, JSON.stringify({ verifier, state }));
      env.leaveFor(authorizationUrl);
      // The page is leaving; it comes back signed in (see finishSso).
      return new Promise<never>(() => undefined);
    },
    'auth:signIn': async ({ email, password }) => {
      disconnect();
      keep(await api.call('signIn', { body: { email, password } }));
      connect();
      return infoOf(session as AuthSession);
    },
    'auth:joinAsGuest': async ({ code, name, email }) => {
      disconnect();
      const request = email === undefined ? { name } : { name, email };
      // The page opened a socket while the name was typed (`connection:warm`): the knock goes on it.
      const ws = takeSpare();
      const onSocket = ws === null ? null : await knockOn(ws, code, request);
      const knocked = onSocket ?? (await api.call('joinAsGuest', { params: { code }, body: request }));
      keep(knocked.session);
      // The lobby we wait in is known before the socket authenticates: the socket knocked there
      // itself, or its `auth` names it (`awaiting`).
      const asked = { displayName: name };
      if (ws !== null && onSocket !== null) {
        lobby.answeredOnSocket(knocked.join, asked);
        follow(ws);
      } else {
        lobby.answered(knocked.join, asked);
        connect();
      }
      return { session: infoOf(knocked.session), outcome: outcomeOf(knocked.join) };
    },
    'auth:signOut': async () => {
      await call('signOut', { body: {} }).catch(() => undefined);
      disconnect();
      keep(null);
      return {};
    },
    'deepLink:take': async () => {
      const code = pendingJoin;
      pendingJoin = null;
      if (code === null) return { join: null, refused: null };
      return { join: env.landing?.code === code ? { code, landing: env.landing } : { code }, refused: null };
    },
    'meetings:list': async () => {
      // A guest has no personal room: asking for one would make it one.
      const guest = session?.user.role === 'guest';
      const [{ meetings }, personal] = await Promise.all([
        call('listMeetings'),
        guest ? Promise.resolve(null) : call('personalMeeting'),
      ]);
      const upcoming = meetings.filter((m) => !m.personal && (m.status === 'scheduled' || m.status === 'live'));
      return { upcoming, personalRoom: personal, organisers: {} };
    },
    'meetings:create': (request) => call('createMeeting', { body: request }),
    'meetings:update': ({ meetingId, patch }) => call('updateMeeting', { params: { meetingId }, body: patch }),
    'meetings:cancel': ({ meetingId }) => call('cancelMeeting', { params: { meetingId }, body: {} }),
    'meetings:join': async ({ codeOrLink, displayName }) => {
      const code = joinCodeFrom(codeOrLink);
      if (code === null) throw new CodedError('bad_request', 'that is not a meeting code or link');
      return join(await call('resolveJoinCode', { params: { code } }), displayName);
    },
    'meetings:leaveLobby': async ({ meetingId }) => {
      lobby.leave(meetingId);
      await call('leaveLobby', { params: { meetingId }, body: {} });
      return {};
    },
    'chat:conversations': async () => {
      const { conversations } = await call('listConversations', { query: { include: 'all' } });
      await learnNames(
        conversations.flatMap((c) => c.memberIds ?? []),
        '',
      );
      return { conversations: conversations.map(summary) };
    },
    'chat:open': async ({ conversationId }) =>
      summarised(await call('getConversation', { params: { conversationId } })),
    'chat:createChannel': async (request) => summarised(await call('createChannel', { body: request })),
    'chat:startDirect': async ({ userId }) => summarised(await call('startDirect', { body: { userId } })),
    'chat:createGroup': async (request) => summarised(await call('createGroup', { body: request })),
    'chat:update': async ({ conversationId, patch }) =>
      summarised(await call('updateConversation', { params: { conversationId }, body: patch })),
    'chat:members': async ({ conversationId }) => ({
      members: (await membersOf(conversationId)).map((m) => ({
        userId: m.userId,
        name: names.get(m.userId) ?? translateNow('chat.someone'),
        role: m.role,
        joinedAt: m.joinedAt,
      })),
    }),
    'chat:addMembers': async ({ conversationId, userIds, history }) =>
      summarised(await call('addMembers', { params: { conversationId }, body: { userIds, history } })),
    'chat:removeMember': async ({ conversationId, userId }) => {
      await call('removeMember', { params: { conversationId, userId } });
      return {};
    },
    'chat:leave': async ({ conversationId }) => {
      await call('leaveConversation', { params: { conversationId }, body: {} });
      return {};
    },
    'chat:join': async ({ conversationId }) =>
      summarised(await call('joinConversation', { params: { conversationId }, body: {} })),
    'chat:markRead': async ({ conversationId }) => {
      await readUpTo(conversationId);
      return summarised(await call('getConversation', { params: { conversationId } }));
    },
    'chat:receipts': async ({ conversationId }) => {
      await membersOf(conversationId);
      return { receipts: receiptViews(conversationId) };
    },
    'chat:list': async ({ conversationId, limit }) => {
      let since = 0;
      for (;;) {
        const page = await call('history', { params: { conversationId }, query: { since, limit: 500 } });
        await learnNames(
          page.events.map((e) => e.authorId),
          conversationId,
        );
        applyEvents(page.events);
        if (!page.hasMore || page.events.length === 0) break;
        since = page.events.at(-1)?.seq ?? since;
      }
      const held = [...messages.values()].filter((m) => m.conversationId === conversationId);
      return { messages: held.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)).slice(-limit) };
    },
    'chat:send': async ({ conversationId, body, threadOf, files, urgent }) => {
      const event = await call('sendMessage', {
        params: { conversationId },
        body: {
          clientId: uuidv7(),
          body,
          ...(threadOf === undefined ? {} : { threadOf }),
          ...(files === undefined ? {} : { files: files.map((f) => f.id) }),
          ...(urgent === true ? { urgent } : {}),
        },
      });
      applyEvents([event]);
      return held(event.clientId);
    },
    'chat:thread': async ({ conversationId, rootId }) => {
      const thread = [...messages.values()].filter(
        (m) => m.conversationId === conversationId && (m.clientId === rootId || m.threadOf === rootId),
      );
      return { messages: thread.sort((a, b) => (a.seq ?? 0) - (b.seq ?? 0)) };
    },
    'chat:react': async ({ conversationId, messageId, emoji, add }) => {
      const event = await call(add ? 'reactToMessage' : 'unreactToMessage', {
        params: { conversationId, messageId },
        body: { clientId: uuidv7(), emoji },
      });
      applyEvents([event]);
      return held(messageId);
    },
    'chat:typing': async ({ conversationId, typing }) => {
      // Only on a socket that is authenticated: a connecting one cannot send (the browser throws),
      // and a typing signal is not worth keeping for later.
      if (status === 'online') socket?.send(JSON.stringify({ type: 'typing', conversationId, typing }));
      return {};
    },
    'chat:people': async () => {
      await refreshDirectory().catch(() => undefined);
      // By name, as the desktop's cache lists them.
      const people = [...directory.values()].map(({ id, name }) => ({ id, name }));
      return { people: people.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)) };
    },
    'people:list': async () => {
      // Offline, what was read before; refused only when nothing ever was.
      await refreshDirectory().catch((error: unknown) => {
        if (directoryCursor === null) throw error;
      });
      return { users: [...directory.values()].sort(inOrderAdded) };
    },
    'decisions:list': async () => ({ decisions: [] }),
    // No cache in the browser: the server's answer is the whole of it.
    'search:everything': async ({ query, limit, ...filters }) => {
      const segments = transcriptFilter(filters);
      const [found, transcripts] = await Promise.all([
        call('search', { query: { q: query, limit, ...filters } }),
        segments === null ? null : call('searchTranscripts', { query: { q: query, limit, ...segments } }),
      ]);
      for (const m of found.messages) await learnNames([m.authorId], m.conversationId);
      return {
        messages: found.messages.map((m) =>
          serverSearchHit(m, names.get(m.authorId) ?? translateNow('chat.someone'), query),
        ),
        files: found.files,
        channels: found.channels,
        people: found.people.map(({ id, name }) => ({ id, name })),
        transcripts: mergeTranscriptHits([], transcripts?.hits ?? null, query, limit),
        scope: 'everywhere',
      };
    },
    // No cache in the browser: the transcript is the server's.
    'transcripts:get': async ({ meetingId }) => {
      const params = { meetingId };
      const [meeting, transcript] = await Promise.all([
        call('getMeeting', { params }),
        call('meetingTranscript', { params, query: {} }),
      ]);
      return { meetingTitle: meeting.title, segments: transcript.segments, source: 'server' };
    },
    'transcripts:export': ({ meetingId, format }) =>
      authorised((token) =>
        api.file(
          SPECIAL_PATHS.transcriptExport.replace(':meetingId', encodeURIComponent(meetingId)),
          { format },
          token,
        ),
      ),
    // The browser keeps its device key in IndexedDB, non-extractable (e2ee/deviceKeys.ts): main holds none.
    'encryption:deviceKey': unavailable,
    // No cache in the browser: an encrypted meeting's chat lives as long as the page.
    'encryption:chatHistory': async ({ meetingId }) => ({ messages: [...(encryptedChat.get(meetingId) ?? [])] }),
    'encryption:chatKeep': async ({ meetingId, message }) => {
      const kept = encryptedChat.get(meetingId) ?? [];
      if (!kept.some((m) => m.id === message.id && m.from === message.from)) kept.push(message);
      encryptedChat.set(meetingId, kept);
      return {};
    },
    'connection:status': async () => ({ status }),
    'connection:warm': async () => {
      warm();
      return {};
    },
    // The connection test from the browser: the server and its WebSocket as this page reaches them.
    'diagnostics:probe': ({ check }) =>
      check === 'server'
        ? probeServer(api.baseUrl, {
            fetch: (url, init) => fetch(url, init),
            timeout: () => AbortSignal.timeout(PROBE_MS),
          })
        : probeWebSocket(`${env.serverUrl.replace(/^http/, 'ws')}${WS_PATH}`),
    // Collect logs is the app's (main's zip): the browser has nothing to keep a run for.
    'diagnostics:keepConnectionTest': async () => ({}),
    // The browser opens the page in a tab of its own: no app window to protect, no OS hand-off.
    'pages:open': async ({ url }) => {
      window.open(url, '_blank', 'noopener,noreferrer');
      return {};
    },
    'settings:get': async () => settings(),
    'settings:update': async (patch) => {
      const next = { ...settings(), ...patch };
      env.storage.setItem(SETTINGS_KEY, JSON.stringify(next));
      return next;
    },
    // The browser client talks to the server that served it: sign-in shows that server, fixed.
    'policy:get': async () => ({ values: { serverUrl: api.baseUrl }, locked: ['serverUrl'] }),
    'ui:attention': async (attention) => {
      viewing = attention.viewing;
      if (viewing !== null) await readUpTo(viewing).catch(() => undefined);
      return {};
    },
    'audit:export': ({ filter, format }) =>
      authorised((token) => api.file(SPECIAL_PATHS.auditExport, { ...filter, format }, token)),
    // The calendar (ours and the person's connected ones) and linked meetings, read from the server
    // as main does; opening Teams or Zoom and connecting accounts stay the desktop app's.
    'linked:calendar': (query) => call('calendar', { query }),
    'linked:get': ({ meetingId }) => call('getLinkedMeeting', { params: { meetingId } }),
    'providers:list': () => call('listProviders'),
    'registration:exportCsv': ({ meetingId }) =>
      authorised((token) =>
        api.file(SPECIAL_PATHS.registrantsCsv.replace(':meetingId', encodeURIComponent(meetingId)), {}, token),
      ),
    'presence:list': async () => ({ presence: [...presence.values()] }),
    'presence:watch': async ({ userIds }) => {
      watched = userIds;
      if (status === 'online') sendWatch(socket);
      return {};
    },
    'presence:set': (request) => call('setPresence', { body: request }),
    // Straight to the server (no main in between), with the browser's own upload progress.
    'files:upload': (request) => authorised((token) => uploadFile(request, token)),
    'files:cancel': async ({ uploadId }) => {
      uploads.get(uploadId)?.abort();
      return {};
    },
    'files:preview': async ({ conversationId, fileId }) => {
      const link = await call('chatFileLink', { params: { conversationId, fileId }, body: {} });
      return { src: link.thumbnailUrl ?? link.url };
    },
    'files:download': async ({ conversationId, fileId }) => {
      const link = await call('chatFileLink', { params: { conversationId, fileId }, body: {} });
      const anchor = document.createElement('a');
      anchor.href = link.downloadUrl;
      anchor.download = '';
      anchor.click();
      return {};
    },
    // The page's own server: a link to it downloads (its answer is an attachment).
    'recordings:download': async ({ meetingId, recordingId }) => {
      const link = await call('recordingLink', { params: { meetingId, recordingId }, body: {} });
      const anchor = document.createElement('a');
      anchor.href = link.downloadUrl;
      anchor.download = '';
      anchor.click();
      return {};
    },
  };

  return {
    async invoke(channel, request): Promise<IpcResult<unknown>> {
      const schema = IPC_CHANNELS[channel];
      const run = (impl[channel] ?? unavailable) as (request: unknown) => Promise<unknown>;
      const parsed = schema.request.safeParse(request ?? {});
      if (!parsed.success) {
        return {
          ok: false,
          error: { code: 'bad_request', message: `invalid ${channel} request`, issues: issuesOf(parsed.error) },
        };
      }
      try {
        return { ok: true, result: schema.response.parse(await run(parsed.data)) };
      } catch (error) {
        if (error instanceof CodedError)
          return {
            ok: false,
            error: { code: error.code, message: error.message, ...(error.issues ? { issues: error.issues } : {}) },
          };
        return { ok: false, error: { code: 'internal', message: `${channel} failed` } };
      }
    },
    subscribe(event, listener): Unsubscribe {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
}
