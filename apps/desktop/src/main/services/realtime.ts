import {
  ServerMessageSchema,
  type CallMessage,
  type SocketCalls,
  WS_CLOSE,
  WS_PATH,
  type AwaitedLobbies,
  type ClientMessage,
  type ServerMessage,
} from '@tandem/shared';
import WebSocket from 'ws';
import { backoffDelay, DEFAULT_BACKOFF, type Backoff } from './backoff.ts';
import type { ConnectionState } from './connection.ts';
import { ServiceError } from './errors.ts';
import type { Session } from './session.ts';

export type Realtime = {
  /** Connects (and keeps reconnecting) until `stop`. Safe to call again: it nudges a waiting retry. */
  start(): void;
  stop(): Promise<void>;
  /**
   * Starts the socket's change stream after `cursor` (once per connection, from onReady): every
   * conversation the person follows, whatever their number, in one small frame.
   */
  resume(cursor: number): void;
  /** Whose presence to hear (`presence.watch`): sent on the live socket, dropped when there is none (sent again at `onReady`). */
  watchPresence(userIds: readonly string[]): void;
  /** A lossy typing signal: sent on the live socket, dropped when there is none. */
  typing(conversationId: string, typing: boolean): void;
  /** Sends a route's `call` (SocketCalls' `send`): false when no authenticated socket is there to take it. */
  sendCall(message: CallMessage): boolean;
  /**
   * The computer woke from sleep: a socket from before may be dead without knowing it, and a retry
   * may be waiting out a long backoff. Both give way to a new connection now.
   */
  wake(): void;
};

export type RealtimeDeps = {
  readonly session: Pick<Session, 'accessToken' | 'api' | 'refresh' | 'deactivated'>;
  readonly connection: ConnectionState;
  /**
   * The lobbies we wait in as each socket authenticates (`auth.awaiting`): the server joins us
   * there once admitted and answers on the socket (`lobby.joined`).
   */
  readonly awaiting?: () => AwaitedLobbies | undefined;
  /** The socket is authenticated: resume subscriptions, flush the outbox. */
  readonly onReady: () => Promise<void>;
  readonly onMessage: (message: ServerMessage) => void;
  /** The calls made on this socket (`sendCall`): each answer goes to them, and a closed socket loses them. */
  readonly calls?: Pick<SocketCalls, 'answer' | 'lost'>;
  readonly backoff?: Backoff;
  /** Failed attempts in a row after which the banner says offline rather than reconnecting. */
  readonly offlineAfter?: number;
  /** Silence longer than this (no message, no pong) means the link is dead. */
  readonly heartbeatMs?: number;
  readonly onError?: (error: unknown) => void;
};

/**
 * The coordination server's WebSocket: authenticates with the first message, reports
 * online / reconnecting / offline, reconnects with backoff, and hands every valid server message
 * on. What to resume is the caller's business (onReady), so a reconnect misses nothing.
 */
