/**
 * The renderer's one way to talk to main. In Electron it wraps the preload's `window.tandem`;
 * in the browser test harness (no preload) it speaks the same contract over the WebSocket named
 * by the page URL (`?bridge=ws://127.0.0.1:PORT`) to the real main-process handlers in Node.
 * Nothing connects until the first call.
 */
import {
  BRIDGE_QUERY_PARAM,
  BridgeFrameSchema,
  IPC_CHANNEL_NAMES,
  JOIN_LANDING_ELEMENT_ID,
  JoinLandingSchema,
  joinCodeOfWebPath,
  type JoinLanding,
  IPC_EVENT_NAMES,
  eventMethodNameOf,
  methodNameOf,
  type IpcResult,
  type TandemApi,
  type TandemClient,
  type Unsubscribe,
} from '@tandem/shared';
import { ssoReturnOf } from './browser/sso.ts';
import { browserTransport } from './browser/transport.ts';
import { BridgeError, type Transport } from './client.ts';

type Call = (request?: unknown) => Promise<IpcResult<unknown>>;
type Subscribe = (listener: (payload: unknown) => void) => Unsubscribe;

/** Electron: the preload already exposes one named method per channel and per event. */
export function preloadTransport(api: TandemApi): Transport {
  const methods = api as unknown as Readonly<Record<string, Call | Subscribe>>;
  return {
    invoke: (channel, request) => (methods[methodNameOf(channel)] as Call)(request),
    subscribe: (event, listener) => (methods[eventMethodNameOf(event)] as Subscribe)(listener),
  };
}

/** The subset of the DOM WebSocket this transport uses; `ws`'s WebSocket also fits (for Node tests). */
type SocketLike = {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
};
export type SocketFactory = (url: string) => SocketLike;

const OPEN = 1;
const unavailable = (message: string): IpcResult<never> => ({ ok: false, error: { code: 'unavailable', message } });

/**
 * Test harness: one WebSocket, requests `{id, channel, payload}`, answers `{id, ok, …}`, pushed
 * events `{event, payload}`. A dropped socket fails the calls in flight; the next call reconnects.
 */
export function webSocketTransport(url: string, open: SocketFactory = (u) => new WebSocket(u)): Transport {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, (result: IpcResult<unknown>) => void>();
  let nextId = 0;
  let socket: Promise<SocketLike> | undefined;

  function connect(): Promise<SocketLike> {
    socket ??= new Promise((resolve, reject) => {
      const ws = open(url);
      ws.addEventListener('open', () => resolve(ws));
      ws.addEventListener('error', () => reject(new Error(`bridge ${url} unreachable`)));
      ws.addEventListener('close', () => {
        socket = undefined;
        for (const settle of pending.values()) settle(unavailable('bridge closed'));
        pending.clear();
      });
      ws.addEventListener('message', ({ data }) => {
        const frame = BridgeFrameSchema.safeParse(JSON.parse(String(data)));
        if (!frame.success) return;
        const f = frame.data;
        if ('event' in f) {
          for (const listener of listeners.get(f.event) ?? []) listener(f.payload);
          return;
        }
        const settle = pending.get(f.id);
        pending.delete(f.id);
        settle?.(f.ok ? { ok: true, result: f.result } : { ok: false, error: f.error });
      });
    });
    return socket;
  }

  return {
    async invoke(channel, payload) {
      let ws: SocketLike;
      try {
        ws = await connect();
      } catch (error) {
        socket = undefined;
        return unavailable(error instanceof Error ? error.message : String(error));
      }
      if (ws.readyState !== OPEN) return unavailable('bridge closed');
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        ws.send(JSON.stringify({ id, channel, payload: payload ?? {} }));
      });
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      // Events only flow on an open socket, so a subscriber alone is reason to connect.
      void connect().catch(() => (socket = undefined));
      return () => set.delete(listener);
    },
  };
}

export function createTandemClient(transport: () => Transport): TandemClient {
  const client: Record<string, unknown> = {};
  for (const channel of IPC_CHANNEL_NAMES) {
    client[methodNameOf(channel)] = async (request?: unknown) => {
      const answer = await transport().invoke(channel, request ?? {});
      if (!answer.ok) throw new BridgeError(answer.error);
      return answer.result;
    };
  }
  for (const event of IPC_EVENT_NAMES) {
    client[eventMethodNameOf(event)] = (listener: (payload: unknown) => void) => transport().subscribe(event, listener);
  }
  return client as TandemClient;
}

/** The browser client's page address names the meeting to join: `/app/#/join/<code>` (or the page is the join link's, `/j/<code>`). */
const JOIN_HASH = /^#\/join\/([a-z0-9-]{4,16})$/i;
/** ...or a webinar registrant's join link: `/app/#/registrant/<token>` (from the `/w/<token>` page). */
const REGISTRANT_HASH = /^#\/registrant\/([A-Za-z0-9_-]{16,128})$/;

/**
 * What the server wrote into the page of a join link (`/j/<code>`) about its meeting; null on
 * any other page, or when it does not read as a landing.
 */
function landingOfPage(): JoinLanding | null {
  const code = joinCodeOfWebPath(globalThis.location.pathname);
  const text = globalThis.document.getElementById(JOIN_LANDING_ELEMENT_ID)?.textContent;
  if (code === null || text == null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const landing = JoinLandingSchema.safeParse(parsed);
  return landing.success && landing.data.code === code ? landing.data : null;
}

/**
 * The app: the preload. The end-to-end harness: `?bridge=` names main's handlers. Otherwise the
 * page is the browser client, served by the coordination server it talks to.
 */
function defaultTransport(): Transport {
  const preload = (globalThis as { tandem?: TandemApi }).tandem;
  if (preload !== undefined) return preloadTransport(preload);
  const url = new URLSearchParams(globalThis.location.search).get(BRIDGE_QUERY_PARAM);
  if (url !== null) return webSocketTransport(url);
  const ssoReturn = ssoReturnOf(globalThis.location.search);
  // The one-time code leaves the address (and the history) before anything else runs.
  if (ssoReturn !== null) globalThis.history.replaceState(null, '', globalThis.location.pathname);
  return browserTransport({
    serverUrl: globalThis.location.origin,
    storage: globalThis.sessionStorage,
    joinCode:
      JOIN_HASH.exec(globalThis.location.hash)?.[1]?.toLowerCase() ?? joinCodeOfWebPath(globalThis.location.pathname),
    landing: landingOfPage(),
    registrantToken: REGISTRANT_HASH.exec(globalThis.location.hash)?.[1] ?? null,
    ssoReturn,
    leaveFor: (url) => globalThis.location.assign(url),
  });
}

/** Whether main is behind the client (the app, or its handlers in the harness) or this page is the browser client. */
export function hasMain(): boolean {
  return 'tandem' in globalThis || new URLSearchParams(globalThis.location.search).has(BRIDGE_QUERY_PARAM);
}

/**
 * The app's client, created once by the composition root (`main.tsx`), which hands it (or the
 * controllers made from it) to everything else. The transport is picked on first use.
 */
export function createClient(): TandemClient {
  let chosen: Transport | undefined;
  return createTandemClient(() => (chosen ??= defaultTransport()));
}
