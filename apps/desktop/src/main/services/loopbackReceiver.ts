import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type LoopbackReceiver = {
  /** `http://127.0.0.1:<port><path>`: the redirect to give the server. */
  readonly redirectUri: string;
  close(): void;
};

/** What the browser shows after the redirect: a fixed page, never anything from the request. */
export type ReceiverPages = {
  /** When `receive` resolved. */
  readonly done: string;
  /** When it threw. */
  readonly failed: string;
};

const page = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${text}</p>`;

/**
 * The app's own loopback listener for one browser redirect (RFC 8252 §7.3): a free port on
 * 127.0.0.1, the given `path` only. It hands the redirect's query to `receive` (the app finishes
 * the flow with the server, which checks that this app started it), answers the browser with a
 * fixed page, and closes after that one redirect or at `expiresAtMs`. Never keeps the process alive.
 * Used by provider consent (`linked.ts`) and single sign-on (`sso.ts`).
 */
export async function startLoopbackReceiver(options: {
  readonly path: string;
  readonly expiresAtMs: number;
  readonly receive: (query: URLSearchParams) => Promise<void>;
  readonly pages: ReceiverPages;
}): Promise<LoopbackReceiver> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== options.path) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    close();
    const answer = (status: number, text: string) =>
      response
        .writeHead(status, {
          'content-type': 'text/html; charset=utf-8',
          'cache-control': 'no-store',
          'referrer-policy': 'no-referrer',
        })
        .end(page('Tandem', text));
    options.receive(url.searchParams).then(
      () => answer(200, options.pages.done),
      () => answer(400, options.pages.failed),
    );
  });
  function close(): void {
    server.close();
  }
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  setTimeout(close, Math.max(0, options.expiresAtMs - Date.now())).unref();
  return { redirectUri: `http://127.0.0.1:${port}${options.path}`, close };
}
