import { createHash, randomBytes } from 'node:crypto';
import {
  ErrorCodeSchema,
  SSO_REDIRECT_PARAMS,
  type AuthSession,
  type SignInMethod,
  type SessionInfo,
} from '@tandem/shared';
import { createApiClient, type ApiClient } from './apiClient.ts';
import { ServiceError } from './errors.ts';
import { startLoopbackReceiver, type LoopbackReceiver } from './loopbackReceiver.ts';

/** The server waits 10 minutes for the provider; the receiver waits as long. */
const SIGN_IN_WAIT_MS = 10 * 60_000;
/** Where the server sends the browser back to this app with its one-time code. */
const SSO_PATH = '/sso';

export type SsoSignIn = {
  /** How `email` signs in on that server (said by its domain). */
  discover(serverUrl: string, email: string): Promise<SignInMethod>;
  /**
   * Single sign-on (RFC 8252): a PKCE verifier and a state kept here, a loopback receiver, the
   * provider's page opened in the system browser; resolves once the server's one-time code came
   * back to the receiver and was exchanged, with the verifier, for a session. A new sign-in
   * replaces one still waiting (which rejects).
   */
  signIn(serverUrl: string, email: string): Promise<SessionInfo>;
  /** Gives up a sign-in still waiting (someone signed in another way, or out): its code is not taken. */
  cancel(): void;
};

export function createSsoSignIn(deps: {
  /** Keeps the session `obtain` gets from the server as the app's (core: around the realtime socket). */
  readonly adopt: (serverUrl: string, obtain: (api: ApiClient) => Promise<AuthSession>) => Promise<SessionInfo>;
  /** The system browser, for the identity provider's page only (main checks the link). */
  readonly openInBrowser: (url: string) => Promise<void>;
  readonly fetch?: typeof fetch;
}): SsoSignIn {
  let waiting: { readonly receiver: LoopbackReceiver; readonly cancel: (why: ServiceError) => void } | undefined;

  return {
    cancel() {
      waiting?.cancel(new ServiceError('conflict', 'signed in another way meanwhile'));
    },

    async discover(serverUrl, email) {
      return (await createApiClient(serverUrl, deps.fetch).call('ssoDiscover', { body: { email } })).method;
    },

    async signIn(serverUrl, email) {
      waiting?.cancel(new ServiceError('conflict', 'a newer sign-in replaced this one'));
      const verifier = randomBytes(32).toString('base64url');
      const state = randomBytes(16).toString('base64url');
      let settle!: { resolve: (info: SessionInfo) => void; reject: (error: unknown) => void };
      const outcome = new Promise<SessionInfo>((resolve, reject) => {
        settle = { resolve, reject };
      });

      /** The server's redirect: its one-time code (or refusal), for this attempt only. */
      async function finish(query: URLSearchParams): Promise<SessionInfo> {
        if (query.get(SSO_REDIRECT_PARAMS.state) !== state) {
          throw new ServiceError('bad_request', 'the browser came back from another sign-in; start again');
        }
        const error = query.get(SSO_REDIRECT_PARAMS.error);
        if (error !== null) {
          const code = ErrorCodeSchema.safeParse(error).data ?? 'unauthenticated';
          throw new ServiceError(code, query.get(SSO_REDIRECT_PARAMS.errorDescription) ?? 'single sign-on was refused');
        }
        const code = query.get(SSO_REDIRECT_PARAMS.code);
        if (code === null) throw new ServiceError('bad_request', 'the server sent no sign-in code');
        return deps.adopt(serverUrl, (api) => api.call('ssoComplete', { body: { code, codeVerifier: verifier } }));
      }

      const receiver = await startLoopbackReceiver({
        path: SSO_PATH,
        expiresAtMs: Date.now() + SIGN_IN_WAIT_MS,
        async receive(query) {
          try {
            settle.resolve(await finish(query));
          } catch (error) {
            settle.reject(error);
            throw error;
          }
        },
        pages: {
          done: 'You are signed in to Tandem. You can close this tab and return to the app.',
          failed: 'You were not signed in to Tandem. Return to the app to see why.',
        },
      });
      const timer = setTimeout(
        () => cancel(new ServiceError('unauthenticated', 'the sign-in in the browser took too long; start again')),
        SIGN_IN_WAIT_MS,
      );
      timer.unref();
      function cancel(why: ServiceError): void {
        receiver.close();
        settle.reject(why);
      }
      const mine = { receiver, cancel };
      waiting = mine;
      void outcome
        .finally(() => {
          clearTimeout(timer);
          receiver.close();
          if (waiting === mine) waiting = undefined;
        })
        .catch(() => undefined);

      try {
        const { authorizationUrl } = await createApiClient(serverUrl, deps.fetch).call('ssoStart', {
          body: {
            email,
            redirectUri: receiver.redirectUri,
            codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
            state,
          },
        });
        await deps.openInBrowser(authorizationUrl);
      } catch (error) {
        cancel(error instanceof ServiceError ? error : new ServiceError('internal', 'single sign-on could not start'));
      }
      return outcome;
    },
  };
}
