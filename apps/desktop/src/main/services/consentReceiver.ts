import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Where the provider sends the browser back: this app's own loopback listener (RFC 8252 §7.3). */
export const CONSENT_PATH = '/providers/callback';

export type ConsentReceiver = {
  /** `http://127.0.0.1:<port>/providers/callback`, the consent's redirect. */
  readonly redirectUri: string;
  close(): void;
};

const page = (title: string, text: string): string =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><p>${text}</p>`;

/**
 * Listens on a free loopback port for one provider redirect and hands its `code` and `state` to
 * `complete` (the app's signed-in session finishes the consent at the server, which checks it is
 * the one who started it). Answers the browser with a fixed page; closes after one redirect or
 * at `expiresAtMs`. Never keeps the process alive.
 */
export async function startConsentReceiver(
  complete: (code: string, state: string) => Promise<void>,
  expiresAtMs: number,
): Promise<ConsentReceiver> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method !== 'GET' || url.pathname !== CONSENT_PATH) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found');
      return;
    }
    const code = url.searchParams.get('code');
    const state = url.searchParams.get('state');
    close();
    const answer = (status: number, text: string) =>
      response
        .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(page('Tandem', text));
    if (code === null || state === null) {
      answer(400, 'The account was not connected (the provider sent no approval). Return to Tandem to try again.');
      return;
    }
    complete(code, state).then(
      () => answer(200, 'The account is connected. You can close this tab and return to Tandem.'),
      () => answer(400, 'The account was not connected. Return to Tandem and start again.'),
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
  setTimeout(close, Math.max(0, expiresAtMs - Date.now())).unref();
  return { redirectUri: `http://127.0.0.1:${port}${CONSENT_PATH}`, close };
}
