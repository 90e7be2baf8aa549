import {
  ACCOUNT_DEACTIVATED,
  ACCOUNT_DEACTIVATED_NOTICE,
  AuthTokensSchema,
  ClientConfigSchema,
  SessionInfoSchema,
  type AuthSession,
  type AuthTokens,
  preferSocket,
  type RouteName,
  type RouteResponse,
  type SessionInfo,
  type SocketCalls,
} from '@tandem/shared';
import type { DbClient } from '../db/client.ts';
import type { ConnectTargets } from '../security/csp.ts';
import { createApiClient, type ApiClient, type ApiFile, type CallInput } from './apiClient.ts';
import { ServiceError } from './errors.ts';
import type { Emit } from './events.ts';
import type { SecretStore } from './secretStore.ts';

const SESSION_KEY = 'session';
/** The LiveKit URL(s) the signed-in server hands out (`GET /client-config`), for the renderer's CSP. */
const LIVEKIT_URLS_KEY = 'session.livekitUrls';
/** The key store's entry holding the tokens (JSON `AuthTokens`). */
export const TOKENS_SECRET = 'tokens';
/**
 * Refresh a little before expiry so a request never leaves with a token about to lapse: 30 s, or
 * a quarter of the token's life when it is short (else every call would refresh, and each
 * refresh revokes the token the call before it is still using).
 */
const REFRESH_MARGIN_MS = 30_000;

/**
 * The signed-in user. Who they are (user, organisation, server) is plain data in the cache;
 * their tokens only ever go to the SecretStore. Every authenticated call goes through `call`,
 * which refreshes the access token when it expires or the server says it has.
 */
export type Session = {
  current(): SessionInfo | null;
  hasTokens(): boolean;
  restore(): Promise<SessionInfo | null>;
  signIn(serverUrl: string, email: string, password: string): Promise<SessionInfo>;
  /**
   * Signs in with a session the server answers some other way (single sign-on's one-time code):
   * `obtain` asks `serverUrl` for it; it is kept like a password sign-in's.
   */
  signInWith(serverUrl: string, obtain: (api: ApiClient) => Promise<AuthSession>): Promise<SessionInfo>;
  signOut(): Promise<void>;
  /** A fresh access token (refreshing if needed), or an `unauthenticated` ServiceError. */
  accessToken(): Promise<string>;
  /** The server refused the access token before its time: get a new one now. */
  refresh(): Promise<void>;
  /** The server said the account was deactivated: forget its tokens and its cache, never retry. */
  deactivated(): Promise<void>;
  /**
   * Asks the server who the user is now (`/me`); when their role, name or organisation changed,
   * keeps the new session info and tells the renderer (`auth:changed`).
   */
  recheck(): Promise<void>;
  call<N extends RouteName>(name: N, input?: CallInput<N>): Promise<RouteResponse<N>>;
  /** A file the server answers (an export), fetched as `call` is. */
  file(path: string, query: Readonly<Record<string, unknown>>): Promise<ApiFile>;
  api(): ApiClient;
  /** Where the renderer may connect: this server and its LiveKit URL(s); nowhere when signed out. */
  connectTargets(): ConnectTargets;
};

export type SessionDeps = {
  readonly db: DbClient;
  readonly secrets: SecretStore;
  readonly emit: Emit;
  readonly fetch?: typeof fetch;
  /** Keys of the kv table that survive sign-out (device settings). */
  readonly deviceKeys: readonly string[];
  readonly now?: () => number;
  /** Chat writes (SOCKET_ROUTES) go on the realtime socket when it is up, over HTTP otherwise. */
  readonly calls?: Pick<SocketCalls, 'call'>;
};

