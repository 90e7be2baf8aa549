import {
  exchangeAuthorizationCode,
  refreshAccessToken,
  zoomAccountToken,
  type OAuthClient,
  type ZoomAccountCredentials,
} from './oauth.ts';
import { ProviderError } from './providerError.ts';
import { defaultHttpRuntime, type HttpRuntime } from './providerHttp.ts';
import { cachedTokenSource, type TokenSource } from './tokenSource.ts';
import type { CredentialKey, TokenVault } from './tokenVault.ts';

/** How a connection turns its stored credentials into access tokens. */
export type ConnectionAuth =
  { readonly kind: 'oauth'; readonly client: OAuthClient } | { readonly kind: 'zoom_s2s'; readonly tokenUrl: string };

/**
 * Completes the authorization-code flow: exchanges the code and stores the refresh token.
 * Without a refresh token the connection could not outlive the first access token, so that is
 * refused (Microsoft needs the offline_access scope, Google access_type=offline).
 */
export async function connectOAuth(
  vault: TokenVault,
  key: CredentialKey,
  client: OAuthClient,
  code: string,
  redirectUri: string,
  codeVerifier: string,
  runtime: HttpRuntime = defaultHttpRuntime,
): Promise<void> {
  const grant = await exchangeAuthorizationCode(client, code, redirectUri, codeVerifier, runtime);
  if (grant.refreshToken === undefined) {
    throw new ProviderError(client.provider, 'bad_response', 'the token endpoint issued no refresh token');
  }
  await vault.put(key, {
    kind: 'oauth',
    refreshToken: grant.refreshToken,
    ...(grant.scope === undefined ? {} : { scope: grant.scope }),
  });
}

/** Stores a Zoom Server-to-Server app's credentials after proving Zoom accepts them. */
export async function connectZoom(
  vault: TokenVault,
  key: CredentialKey,
  tokenUrl: string,
  credentials: ZoomAccountCredentials,
  runtime: HttpRuntime = defaultHttpRuntime,
): Promise<void> {
  await zoomAccountToken(tokenUrl, credentials, runtime);
  await vault.put(key, { kind: 'zoom_s2s', ...credentials });
}

/**
 * Access tokens for one stored connection, cached until they expire. A rotated refresh token
 * is written back to the vault before the access token is used, so a crash cannot lose it.
 */
export function connectionTokenSource(
  vault: TokenVault,
  key: CredentialKey,
  auth: ConnectionAuth,
  runtime: HttpRuntime = defaultHttpRuntime,
): TokenSource {
  return cachedTokenSource(async () => {
    const credentials = await vault.get(key).catch((error: unknown) => {
      // A key missing from the keyring or a tampered row: an operator problem, not the user's.
      const reason = error instanceof Error ? error.message : String(error);
      throw new ProviderError(key.provider, 'unavailable', `stored credentials cannot be opened: ${reason}`);
    });
    if (credentials === undefined) throw new ProviderError(key.provider, 'unauthorized', 'no connection stored');
    if (credentials.kind === 'oauth' && auth.kind === 'oauth') {
      const grant = await refreshAccessToken(auth.client, credentials.refreshToken, runtime);
      if (grant.refreshToken !== undefined && grant.refreshToken !== credentials.refreshToken) {
        await vault.put(key, { ...credentials, refreshToken: grant.refreshToken });
      }
      return grant.accessToken;
    }
    if (credentials.kind === 'zoom_s2s' && auth.kind === 'zoom_s2s') {
      return (await zoomAccountToken(auth.tokenUrl, credentials, runtime)).accessToken;
    }
    throw new ProviderError(
      key.provider,
      'unauthorized',
      `stored ${credentials.kind} credentials do not fit ${auth.kind}`,
    );
  }, runtime.now);
}
