import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { connectOAuth, connectZoom, connectionTokenSource } from './connections.ts';
import { authorizationUrl, newPkce, pkceChallenge, type OAuthClient } from './oauth.ts';
import { ProviderError } from './providerError.ts';
import {
  recordingRuntime,
  startFakeApi,
  type FakeApi,
  type FakeReply,
  type RecordedRequest,
} from './testing/fakeApi.ts';
import { createTokenVault, inMemoryCredentialStore, parseVaultKeyring, type CredentialKey } from './tokenVault.ts';

let api: FakeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const vaultFor = () =>
  createTokenVault(inMemoryCredentialStore(), parseVaultKeyring(`k1:${randomBytes(32).toString('base64')}`));
const key: CredentialKey = { orgId: 'acme', provider: 'microsoft', userId: 'ada' };

function client(tokenUrl: string): OAuthClient {
  return {
    provider: 'microsoft',
    authorizeUrl: 'https://login.example.test/common/oauth2/v2.0/authorize',
    tokenUrl,
    clientId: 'app-id',
    clientSecret: 'app-secret',
    scopes: ['offline_access', 'OnlineMeetings.ReadWrite', 'Calendars.Read'],
  };
}

async function tokenEndpoint(answer: (request: RecordedRequest) => FakeReply): Promise<FakeApi> {
  api = await startFakeApi(answer);
  return api;
}

