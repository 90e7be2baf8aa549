import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { googleProvider } from './google.ts';
import { microsoftGraphProvider } from './microsoftGraph.ts';
import { exchangeAuthorizationCode, zoomAccountToken, type OAuthClient } from './oauth.ts';
import { ProviderError, providerErrorToApi } from './providerError.ts';
import { providerHttp } from './providerHttp.ts';
import { recordingRuntime, startSilentServer, type FakeApi } from './testing/fakeApi.ts';
import { cachedTokenSource } from './tokenSource.ts';
import { zoomProvider } from './zoom.ts';

// Issue 13 item 8: every provider call (Graph, Zoom, Google and the OAuth token endpoints) gives
// up after the runtime's timeout, against a real local HTTP server that never answers.

const TIMEOUT_MS = 300;
const runtime = recordingRuntime({ timeoutMs: TIMEOUT_MS });
const tokens = cachedTokenSource(async () => ({ value: 't', expiresAtMs: Date.now() + 3_600_000 }));

let server: FakeApi | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function timesOut(call: (url: string) => Promise<unknown>, stall: 'headers' | 'body' = 'headers') {
  server = await startSilentServer(stall);
  const started = Date.now();
  const error = await call(server.url).then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = Date.now() - started;
  expect(error).toBeInstanceOf(ProviderError);
  const failure = error as ProviderError;
  expect(failure.code).toBe('unavailable');
  expect(failure.message).toContain(`no answer within ${TIMEOUT_MS} ms`);
  expect(providerErrorToApi(failure).error.code).toBe('unavailable');
  // The call did reach the server. Under load the server's side (in this same process) may read
  // the request only after the client gave up, so it is waited for rather than read at once.
  const reached = server;
  await expect.poll(() => reached.requests.length, { timeout: 2_000 }).toBeGreaterThan(0);
  expect(elapsed).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
  expect(elapsed).toBeLessThan(TIMEOUT_MS + 2_000);
}

const client = (tokenUrl: string): OAuthClient => ({
  provider: 'microsoft',
  authorizeUrl: `${tokenUrl}/authorize`,
  tokenUrl: `${tokenUrl}/token`,
  clientId: 'c',
  clientSecret: 's',
  scopes: ['x'],
});

describe('provider calls time out against a server that never answers', { timeout: 5_000 }, () => {
  it('a provider API call waiting for headers', async () => {
    await timesOut((url) => providerHttp('zoom', url, tokens, runtime).call(z.unknown(), 'GET', '/x'));
  });

  it('a provider API call whose body stalls half-way', async () => {
    await timesOut((url) => providerHttp('zoom', url, tokens, runtime).call(z.unknown(), 'GET', '/x'), 'body');
  });

  it('Microsoft Graph: get an online meeting', async () => {
    await timesOut((url) => microsoftGraphProvider(tokens, { baseUrl: url, runtime }).getMeeting('m1'));
  });

  it('Zoom: get a meeting', async () => {
    await timesOut((url) => zoomProvider(tokens, { baseUrl: url, runtime }).getMeeting('81234567890'));
  });

  it('Google Calendar: get an event', async () => {
    await timesOut((url) => googleProvider(tokens, { baseUrl: url, runtime }).getMeeting('e1'));
  });

  it('OAuth: exchanging an authorization code', async () => {
    await timesOut((url) => exchangeAuthorizationCode(client(url), 'code', 'http://127.0.0.1/cb', 'verifier', runtime));
  });

  it('Zoom Server-to-Server OAuth: the account token', async () => {
    await timesOut((url) =>
      zoomAccountToken(`${url}/oauth/token`, { accountId: 'a', clientId: 'c', clientSecret: 's' }, runtime),
    );
  });
});