export function createSession(deps: SessionDeps): Session {
  const now = deps.now ?? Date.now;
  let info: SessionInfo | null = null;
  let tokens: AuthTokens | null = null;
  /** When the current access token must be replaced, from its lifetime as received. */
  let refreshAt = 0;
  let client: ApiClient | null = null;
  let refreshing: Promise<AuthTokens> | null = null;
  let livekitUrls: readonly string[] = [];

  /**
   * Asks the server which LiveKit URL(s) it hands out and keeps them. When it cannot say, a
   * recheck keeps what this server said before; a new sign-in keeps nothing (another server's
   * URLs must not stay admitted).
   */
  async function learnLivekitUrls(from: ApiClient, whenUnknown: 'keep' | 'forget'): Promise<void> {
    const config = await from.call('clientConfig').catch(() => null);
    if (config === null && whenUnknown === 'keep') return;
    livekitUrls = config?.livekitUrls ?? [];
    await deps.db.write('kvSet', { key: LIVEKIT_URLS_KEY, value: JSON.stringify(livekitUrls) });
  }

  function api(): ApiClient {
    if (client === null) throw new ServiceError('unauthenticated', 'not signed in');
    return client;
  }

  function schedule(next: AuthTokens): void {
    const expiresAt = Date.parse(next.accessTokenExpiresAt);
    refreshAt = expiresAt - Math.min(REFRESH_MARGIN_MS, Math.max(0, expiresAt - now()) / 4);
  }

  async function keep(next: AuthTokens): Promise<void> {
    tokens = next;
    schedule(next);
    await deps.secrets.set(TOKENS_SECRET, JSON.stringify(next));
  }

  /**
   * Signing out forgets the user and their cache. An expired session keeps both, so the cache
   * still reads offline and signing in again as the same user picks up where it was. A
   * deactivated account keeps neither: whoever was offboarded reads nothing more here.
   */
  async function end(reason: 'signedOut' | 'expired' | 'deactivated'): Promise<void> {
    // The socket's close and a refused refresh can both report one deactivation.
    // The state changes before the first await, so a second report arriving meanwhile sees it.
    if (reason === 'deactivated' && info === null) return;
    tokens = null;
    const forget = reason !== 'expired';
    if (forget) {
      info = null;
      client = null;
      livekitUrls = [];
    }
    await deps.secrets.delete(TOKENS_SECRET);
    if (forget) await deps.db.write('clearAccount', { keepKeys: deps.deviceKeys });
    deps.emit('auth:ended', { reason });
  }

  /** One refresh at a time: refresh tokens rotate, so two at once would revoke the session. */
  function refresh(): Promise<AuthTokens> {
    refreshing ??= (async () => {
      const current = tokens;
      if (current === null) throw new ServiceError('unauthenticated', 'not signed in');
      try {
        const next = await api().call('refresh', { body: { refreshToken: current.refreshToken } });
        await keep(next);
        return next;
      } catch (error) {
        if (error instanceof ServiceError && error.code === 'unauthenticated') await end('expired');
        // The server refuses refresh with `forbidden` only for a deactivated account.
        if (error instanceof ServiceError && error.code === 'forbidden') await end('deactivated');
        throw error;
      }
    })().finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function accessToken(): Promise<string> {
    if (tokens === null) throw new ServiceError('unauthenticated', 'not signed in');
    return refreshAt > now() ? tokens.accessToken : (await refresh()).accessToken;
  }

  /** Runs a request with the access token, retrying once with a fresh one if the server refused it. */
  async function authorised<T>(send: (token: string) => Promise<T>): Promise<T> {
    const token = await accessToken();
    try {
      return await send(token);
    } catch (error) {
      if (!(error instanceof ServiceError) || error.code !== 'unauthenticated') throw error;
      // Another call refreshed meanwhile (which revoked ours): use its token. Else the server
      // expired ours early (restart, revocation): one refresh, one retry.
      const current = tokens?.accessToken;
      return send(current !== undefined && current !== token ? current : (await refresh()).accessToken);
    }
  }

  function call<N extends RouteName>(name: N, input?: CallInput<N>): Promise<RouteResponse<N>> {
    return authorised((token) => preferSocket(deps.calls, name, input, () => api().call(name, input, token)));
  }

  async function signInWith(serverUrl: string, obtain: (api: ApiClient) => Promise<AuthSession>): Promise<SessionInfo> {
    const candidate = createApiClient(serverUrl, deps.fetch);
    const answer = await obtain(candidate);
    const previous = await deps.db.read('kvGet', SESSION_KEY);
    const previousUser = previous === null ? null : SessionInfoSchema.safeParse(JSON.parse(previous)).data;
    if (previousUser !== undefined && previousUser !== null && previousUser.user.id !== answer.user.id) {
      // Someone else's cache must not show through.
      await deps.db.write('clearAccount', { keepKeys: deps.deviceKeys });
    }
    client = candidate;
    info = { user: answer.user, organisation: answer.organisation, serverUrl: candidate.baseUrl };
    await keep(answer.tokens);
    await deps.db.write('kvSet', { key: SESSION_KEY, value: JSON.stringify(info) });
    await learnLivekitUrls(candidate, 'forget');
    return info;
  }

  return {
    current: () => info,
    hasTokens: () => tokens !== null,
    api,
    accessToken,
    refresh: async () => void (await refresh()),
    deactivated: () => end('deactivated'),
    call,
    file: (path, query) => authorised((token) => api().file(path, query, token)),

    connectTargets: () => ({ serverUrl: info?.serverUrl ?? null, livekitUrls }),

    async recheck() {
      if (client !== null) await learnLivekitUrls(client, 'keep');
      const me = await call('me');
      // Signed out, or someone else signed in, while the answer was on its way: not theirs.
      if (info === null || info.user.id !== me.user.id) return;
      if (JSON.stringify([info.user, info.organisation]) === JSON.stringify([me.user, me.organisation])) return;
      info = { ...info, user: me.user, organisation: me.organisation };
      await deps.db.write('kvSet', { key: SESSION_KEY, value: JSON.stringify(info) });
      deps.emit('auth:changed', info);
    },

    async restore() {
      const storedInfo = await deps.db.read('kvGet', SESSION_KEY);
      const storedTokens = await deps.secrets.get(TOKENS_SECRET);
      const parsedInfo = SessionInfoSchema.safeParse(storedInfo === null ? null : JSON.parse(storedInfo));
      const parsedTokens = AuthTokensSchema.safeParse(storedTokens === null ? null : JSON.parse(storedTokens));
      if (!parsedInfo.success) return null;
      info = parsedInfo.data;
      client = createApiClient(info.serverUrl, deps.fetch);
      const storedUrls = await deps.db.read('kvGet', LIVEKIT_URLS_KEY);
      livekitUrls = ClientConfigSchema.shape.livekitUrls
        .catch([])
        .parse(storedUrls === null ? [] : JSON.parse(storedUrls));
      // Without tokens (no OS key store, or a new process) the cache still renders; calls
      // answer `unauthenticated` until the user signs in again.
      tokens = parsedTokens.success ? parsedTokens.data : null;
      if (tokens !== null) schedule(tokens);
      return info;
    },

    async signIn(serverUrl, email, password) {
      return signInWith(serverUrl, (candidate) =>
        candidate.call('signIn', { body: { email, password } }).catch((e: unknown) => {
          // A right password of a deactivated account is refused with `forbidden` and this message
          // (another `forbidden`, an account without a password, says what to do itself).
          throw e instanceof ServiceError && e.code === 'forbidden' && e.message === ACCOUNT_DEACTIVATED
            ? new ServiceError('forbidden', ACCOUNT_DEACTIVATED_NOTICE)
            : e;
        }),
      );
    },

    signInWith,

    async signOut() {
      if (tokens !== null && client !== null) {
        // Best effort: offline sign-out still forgets everything here; the server token expires.
        await client.call('signOut', { body: {} }, tokens.accessToken).catch(() => undefined);
      }
      await end('signedOut');
    },
  };
}