describe('OAuth connections: fake token endpoint (local HTTP, documented wire format)', () => {
  it('builds the consent URL with the scopes, state and PKCE S256 challenge', () => {
    const pkce = newPkce();
    const url = new URL(authorizationUrl(client('http://x/token'), 'https://tandem.test/cb', 'st4te', pkce.challenge));
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: 'app-id',
      response_type: 'code',
      redirect_uri: 'https://tandem.test/cb',
      scope: 'offline_access OnlineMeetings.ReadWrite Calendars.Read',
      state: 'st4te',
      code_challenge: pkce.challenge,
      code_challenge_method: 'S256',
    });
    // RFC 7636 appendix B's example pair.
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
    expect(pkce.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('exchanges the code, stores the refresh token, then refreshes and persists the rotated one', async () => {
    let issued = 0;
    const fake = await tokenEndpoint(() => {
      issued += 1;
      return {
        json: {
          token_type: 'Bearer',
          expires_in: 3599,
          access_token: `at-${issued}`,
          refresh_token: `rt-${issued}`,
          scope: 'Calendars.Read',
        },
      };
    });
    const vault = vaultFor();
    const runtime = recordingRuntime();
    await connectOAuth(
      vault,
      key,
      client(`${fake.url}/tenant/oauth2/v2.0/token`),
      'the-code',
      'https://tandem.test/cb',
      'the-verifier',
      runtime,
    );
    expect(await vault.get(key)).toEqual({ kind: 'oauth', refreshToken: 'rt-1', scope: 'Calendars.Read' });

    const tokens = connectionTokenSource(
      vault,
      key,
      { kind: 'oauth', client: client(`${fake.url}/tenant/oauth2/v2.0/token`) },
      runtime,
    );
    expect(await tokens.get()).toBe('at-2');
    expect(await vault.get(key)).toMatchObject({ refreshToken: 'rt-2' });

    const [exchange, refresh] = fake.requests;
    expect(exchange?.method).toBe('POST');
    expect(exchange?.path).toBe('/tenant/oauth2/v2.0/token');
    expect(exchange?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(exchange?.body))).toMatchObject({
      grant_type: 'authorization_code',
      code: 'the-code',
      redirect_uri: 'https://tandem.test/cb',
      code_verifier: 'the-verifier',
      client_id: 'app-id',
      client_secret: 'app-secret',
    });
    expect(Object.fromEntries(new URLSearchParams(refresh?.body))).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'rt-1',
    });
  });

  it('refuses a grant without a refresh token', async () => {
    const fake = await tokenEndpoint(() => ({ json: { token_type: 'Bearer', expires_in: 3599, access_token: 'at' } }));
    const vault = vaultFor();
    await expect(
      connectOAuth(vault, key, client(fake.url), 'c', 'https://tandem.test/cb', 'v', recordingRuntime()),
    ).rejects.toMatchObject({
      code: 'bad_response',
    });
    expect(await vault.get(key)).toBeUndefined();
  });

  it('turns invalid_grant (revoked consent) into unauthorized', async () => {
    const fake = await tokenEndpoint(() => ({
      status: 400,
      json: { error: 'invalid_grant', error_description: 'AADSTS70008: The refresh token has expired.' },
    }));
    const vault = vaultFor();
    await vault.put(key, { kind: 'oauth', refreshToken: 'old' });
    const tokens = connectionTokenSource(vault, key, { kind: 'oauth', client: client(fake.url) }, recordingRuntime());
    const error: unknown = await tokens.get().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProviderError);
    expect(error).toMatchObject({ code: 'unauthorized', provider: 'microsoft' });
  });

  it('answers unauthorized when the connection was revoked', async () => {
    const vault = vaultFor();
    await vault.put(key, { kind: 'oauth', refreshToken: 'rt' });
    await vault.revoke(key);
    const tokens = connectionTokenSource(
      vault,
      key,
      { kind: 'oauth', client: client('http://127.0.0.1:9/never') },
      recordingRuntime(),
    );
    await expect(tokens.get()).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('answers unavailable when the stored credentials cannot be opened with the configured keys', async () => {
    const store = inMemoryCredentialStore();
    await createTokenVault(store, parseVaultKeyring(`old:${randomBytes(32).toString('base64')}`)).put(key, {
      kind: 'oauth',
      refreshToken: 'rt',
    });
    const vault = createTokenVault(store, parseVaultKeyring(`new:${randomBytes(32).toString('base64')}`));
    const tokens = connectionTokenSource(
      vault,
      key,
      { kind: 'oauth', client: client('http://127.0.0.1:9/never') },
      recordingRuntime(),
    );
    await expect(tokens.get()).rejects.toMatchObject({ code: 'unavailable', provider: 'microsoft' });
  });

  it('connects Zoom Server-to-Server with Basic auth and account_credentials in the query', async () => {
    const fake = await tokenEndpoint(() => ({
      json: {
        access_token: 'zoom-at',
        token_type: 'bearer',
        expires_in: 3599,
        scope: 'meeting:write:admin',
        api_url: 'https://api.zoom.us',
      },
    }));
    const vault = vaultFor();
    const zoomKey: CredentialKey = { orgId: 'acme', provider: 'zoom' };
    const creds = { accountId: 'acc-1', clientId: 'zid', clientSecret: 'zsecret' };
    const runtime = recordingRuntime();
    await connectZoom(vault, zoomKey, `${fake.url}/oauth/token`, creds, runtime);
    expect(await vault.get(zoomKey)).toEqual({ kind: 'zoom_s2s', ...creds });
    const tokens = connectionTokenSource(
      vault,
      zoomKey,
      { kind: 'zoom_s2s', tokenUrl: `${fake.url}/oauth/token` },
      runtime,
    );
    expect(await tokens.get()).toBe('zoom-at');
    const request = fake.requests[1];
    expect(request?.path).toBe('/oauth/token');
    expect(Object.fromEntries(request?.query ?? [])).toEqual({
      grant_type: 'account_credentials',
      account_id: 'acc-1',
    });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from('zid:zsecret').toString('base64')}`);
  });

  it('does not store Zoom credentials Zoom refuses', async () => {
    const fake = await tokenEndpoint(() => ({
      status: 400,
      json: { reason: 'Invalid client_id or client_secret', error: 'invalid_client' },
    }));
    const vault = vaultFor();
    const zoomKey: CredentialKey = { orgId: 'acme', provider: 'zoom' };
    await expect(
      connectZoom(vault, zoomKey, fake.url, { accountId: 'a', clientId: 'b', clientSecret: 'c' }, recordingRuntime()),
    ).rejects.toMatchObject({ code: 'unauthorized' });
    expect(await vault.get(zoomKey)).toBeUndefined();
  });
});
