/** An access token and the moment (epoch ms) the provider stops accepting it. */
export type AccessToken = { readonly value: string; readonly expiresAtMs: number };

/** Hands adapters a valid bearer token; `invalidate` is called when a provider answers 401. */
export type TokenSource = {
  get(): Promise<string>;
  invalidate(value: string): void;
  /** Fetches a new token now, whatever the cache holds. */
  refresh(): Promise<string>;
};

/** Tokens are renewed this long before they expire, so a request never leaves with a dying one. */
const EXPIRY_MARGIN_MS = 60_000;

/**
 * Caches the token `fetchToken` returns until shortly before it expires. Concurrent callers
 * share one in-flight fetch, so a burst of requests costs one token request.
 */
export function cachedTokenSource(fetchToken: () => Promise<AccessToken>, now: () => number = Date.now): TokenSource {
  let cached: AccessToken | undefined;
  let inFlight: Promise<AccessToken> | undefined;

  const fetchOnce = (): Promise<AccessToken> => {
    inFlight ??= fetchToken()
      .then((token) => {
        cached = token;
        return token;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };

  return {
    async get() {
      if (cached !== undefined && cached.expiresAtMs - EXPIRY_MARGIN_MS > now()) return cached.value;
      return (await fetchOnce()).value;
    },
    invalidate(value) {
      // Only the token that failed: a newer one fetched meanwhile by another request stays.
      if (cached?.value === value) cached = undefined;
    },
    async refresh() {
      cached = undefined;
      return (await fetchOnce()).value;
    },
  };
}
