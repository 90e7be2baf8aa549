import * as oidc from 'openid-client';
import { resolveTarget, systemLookup, TargetRefused, type Lookup } from '../outgoing/target.ts';

/**
 * The server as an OpenID Connect relying party (the only code importing `openid-client`):
 * discovery, the authorization URL (code flow, PKCE S256, state, nonce) and the code exchange,
 * whose ID token the library verifies (signature against the provider's keys, issuer, audience,
 * expiry, nonce). Everything else about a sign-in (who it is, whether they may) is decided in
 * `services/sso.ts`.
 */

/** An organisation's registration at its provider. */
export type OidcClient = { readonly issuer: string; readonly clientId: string; readonly clientSecret: string };

/** What a verified ID token says about the person. */
export type VerifiedIdentity = {
  readonly subject: string;
  readonly email: string | undefined;
  /** Only a literal `true` counts (OIDC Core §5.1). */
  readonly emailVerified: boolean;
  readonly name: string | undefined;
};

/**
 * `unreachable`: the provider did not answer (network, timeout, 5xx); `refused`: it answered with
 * an OAuth error (the person cancelled, the code was refused); `invalid`: its answer failed
 * verification (signature, issuer, nonce, a missing ID token) or the issuer is not acceptable.
 */
export class OidcError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'refused' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'OidcError';
  }
}

export type RelyingPartyOptions = {
  /**
   * Accepts `http:` issuers on loopback addresses (a provider running on this machine, in tests and
   * development). Off: every issuer must be https.
   */
  readonly allowLoopbackHttp: boolean;
  /** Seconds for each request to the provider. */
  readonly timeoutSeconds?: number;
  /** Name resolution for the provider's addresses (tests pass their own). */
  readonly lookup?: Lookup;
};

/** Discovery documents are read again after this long (a provider rotating keys is followed by the library). */
const DISCOVERY_TTL_MS = 10 * 60_000;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

export type RelyingParty = {
  /** Reads the provider's discovery document: refuses an issuer that cannot be used. */
  check(client: OidcClient): Promise<void>;
  authorizationUrl(
    client: OidcClient,
    request: {
      readonly redirectUri: string;
      readonly state: string;
      readonly nonce: string;
      readonly codeChallenge: string;
      readonly loginHint: string | null;
    },
  ): Promise<string>;
  /** The provider's redirect (`callbackUrl`, with its query) → the verified identity. */
  redeem(
    client: OidcClient,
    callbackUrl: URL,
    checks: { readonly state: string; readonly nonce: string; readonly codeVerifier: string },
  ): Promise<VerifiedIdentity>;
};

export function relyingParty(options: RelyingPartyOptions): RelyingParty {
  const timeout = options.timeoutSeconds ?? 10;
  /** By issuer, client and secret: a changed configuration is discovered afresh. */
  const configurations = new Map<string, { readonly config: Promise<oidc.Configuration>; readonly at: number }>();

  function issuerUrl(issuer: string): URL {
    let url: URL;
    try {
      url = new URL(issuer);
    } catch {
      throw new OidcError('invalid', 'the issuer is not a URL');
    }
    if (url.protocol === 'https:') return url;
    if (url.protocol === 'http:' && options.allowLoopbackHttp && LOOPBACK_HOSTS.has(url.hostname)) return url;
    throw new OidcError('invalid', 'the issuer must be an https URL');
  }

  /**
   * Every request to the provider (discovery, keys, the code exchange) goes only to public
   * addresses, as webhooks do: an owner's issuer, or the URLs its discovery document names, cannot
   * turn the server against its own network (SSRF). Loopback and private addresses only where
   * `allowLoopbackHttp` is on (tests and development).
   */
  const guardedFetch: oidc.CustomFetch = async (url, init) => {
    try {
      await resolveTarget(new URL(url), {
        allowPrivate: options.allowLoopbackHttp,
        lookup: options.lookup ?? systemLookup,
      });
    } catch (error) {
      if (error instanceof TargetRefused)
        throw new OidcError('invalid', `the provider cannot be reached: ${error.message}`);
      throw error;
    }
    // A byte body is copied into a plain ArrayBuffer-backed array, which fetch accepts everywhere.
    const { body, ...rest } = init;
    return fetch(url, {
      ...rest,
      ...(body === undefined ? {} : { body: body instanceof Uint8Array ? new Uint8Array(body) : body }),
    });
  };

  function configuration(client: OidcClient): Promise<oidc.Configuration> {
    const key = JSON.stringify([client.issuer, client.clientId, client.clientSecret]);
    const now = Date.now();
    for (const [k, entry] of configurations) if (now - entry.at > DISCOVERY_TTL_MS) configurations.delete(k);
    const cached = configurations.get(key);
    if (cached !== undefined) return cached.config;
    const url = issuerUrl(client.issuer);
    const config = oidc
      .discovery(url, client.clientId, undefined, oidc.ClientSecretBasic(client.clientSecret), {
        timeout,
        [oidc.customFetch]: guardedFetch,
        ...(url.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
      })
      .then((discovered) => {
        discovered[oidc.customFetch] = guardedFetch;
        return discovered;
      })
      .catch((error: unknown) => {
        configurations.delete(key);
        throw asOidcError(error, "the provider's discovery document could not be read");
      });
    configurations.set(key, { config, at: now });
    return config;
  }

  return {
    async check(client) {
      await configuration(client);
    },

    async authorizationUrl(client, request) {
      const config = await configuration(client);
      return oidc
        .buildAuthorizationUrl(config, {
          redirect_uri: request.redirectUri,
          scope: 'openid email profile',
          response_type: 'code',
          state: request.state,
          nonce: request.nonce,
          code_challenge: request.codeChallenge,
          code_challenge_method: 'S256',
          ...(request.loginHint === null ? {} : { login_hint: request.loginHint }),
        })
        .toString();
    },

    async redeem(client, callbackUrl, checks) {
      const config = await configuration(client);
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          pkceCodeVerifier: checks.codeVerifier,
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw asOidcError(error, 'the sign-in could not be completed with the provider');
      }
      const claims = tokens.claims();
      if (claims === undefined) throw new OidcError('invalid', 'the provider sent no ID token');
      return {
        subject: claims.sub,
        email: typeof claims.email === 'string' ? claims.email : undefined,
        emailVerified: claims.email_verified === true,
        name: typeof claims.name === 'string' ? claims.name : undefined,
      };
    },
  };
}

/** The library's errors, sorted by what the person can do about them; its messages name no secret. */
function asOidcError(error: unknown, context: string): OidcError {
  if (error instanceof OidcError) return error;
  // The library wraps what its fetch threw: our own refusal of an address says why itself.
  if (error instanceof Error && error.cause instanceof OidcError) return error.cause;
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    const detail = error.error_description === undefined ? error.error : `${error.error}: ${error.error_description}`;
    return new OidcError('refused', `${context} (the provider said ${detail})`);
  }
  if (error instanceof oidc.ClientError) {
    // The library's own checks (ID token signature, claims, state, nonce, PKCE, metadata).
    return new OidcError('invalid', `${context}: ${error.message}`);
  }
  return new OidcError('unreachable', `${context}: the provider could not be reached`);
}
