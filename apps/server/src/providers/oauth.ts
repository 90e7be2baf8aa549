import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ProviderError, type ProviderId } from './providerError.ts';
import { defaultHttpRuntime, providerCall, type HttpRuntime } from './providerHttp.ts';
import type { AccessToken } from './tokenSource.ts';

/** RFC 6749 §5.1 successful token response (only the fields we use). */
const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.coerce.number().int().positive(),
  refresh_token: z.string().min(1).optional(),
  scope: z.string().optional(),
});

export type TokenGrant = {
  readonly accessToken: AccessToken;
  /** Present when the provider rotates refresh tokens (Microsoft does; Google usually does not). */
  readonly refreshToken?: string;
  readonly scope?: string;
};

/** The OAuth application registered with a provider (from server configuration). */
export type OAuthClient = {
  readonly provider: ProviderId;
  readonly authorizeUrl: string;
  readonly tokenUrl: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly scopes: readonly string[];
  /** Provider-specific authorize parameters, e.g. Google's access_type=offline. */
  readonly authorizeParams?: Readonly<Record<string, string>>;
  /** RFC 7009 revocation endpoint, where the provider has one (Google; Microsoft has none). */
  readonly revokeUrl?: string;
};

/** RFC 7636 proof key: the verifier stays with us, its S256 challenge goes to the authorize URL. */
export type Pkce = { readonly verifier: string; readonly challenge: string };

/** S256: base64url(SHA-256(verifier)), RFC 7636 §4.2. */
export const pkceChallenge = (verifier: string): string => createHash('sha256').update(verifier).digest('base64url');

/** A fresh verifier of 43 characters from 32 random bytes (RFC 7636 §4.1), and its challenge. */
export function newPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier) };
}

/** The browser-facing URL where an organisation admin consents (authorization-code flow with PKCE). */
export function authorizationUrl(
  client: OAuthClient,
  redirectUri: string,
  state: string,
  codeChallenge: string,
): string {
  const url = new URL(client.authorizeUrl);
  url.searchParams.set('client_id', client.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', client.scopes.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', codeChallenge);
  url.searchParams.set('code_challenge_method', 'S256');
  for (const [name, value] of Object.entries(client.authorizeParams ?? {})) url.searchParams.set(name, value);
  return url.toString();
}

async function tokenRequest(
  provider: ProviderId,
  url: URL,
  form: URLSearchParams,
  runtime: HttpRuntime,
  headers?: Record<string, string>,
): Promise<TokenGrant> {
  const startedAt = runtime.now();
  try {
    const body = await providerCall(
      provider,
      runtime,
      { method: 'POST', url, body: form, ...(headers === undefined ? {} : { headers }) },
      TokenResponseSchema,
    );
    return {
      accessToken: { value: body.access_token, expiresAtMs: startedAt + body.expires_in * 1000 },
      ...(body.refresh_token === undefined ? {} : { refreshToken: body.refresh_token }),
      ...(body.scope === undefined ? {} : { scope: body.scope }),
    };
  } catch (error) {
    // A token endpoint answers 400 invalid_grant for a revoked or expired grant: the
    // connection is gone, which callers must treat like any refused credential.
    if (error instanceof ProviderError && error.code === 'bad_response' && error.details.status === 400) {
      throw new ProviderError(provider, 'unauthorized', 'the token endpoint refused the grant', { status: 400 });
    }
    throw error;
  }
}

function clientForm(client: OAuthClient, grant: Record<string, string>): URLSearchParams {
  return new URLSearchParams({ client_id: client.clientId, client_secret: client.clientSecret, ...grant });
}

export function exchangeAuthorizationCode(
  client: OAuthClient,
  code: string,
  redirectUri: string,
  codeVerifier: string,
  runtime: HttpRuntime = defaultHttpRuntime,
): Promise<TokenGrant> {
  const form = clientForm(client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: redirectUri,
    code_verifier: codeVerifier,
    scope: client.scopes.join(' '),
  });
  return tokenRequest(client.provider, new URL(client.tokenUrl), form, runtime);
}

export function refreshAccessToken(
  client: OAuthClient,
  refreshToken: string,
  runtime: HttpRuntime = defaultHttpRuntime,
): Promise<TokenGrant> {
  const form = clientForm(client, {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    scope: client.scopes.join(' '),
  });
  return tokenRequest(client.provider, new URL(client.tokenUrl), form, runtime);
}

/** Zoom Server-to-Server OAuth: the app's own credentials, per Zoom account, no user consent. */
export type ZoomAccountCredentials = {
  readonly accountId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly webhookSecretToken?: string;
};

export function zoomAccountToken(
  tokenUrl: string,
  credentials: ZoomAccountCredentials,
  runtime: HttpRuntime = defaultHttpRuntime,
): Promise<TokenGrant> {
  const url = new URL(tokenUrl);
  url.searchParams.set('grant_type', 'account_credentials');
  url.searchParams.set('account_id', credentials.accountId);
  const basic = Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString('base64');
  return tokenRequest('zoom', url, new URLSearchParams(), runtime, { authorization: `Basic ${basic}` });
}

/** Tells the provider to forget a grant (RFC 7009): the consent disappears on its side too. */
export async function revokeGrant(
  client: OAuthClient,
  token: string,
  runtime: HttpRuntime = defaultHttpRuntime,
): Promise<void> {
  if (client.revokeUrl === undefined) return;
  await providerCall(
    client.provider,
    runtime,
    { method: 'POST', url: new URL(client.revokeUrl), body: new URLSearchParams({ token }) },
    z.unknown(),
  );
}
