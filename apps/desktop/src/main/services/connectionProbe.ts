import { probeServer, WS_PATH, type ConnectionProbe, type ConnectionTestReport } from '@tandem/shared';
import WebSocket from 'ws';

/** How long one probe may take before it counts as failed. */
const PROBE_MS = 8_000;

export type ConnectionProbes = {
  /** The coordination server's `/healthz` over HTTP (shared `probeServer`). */
  server(): Promise<ConnectionProbe>;
  /** The server's WebSocket, opened (and closed again) the way the app's realtime connection opens it. */
  websocket(): Promise<ConnectionProbe>;
  /** The connection test's latest run, for Collect logs; null before one ran. */
  latest(): ConnectionTestReport | null;
  keep(report: ConnectionTestReport): void;
};

/**
 * Help → Connection test, main's part: the server and its WebSocket from main, where the app's
 * own requests and socket come from. LiveKit, the media path and the devices are the renderer's.
 */
export function createConnectionProbes(deps: {
  /** The signed-in server's address; null when nobody is signed in. */
  readonly baseUrl: () => string | null;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}): ConnectionProbes {
  const timeoutMs = deps.timeoutMs ?? PROBE_MS;
  const fetchImpl = deps.fetch ?? fetch;
  let latest: ConnectionTestReport | null = null;
  const notSignedIn: ConnectionProbe = { ok: false, reason: 'not_signed_in' };
  return {
    async server() {
      const base = deps.baseUrl();
      return base === null
        ? notSignedIn
        : probeServer(base, { fetch: fetchImpl, timeout: () => AbortSignal.timeout(timeoutMs) });
    },
    websocket() {
      const base = deps.baseUrl();
      if (base === null) return Promise.resolve(notSignedIn);
      return new Promise((resolve) => {
        const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${WS_PATH}`);
        const done = (probe: ConnectionProbe) => {
          clearTimeout(timer);
          ws.removeAllListeners();
          // An error after this (the close of a socket that never opened) has nobody left to tell.
          ws.on('error', () => undefined);
          ws.terminate();
          resolve(probe);
        };
        const timer = setTimeout(() => done({ ok: false, reason: 'timeout' }), timeoutMs);
        ws.on('open', () => done({ ok: true }));
        ws.on('unexpected-response', () => done({ ok: false, reason: 'unexpected_answer' }));
        ws.on('error', () => done({ ok: false, reason: 'unreachable' }));
      });
    },
    latest: () => latest,
    keep(report) {
      latest = report;
    },
  };
}
