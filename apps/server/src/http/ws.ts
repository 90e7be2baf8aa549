import {
  CallRefSchema,
  type CallMessage,
  ClientMessageSchema,
  issuesOf,
  RESUME_LIMITS,
  WS_CLOSE,
  WS_PATH,
  type AwaitedLobbies,
  type ClientMessage,
  type JoinRequest,
  type ServerMessage,
} from '@tandem/shared';
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import {
  ServiceError,
  type Caller,
  type EndReason,
  type RealtimeConnection,
  type RequestOrigin,
  type Services,
} from '../services/index.ts';
import { HttpError } from './errors.ts';
import type { Metrics } from './operations.ts';
import { originOf, type InvokeRoute } from './routes.ts';
import { rateLimiter, signInsPerAddress } from './rateLimit.ts';
import { socketRoute } from './socketRoute.ts';
import { sendJson } from './textFrames.ts';

const AUTH_TIMEOUT_MS = 10_000;
/** The longest delay a Node timer takes; a token living longer is waited for in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;
/**
 * Typing signals one person may send a minute, over all their sockets. A client repeats one at
 * most every 3 s per conversation and adds a stop on sending: 20 starts and a few stops.
 */
const TYPING_PER_MINUTE = 60;
/**
 * Watched sets one person may send a minute, over all their sockets. A client sends one per short
 * debounce as dots appear and go (scrolling a list), and one per reconnect.
 */
const PRESENCE_WATCHES_PER_MINUTE = 120;

/** A call on a socket answers no HTTP status: a route's `status` does nothing there. */
const noStatus = (): void => undefined;

/** The `ref` of a malformed `call`, when it can be read: its refusal answers the call. */
function callRefOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null || !('type' in json) || json.type !== 'call') return undefined;
  return CallRefSchema.safeParse('ref' in json ? json.ref : undefined).data;
}

