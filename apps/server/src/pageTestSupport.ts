import type { PageKey, PageServerMessage, PageToken } from '@tandem/shared';
import { PageSession, type SocketLike } from '@tandem/page-sdk/session';
import WebSocket from 'ws';
import type { TestServer } from './testSupport.ts';

/** Where a page token puts someone: the page's key, address and title. */
export type PagePlaceOf = { readonly page: PageKey; readonly url: string; readonly title: string };

/**
 * Someone on a page as the page SDK opens one (for the page tests): a page token minted by the
 * host app's backend with its API key, then the SDK's own session over `ws`, once synced.
 * `onText` sees each JSON control message the server sends the page.
 */
export async function openPage(
  server: Pick<TestServer, 'url' | 'api'>,
  apiKey: string,
  place: PagePlaceOf,
  email: string,
  onText: (message: PageServerMessage) => void = () => {},
): Promise<PageSession> {
  const r = await server.api.raw('POST', '/pages/tokens', {
    body: JSON.stringify({ person: { email }, ...place }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
  });
  if (r.status !== 201) throw new Error(`the page token was refused: ${r.status} ${await r.text()}`);
  const token = (await r.json()) as PageToken;
  const session = new PageSession((url) => {
    const socket = new WebSocket(url);
    socket.on('message', (data, binary) => {
      if (!binary) onText(JSON.parse(String(data)) as PageServerMessage);
    });
    return socket as unknown as SocketLike;
  });
  await session.connect(`${server.url.replace(/^http/, 'ws')}${token.socketPath}`, token.token);
  await new Promise<void>((resolve) => session.on('synced', () => resolve()));
  return session;
}