export function createRealtime(deps: RealtimeDeps): Realtime {
  const backoff = deps.backoff ?? DEFAULT_BACKOFF;
  const offlineAfter = deps.offlineAfter ?? 3;
  const heartbeatMs = deps.heartbeatMs ?? 25_000;
  let socket: WebSocket | null = null;
  let ready = false;
  let stopped = true;
  let attempt = 0;
  let retry: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  /** The socket closing was asked for by `wake`: connect again at once, not after a backoff. */
  let replacing = false;

  /** Sends on the open socket; false when there is none. */
  function send(message: ClientMessage): boolean {
    if (socket?.readyState !== WebSocket.OPEN) return false;
    socket.send(JSON.stringify(message));
    return true;
  }

  function scheduleRetry(): void {
    if (stopped || retry !== null) return;
    deps.connection.set(attempt >= offlineAfter ? 'offline' : 'reconnecting');
    retry = setTimeout(
      () => {
        retry = null;
        void connect();
      },
      backoffDelay(attempt, backoff),
    );
    attempt += 1;
  }

  async function connect(): Promise<void> {
    if (stopped || socket !== null) return;
    let token: string;
    try {
      token = await deps.session.accessToken();
    } catch (error) {
      if (error instanceof ServiceError && error.code === 'unauthenticated') {
        // Nothing to connect as until the user signs in again (start() is called then).
        deps.connection.set('offline');
        return;
      }
      scheduleRetry();
      return;
    }
    if (stopped || socket !== null) return;
    const url = `${deps.session.api().baseUrl.replace(/^http/, 'ws')}${WS_PATH}`;
    const ws = new WebSocket(url);
    socket = ws;
    let lastHeard = Date.now();

    ws.on('open', () => {
      const awaiting = deps.awaiting?.();
      send({ type: 'auth', accessToken: token, ...(awaiting === undefined ? {} : { awaiting }) });
      heartbeat = setInterval(() => {
        if (Date.now() - lastHeard > 2 * heartbeatMs) ws.terminate();
        else send({ type: 'ping' });
      }, heartbeatMs);
    });
    ws.on('message', (data) => {
      lastHeard = Date.now();
      let parsed: ServerMessage;
      try {
        parsed = ServerMessageSchema.parse(JSON.parse(String(data)));
      } catch (error) {
        deps.onError?.(error);
        return;
      }
      if (parsed.type === 'ready') {
        ready = true;
        attempt = 0;
        deps.connection.set('online');
        deps.onReady().catch((error: unknown) => deps.onError?.(error));
        return;
      }
      if (deps.calls?.answer(parsed) === true) return;
      deps.onMessage(parsed);
    });
    ws.on('error', (error) => deps.onError?.(error));
    ws.on('close', (code) => {
      if (heartbeat !== null) clearInterval(heartbeat);
      heartbeat = null;
      socket = null;
      ready = false;
      deps.calls?.lost();
      if (stopped) return;
      if (replacing) {
        replacing = false;
        void connect();
        return;
      }
      if (code === WS_CLOSE.draining) {
        // That instance is shutting down: another one takes the connection now, no back-off.
        void connect();
        return;
      }
      if (code === WS_CLOSE.deactivated) {
        // The account's tokens are dead: no refresh, no reconnect until someone signs in (start()).
        deps.connection.set('offline');
        deps.session.deactivated().catch((error: unknown) => deps.onError?.(error));
        return;
      }
      if (code === WS_CLOSE.unauthenticated) {
        deps.session.refresh().then(scheduleRetry, (error: unknown) => {
          deps.onError?.(error);
          // Signed out, expired or deactivated: nothing to reconnect as.
          if (error instanceof ServiceError && (error.code === 'unauthenticated' || error.code === 'forbidden'))
            deps.connection.set('offline');
          else scheduleRetry();
        });
        return;
      }
      scheduleRetry();
    });
  }

  return {
    start() {
      stopped = false;
      if (retry !== null) {
        clearTimeout(retry);
        retry = null;
      }
      void connect();
    },
    async stop() {
      stopped = true;
      replacing = false;
      if (retry !== null) clearTimeout(retry);
      retry = null;
      const ws = socket;
      if (ws === null) return;
      await new Promise<void>((resolve) => {
        ws.once('close', () => resolve());
        ws.close();
      });
      deps.connection.set('offline');
    },
    resume(cursor) {
      if (ready) send({ type: 'resume', cursor });
    },
    watchPresence(userIds) {
      if (ready) send({ type: 'presence.watch', userIds: [...userIds] });
    },
    typing(conversationId, typing) {
      if (ready) send({ type: 'typing', conversationId, typing });
    },
    sendCall: (message) => ready && send(message),
    wake() {
      if (stopped) return;
      attempt = 0;
      if (retry !== null) {
        clearTimeout(retry);
        retry = null;
      }
      if (socket === null) {
        void connect();
        return;
      }
      replacing = true;
      socket.terminate();
    },
  };
}