/** Resolves once the socket's unsent bytes fall below the resume limit (or it closed). */
async function drained(socket: WebSocket): Promise<void> {
  while (socket.readyState === socket.OPEN && socket.bufferedAmount > RESUME_LIMITS.bufferedBytes) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const CLOSE_FOR: Readonly<Record<EndReason, readonly [code: number, reason: string]>> = {
  session_ended: [WS_CLOSE.unauthenticated, 'session ended'],
  deactivated: [WS_CLOSE.deactivated, 'account deactivated'],
  role_changed: [WS_CLOSE.unauthenticated, 'role changed'],
};

/**
 * One WebSocket per client at WS_PATH. The first message authenticates (see the contract in
 * packages/shared/src/api/ws.ts); after that every message is validated and answered in order.
 */
export function registerWebSocket(
  app: FastifyInstance,
  s: Services,
  options: {
    readonly signInPerMinute: number;
    /** Serves a route called on the socket (`call`) as its HTTP request would be. */
    readonly invoke: InvokeRoute;
    readonly metrics: Pick<Metrics, 'calls' | 'callLatency'>;
  },
): void {
  // Connections dropped by shutdown are not people going offline: presence is reset at start.
  let shuttingDown = false;
  app.addHook('preClose', async () => {
    shuttingDown = true;
  });
  const typingSignals = rateLimiter(s.cluster, TYPING_PER_MINUTE, 'typing signals');
  const presenceWatches = rateLimiter(s.cluster, PRESENCE_WATCHES_PER_MINUTE, 'presence watches');
  // A knock makes an account and a session, on a socket as over HTTP: one counter for both.
  const knocksPerAddress = signInsPerAddress(s.cluster, options.signInPerMinute);
  socketRoute(app, WS_PATH, (socket, request) => handleSocket(socket, originOf(request)));

  function handleSocket(socket: WebSocket, origin: RequestOrigin): void {
    const send = (message: ServerMessage): void => sendJson(socket, message);
    const fail = (ref: string | undefined, code: ServiceError['code'], message: string): void =>
      send({ type: 'error', ...(ref === undefined ? {} : { ref }), error: { code, message } });
    /** A failure as a client may be told it: a service's own error as it says, anything else as internal (logged). */
    const refusal = (e: unknown): { code: ServiceError['code']; message: string; issues?: HttpError['issues'] } => {
      if (e instanceof ServiceError || e instanceof HttpError) {
        return { code: e.code, message: e.message, ...(e.issues === undefined ? {} : { issues: e.issues }) };
      }
      app.log.error(e, 'websocket message failed');
      return { code: 'internal', message: 'internal error' };
    };

    let session: { caller: Caller; connection: RealtimeConnection } | undefined;
    let queue = Promise.resolve();
    /**
     * The socket's own `presence.connected`, settled or not: its close goes offline only after it,
     * or a close arriving while it reads would be overtaken by its write (online for good).
     */
    let connecting: Promise<unknown> = Promise.resolve();
    const authTimer = setTimeout(() => socket.close(WS_CLOSE.unauthenticated, 'no auth message'), AUTH_TIMEOUT_MS);
    /** Ends the socket when its access token expires (`expireAt`). */
    let expiry: NodeJS.Timeout | undefined;
    const expireAt = (at: number): void => {
      const left = at - Date.now();
      if (left <= 0) socket.close(WS_CLOSE.unauthenticated, 'token expired');
      else expiry = setTimeout(() => expireAt(at), Math.min(left, LONGEST_TIMER_MS));
    };

    /**
     * The joins this socket waits to make (`auth.awaiting`), by meeting: made here the moment the
     * lobby lets the caller in, and answered on the socket, which saves the client the round trip
     * of hearing it was admitted and then asking to join (B7).
     */
    const awaited = new Map<string, JoinRequest>();
    async function joinAwaited(caller: Caller, meetingId: string): Promise<void> {
      const request = awaited.get(meetingId);
      if (request === undefined) return;
      try {
        const result = await s.meetings.join(caller, meetingId, request);
        // Still waiting (a host has not decided): the admission's `lobby.entry` brings us back here.
        if (result.status === 'waiting') return;
        awaited.delete(meetingId);
        send({ type: 'lobby.joined', meeting: result.meeting, livekit: result.livekit });
      } catch (e) {
        if (!(e instanceof ServiceError)) throw e;
        awaited.delete(meetingId);
        send({ type: 'lobby.refused', meetingId, error: { code: e.code, message: e.message } });
      }
    }
    /** A failure answered on the socket (`ref`: what it answers): a service's own error as it says, anything else as internal. */
    const failed =
      (ref?: string) =>
      (e: unknown): void => {
        const { code, message } = refusal(e);
        fail(ref, code, message);
      };
    /** What reaches this socket; an admission to a lobby it waits in is followed by the join. */
    const deliver = (caller: Caller, message: ServerMessage): void => {
      send(message);
      if (message.type !== 'lobby.entry' || message.entry.userId !== caller.user.id) return;
      const { meetingId, status } = message.entry;
      if (!awaited.has(meetingId)) return;
      if (status === 'admitted') queue = queue.then(() => joinAwaited(caller, meetingId)).catch(failed());
      else if (status !== 'waiting') awaited.delete(meetingId);
    };

    /** The socket becomes the token's person's (`auth`, or a guest's knock on it), waiting in `awaiting`'s lobbies. */
    async function authenticate(accessToken: string, awaiting: AwaitedLobbies): Promise<void> {
      try {
        const { caller, expiresAt } = await s.auth.authenticateUntil(accessToken, origin);
        // Closed while the token was looked up: nothing to connect (its close found no session to end).
        if (socket.readyState !== socket.OPEN) return;
        clearTimeout(authTimer);
        for (const { meetingId, ...join } of awaiting) awaited.set(meetingId, join);
        const end = (reason: EndReason): void => socket.close(...CLOSE_FOR[reason]);
        /**
         * Asked after word of ended sessions may have been lost (realtime.catchUp): the token
         * is looked up again, and a session ended or a role changed meanwhile ends the socket.
         */
        const recheck = (): void => {
          s.auth.authenticate(accessToken, origin).then(
            (now) => {
              if (now.user.role !== caller.user.role) end('role_changed');
            },
            (e: unknown) => {
              if (e instanceof ServiceError && e.code === 'unauthenticated') end('session_ended');
              else app.log.error(e, 'websocket token check failed');
            },
          );
        };
        const connection = s.realtime.connect(
          caller,
          (m) => deliver(caller, m),
          end,
          () => drained(socket),
          recheck,
        );
        // The token ends the socket when it expires; a revocation before that ends it through
        // realtime (endSession, endUser: on every instance), or at the re-check after an outage.
        expireAt(expiresAt);
        session = { caller, connection };
        send({ type: 'ready', userId: caller.user.id, organisationId: caller.user.organisationId });
        // Admitted before the socket was there to hear it: joined now.
        for (const meetingId of [...awaited.keys()]) await joinAwaited(caller, meetingId).catch(failed());
        const online = s.presence.connected(caller);
        connecting = online.catch(() => undefined);
        await online;
      } catch {
        fail('auth', 'unauthenticated', 'access token is missing, expired or revoked');
        socket.close(WS_CLOSE.unauthenticated, 'unauthenticated');
      }
    }

    /**
     * A guest's knock on this socket (`guest.knock`): the POST's knock, answered here, and the
     * socket is the guest's at once, waiting in the lobby. A refusal is thrown (answered as an
     * `error` for `guest.knock`); the socket stays as it was, unauthenticated.
     */
    async function knock({ code, name, email }: Extract<ClientMessage, { type: 'guest.knock' }>): Promise<void> {
      await knocksPerAddress(origin.address);
      const knocked = await s.guestLinks.knock(code, email === undefined ? { name } : { name, email }, origin);
      send({ type: 'guest.knocked', ...knocked });
      const { join } = knocked;
      // As the browser's `auth` would name it after a knock over HTTP: the same name in the call.
      await authenticate(
        knocked.session.tokens.accessToken,
        join.status === 'waiting' ? [{ meetingId: join.meeting.id, displayName: name }] : [],
      );
    }

    /** A route called on the socket, answered `call.result` or `call.error`, counted and timed. */
    async function call(caller: Caller, { ref, route, params, body }: CallMessage) {
      const started = performance.now();
      let outcome = 'ok';
      try {
        const request = { caller, params: params ?? {}, query: {}, body, origin, status: noStatus };
        send({ type: 'call.result', ref, result: await options.invoke(route, request) });
      } catch (e) {
        const error = refusal(e);
        outcome = error.code;
        send({ type: 'call.error', ref, error });
      }
      options.metrics.calls.inc({ route, outcome });
      options.metrics.callLatency.observe({ route }, (performance.now() - started) / 1000);
    }

    async function handle(message: ClientMessage): Promise<void> {
      if (session === undefined) {
        if (message.type === 'auth') return authenticate(message.accessToken, message.awaiting ?? []);
        if (message.type === 'guest.knock') return knock(message);
        socket.close(WS_CLOSE.unauthenticated, 'the first message must be auth');
        return;
      }
      switch (message.type) {
        case 'auth':
        case 'guest.knock':
          fail(message.type, 'bad_request', 'already authenticated');
          return;
        case 'resume':
          await session.connection.resume(message.cursor);
          return;
        case 'presence.set':
          await s.presence.declare(session.caller, { status: message.status });
          return;
        case 'presence.watch': {
          await presenceWatches(session.caller.user.id);
          // Watched before the answer is read: a change made meanwhile is heard, never lost.
          session.connection.watch(message.userIds);
          send({ type: 'presence.watched', presence: await s.presence.list(session.caller, message.userIds) });
          return;
        }
        case 'typing':
          await typingSignals(session.caller.user.id);
          await s.chat.typing(session.caller, message.conversationId, message.typing);
          return;
        case 'ping':
          send({ type: 'pong', ...(message.nonce === undefined ? {} : { nonce: message.nonce }) });
          return;
        case 'call':
          return call(session.caller, message);
        default: {
          const never: never = message;
          throw new Error(`unhandled message ${JSON.stringify(never)}`);
        }
      }
    }

    socket.on('message', (data, isBinary) => {
      let json: unknown;
      try {
        json = isBinary ? undefined : JSON.parse(String(data));
      } catch {
        json = undefined;
      }
      const parsed = ClientMessageSchema.safeParse(json);
      if (!parsed.success) {
        const error = { code: 'bad_request', message: 'invalid message', issues: issuesOf(parsed.error) } as const;
        const ref = callRefOf(json);
        send(ref === undefined ? { type: 'error', error } : { type: 'call.error', ref, error });
        if (session === undefined) socket.close(WS_CLOSE.badMessage, 'invalid message');
        return;
      }
      // Messages are handled one at a time, in the order they arrived.
      queue = queue.then(() => handle(parsed.data)).catch(failed(parsed.data.type));
    });

    socket.on('close', () => {
      clearTimeout(authTimer);
      clearTimeout(expiry);
      const ended = session;
      if (ended === undefined) return;
      ended.connection.close();
      if (shuttingDown) return;
      connecting
        .then(() => s.presence.disconnected(ended.caller))
        .catch((e: unknown) => app.log.error(e, 'presence update failed'));
    });
  }
}
