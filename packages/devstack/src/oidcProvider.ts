import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { type Configuration, type JWK } from 'oidc-provider';

/**
 * A real OpenID Provider for tests: the certified `oidc-provider` package on loopback, with one
 * confidential client and people who sign in through a real HTML login form (e-mail and password).
 * Its interaction pages are the part every deployment of that package writes itself; everything
 * else (discovery, authorization, PKCE, tokens, signed ID tokens, keys) is the package's.
 */
export type TestAccount = {
  readonly email: string;
  readonly password: string;
  readonly name?: string;
  /** What the ID token's `email_verified` says (true unless set). */
  readonly emailVerified?: boolean;
};

export type TestIdentityProvider = {
  /** `http://127.0.0.1:<port>`: the issuer, and where discovery lives. */
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** Registers a person; answers their subject (`sub`). */
  addAccount(account: TestAccount): string;
  close(): Promise<void>;
};

const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function loginPage(uid: string, clientName: string, loginHint: string, error: string | null): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in · Test Identity Provider</title>
<style>
body { font-family: system-ui, sans-serif; background: #eef1f6; display: grid; place-items: center; min-height: 100vh; margin: 0; }
main { background: #fff; padding: 2rem; border-radius: 10px; box-shadow: 0 2px 10px rgb(0 0 0 / 12%); width: 22rem; }
label { display: block; margin: .75rem 0 .25rem; font-weight: 600; }
input { width: 100%; box-sizing: border-box; padding: .5rem; font-size: 1rem; }
button { margin-top: 1.25rem; padding: .6rem 1rem; font-size: 1rem; background: #0f5bd8; color: #fff; border: 0; border-radius: 6px; }
.error { color: #a40e26; }
</style></head>
<body><main>
<h1>Test Identity Provider</h1>
<p>Sign in to continue to ${escapeHtml(clientName)}.</p>
${error === null ? '' : `<p class="error" role="alert">${escapeHtml(error)}</p>`}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label for="email">E-mail</label><input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(loginHint)}" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">Sign in</button>
</form>
</main></body></html>`;
}

async function formOf(request: http.IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Starts the provider. `redirectUri` is the relying party's callback registered for the client
 * (the coordination server's `/sso/callback`).
 */
export async function startTestIdentityProvider(options: {
  readonly redirectUri: string;
  readonly clientName?: string;
}): Promise<TestIdentityProvider> {
  const clientId = `tandem-${randomUUID()}`;
  const clientSecret = randomBytes(32).toString('base64url');
  /** By subject. */
  const accounts = new Map<string, TestAccount>();
  const subjectOf = (email: string): string | undefined =>
    [...accounts].find(([, a]) => a.email.toLowerCase() === email.toLowerCase())?.[0];

  // Made once the server listens: the issuer names its port.
  const made: { provider?: Provider } = {};
  const server = http.createServer((request, response) => {
    const p = made.provider;
    if (p === undefined) {
      response.writeHead(503).end();
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (!url.pathname.startsWith('/interaction/')) {
      void p.callback()(request, response);
      return;
    }
    void interaction(p, request, response, url).catch((error: unknown) => {
      response.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end(String(error));
    });
  });

  async function interaction(
    p: Provider,
    request: http.IncomingMessage,
    response: http.ServerResponse,
    url: URL,
  ): Promise<void> {
    const details = await p.interactionDetails(request, response);
    const clientName = options.clientName ?? 'Tandem';
    if (details.prompt.name === 'consent') {
      // An enterprise provider whose administrator approved the app for everyone: no consent page.
      const accountId = details.session?.accountId;
      const grant = new p.Grant({ accountId, clientId });
      grant.addOIDCScope('openid email profile');
      const grantId = await grant.save();
      await p.interactionFinished(request, response, { consent: { grantId } }, { mergeWithLastSubmission: true });
      return;
    }
    const hint = typeof details.params.login_hint === 'string' ? details.params.login_hint : '';
    const show = (status: number, error: string | null): void => {
      response
        .writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        .end(loginPage(details.uid, clientName, hint, error));
    };
    if (request.method === 'GET' && url.pathname === `/interaction/${details.uid}`) {
      show(200, null);
      return;
    }
    if (request.method === 'POST' && url.pathname === `/interaction/${details.uid}/login`) {
      const form = await formOf(request);
      const subject = subjectOf(form.get('email') ?? '');
      const account = subject === undefined ? undefined : accounts.get(subject);
      if (subject === undefined || account?.password !== form.get('password')) {
        show(401, 'Wrong e-mail or password.');
        return;
      }
      await p.interactionFinished(
        request,
        response,
        { login: { accountId: subject } },
        { mergeWithLastSubmission: false },
      );
      return;
    }
    response.writeHead(404).end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey: JWK = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), use: 'sig', alg: 'RS256' };
  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: options.clientName ?? 'Tandem',
        redirect_uris: [options.redirectUri],
        response_types: ['code'],
        grant_types: ['authorization_code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    // As Google and Okta do: the requested claims travel in the ID token itself.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: { devInteractions: { enabled: false } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(_ctx, sub) {
      const account = accounts.get(sub);
      if (account === undefined) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            email: account.email,
            email_verified: account.emailVerified ?? true,
            ...(account.name === undefined ? {} : { name: account.name }),
          };
        },
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  made.provider = provider;
  // Its own failures (a bug of ours in using it) are loud: the test that meets one fails.
  provider.on('server_error', (_ctx, error) => process.stderr.write(`oidc-provider server_error: ${String(error)}\n`));
  return {
    issuer,
    clientId,
    clientSecret,
    addAccount(account) {
      const sub = randomUUID();
      accounts.set(sub, account);
      return sub;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Walks a browser's way through redirects and the provider's login form over plain HTTP, with a
 * cookie jar: GET `url`, follow each redirect, fill and post the login form when it appears, and
 * stop at the first redirect `stop` accepts (answered without fetching it). For server tests that
 * have no browser; the end-to-end tests use Chromium.
 */
export async function signInOverHttp(
  url: string,
  credentials: { readonly email: string; readonly password: string },
  stop: (location: URL) => boolean,
): Promise<URL> {
  const jar = new Map<string, string>();
  let next: { url: URL; method: 'GET' | 'POST'; body?: string } = { url: new URL(url), method: 'GET' };
  for (let step = 0; step < 20; step += 1) {
    const response = await fetch(next.url, {
      method: next.method,
      redirect: 'manual',
      headers: {
        cookie: [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(next.body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(next.body === undefined ? {} : { body: next.body }),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const at = pair.indexOf('=');
      if (at > 0) jar.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
    }
    const location = response.headers.get('location');
    if (location !== null && response.status >= 300 && response.status < 400) {
      const target = new URL(location, next.url);
      if (stop(target)) return target;
      next = { url: target, method: 'GET' };
      continue;
    }
    const html = await response.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || action === undefined) {
      throw new Error(`signing in stopped at ${next.url.toString()} with ${response.status}: ${html.slice(0, 300)}`);
    }
    next = {
      url: new URL(
        action.replace(/&#(\d+);/g, (_m, c: string) => String.fromCharCode(Number(c))),
        next.url,
      ),
      method: 'POST',
      body: new URLSearchParams({ email: credentials.email, password: credentials.password }).toString(),
    };
  }
  throw new Error('signing in took more than 20 steps');
}
