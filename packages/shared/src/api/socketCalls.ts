import { CodedError } from '../errors.ts';
import type { CallInput } from './client.ts';
import { ROUTES, type RouteName, type RouteResponse } from './routes.ts';
import type { ClientMessage, ServerMessage } from './ws.ts';

/**
 * Routes a client may call on its authenticated WebSocket (`call`) as well as over HTTP: the chat
 * writes a person makes many times a minute. Each is idempotent (by its clientId; a read position
 * only moves forward), so a call whose socket closed before the answer is made again over HTTP
 * without writing anything twice. On the socket a call skips what every HTTP request pays again:
 * headers, routing, the token's look-up (B2: p50 2.4 → 1.8 ms, p99 10 → 5 ms).
 */
export const SOCKET_ROUTES = [
  'sendMessage',
  'editMessage',
  'deleteMessage',
  'reactToMessage',
  'unreactToMessage',
  'markRead',
] as const satisfies readonly RouteName[];
export type SocketRoute = (typeof SOCKET_ROUTES)[number];

const isSocketRoute = (name: RouteName): name is SocketRoute => (SOCKET_ROUTES as readonly string[]).includes(name);

/** A call on the socket unanswered this long is made again over HTTP (as long as the apps let a request take). */
export const SOCKET_CALL_TIMEOUT_MS = 10_000;

/** The socket closed, or stayed silent, before a call's answer: make it again over HTTP. */
class SocketCallLost extends Error {}

/** What a client sends for a call (ws.ts `call`). */
export type CallMessage = Extract<ClientMessage, { type: 'call' }>;

type Waiting = {
  readonly route: SocketRoute;
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly cancel: () => void;
};

export type SocketCalls = {
  /**
   * Calls `name` on the socket and answers as the HTTP client would (the route's checked answer,
   * or a CodedError with the server's code). Over HTTP instead (`http`) when `send` finds no
   * authenticated socket, and again over HTTP when the socket is lost before the answer.
   */
  call<N extends SocketRoute>(
    name: N,
    input: CallInput<N>,
    http: () => Promise<RouteResponse<N>>,
  ): Promise<RouteResponse<N>>;
  /** Hands a server message to the call it answers; true when it was one (`call.result`, `call.error`). */
  answer(message: ServerMessage): boolean;
  /** The socket closed: the calls it carried are made again over HTTP. */
  lost(): void;
};

/**
 * Route `name` on the socket (`calls`) when it is one of SOCKET_ROUTES, else over HTTP (`http`):
 * the one place a client decides, whatever route it calls.
 */
export function preferSocket<N extends RouteName>(
  calls: Pick<SocketCalls, 'call'> | undefined,
  name: N,
  input: CallInput<N> | undefined,
  http: () => Promise<RouteResponse<N>>,
): Promise<RouteResponse<N>> {
  if (calls === undefined || !isSocketRoute(name)) return http();
  const onSocket = calls.call<SocketRoute>(
    name,
    (input ?? {}) as CallInput<SocketRoute>,
    http as () => Promise<RouteResponse<SocketRoute>>,
  );
  return onSocket as Promise<RouteResponse<N>>;
}

/** Runs `fn` after `ms` unless cancelled. */
export type After = (ms: number, fn: () => void) => () => void;

/** The runtime's timers (Node's and the browser's alike; this package is typed without either). */
const timers = globalThis as unknown as {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(timer: unknown): void;
};
const platformAfter: After = (ms, fn) => {
  const timer = timers.setTimeout(fn, ms);
  return () => timers.clearTimeout(timer);
};

/**
 * Calls on one client's socket, matched to their answers by `ref` (a counter: unique per client,
 * and the server answers on the socket that asked). `send` returns false when there is no
 * authenticated socket to send on. The desktop's main process and the browser client use it alike.
 */
export function createSocketCalls(
  send: (message: CallMessage) => boolean,
  after: After = platformAfter,
  timeoutMs = SOCKET_CALL_TIMEOUT_MS,
): SocketCalls {
  const waiting = new Map<string, Waiting>();
  let next = 0;

  function settle(ref: string): Waiting | undefined {
    const call = waiting.get(ref);
    if (call === undefined) return undefined;
    waiting.delete(ref);
    call.cancel();
    return call;
  }

  return {
    async call(name, input, http) {
      next += 1;
      const ref = String(next);
      const answered = new Promise<unknown>((resolve, reject) => {
        const cancel = after(timeoutMs, () => settle(ref)?.reject(new SocketCallLost()));
        waiting.set(ref, { route: name, resolve, reject, cancel });
      });
      const sent = send({
        type: 'call',
        ref,
        route: name,
        ...(input.params === undefined ? {} : { params: input.params as Record<string, string> }),
        ...(input.body === undefined ? {} : { body: input.body }),
      });
      if (!sent) {
        settle(ref);
        return http();
      }
      try {
        return (await answered) as RouteResponse<typeof name>;
      } catch (error) {
        if (error instanceof SocketCallLost) return http();
        throw error;
      }
    },
    answer(message) {
      if (message.type === 'call.result') {
        const call = settle(message.ref);
        if (call === undefined) return true;
        const parsed = ROUTES[call.route].response.safeParse(message.result);
        if (parsed.success) call.resolve(parsed.data);
        else call.reject(new CodedError('internal', `${call.route}: the server answered an unexpected body`));
        return true;
      }
      if (message.type === 'call.error') {
        const { code, message: text, issues } = message.error;
        settle(message.ref)?.reject(new CodedError(code, text, issues === undefined ? {} : { issues }));
        return true;
      }
      return false;
    },
    lost() {
      for (const ref of [...waiting.keys()]) settle(ref)?.reject(new SocketCallLost());
    },
  };
}
