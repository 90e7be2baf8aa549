import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRuntime } from '../providerHttp.ts';

/** What a fake provider API received, for tests to assert the wire format. */
export type RecordedRequest = {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
};

export type FakeReply = {
  readonly status?: number;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON; `raw` is sent as is (for malformed bodies). */
  readonly json?: unknown;
  readonly raw?: string;
};

export type FakeApi = {
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
};

/**
 * A local HTTP server on a free loopback port standing in for a provider's API. The test's
 * handler answers in the provider's documented shapes; every request is recorded.
 */
export async function startFakeApi(
  handler: (request: RecordedRequest) => FakeReply | Promise<FakeReply>,
): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(recorded);
      let reply: FakeReply;
      try {
        reply = await handler(recorded);
      } catch (error) {
        reply = { status: 500, json: { error: String(error) } };
      }
      const body = reply.raw ?? (reply.json === undefined ? '' : JSON.stringify(reply.json));
      res.writeHead(reply.status ?? 200, {
        ...(reply.json === undefined ? {} : { 'content-type': 'application/json' }),
        ...reply.headers,
      });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A local HTTP server that takes every request and never finishes answering: with `stall:
 * 'headers'` it sends nothing at all, with `stall: 'body'` it sends 200 and half a JSON body. The
 * provider stands in for one whose network path or backend hangs.
 */
export async function startSilentServer(stall: 'headers' | 'body'): Promise<FakeApi> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://silent');
    requests.push({
      method: req.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: '',
    });
    if (stall === 'body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"id":');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A runtime whose sleeps return at once and are recorded, so retry waits are asserted, not timed. */
export function recordingRuntime(overrides: Partial<HttpRuntime> = {}): HttpRuntime & { readonly slept: number[] } {
  const slept: number[] = [];
  return {
    fetch: (input, init) => fetch(input, init),
    sleep: async (ms) => {
      slept.push(ms);
    },
    now: () => Date.now(),
    maxAttempts: 3,
    maxRetryWaitMs: 30_000,
    timeoutMs: 5_000,
    ...overrides,
    slept,
  };
}
