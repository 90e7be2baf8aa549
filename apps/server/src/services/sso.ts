import { randomBytes, timingSafeEqual } from 'node:crypto';
import {
  ACCOUNT_DEACTIVATED,
  isConsentRedirect,
  SSO_REDIRECT_PARAMS,
  type AddDomainRequest,
  type AuthSession,
  type ConfigureSsoRequest,
  type ErrorCode,
  type AuditTarget,
  type OrganisationDomain,
  type SignInMethod,
  type SsoCompleteRequest,
  type SsoConfig,
  type SsoSettings,
  type SsoStartRequest,
  type SsoStartResult,
  type User,
} from '@tandem/shared';
import { newPkce, pkceChallenge } from '../providers/oauth.ts';
import { DnsUnavailable, type TxtLookup } from '../sso/domainProof.ts';
import { OidcError, type OidcClient, type RelyingParty, type VerifiedIdentity } from '../sso/relyingParty.ts';
import type { Attempt, SsoConfigRow, Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { hashToken, newToken, NO_PASSWORD, type AuthService } from './auth.ts';
import { type Caller, isOrgAdmin, newId, nowIso, personLabel, personTarget, type RequestOrigin } from './context.ts';
import { badRequest, conflict, forbidden, found, notFound, ServiceError, unauthenticated } from './errors.ts';

export type SsoServiceSettings = {
  /** `<public URL>`: the callback the provider redirects to, and the browser client's pages, live under it. */
  readonly publicUrl: () => string;
  /** How long the one-time code handed to the app is honoured. */
  readonly handoffTtlSeconds: number;
  /** How long a started sign-in waits for the provider's redirect. */
  readonly attemptTtlSeconds: number;
};

/** What the provider's redirect to `/sso/callback` becomes: a redirect on to the app, or a page. */
export type CallbackOutcome =
  | { readonly kind: 'redirect'; readonly location: string }
  | { readonly kind: 'page'; readonly status: number; readonly code: ErrorCode; readonly message: string };

export const SSO_CALLBACK_PATH = '/sso/callback';
/** The browser client's pages: a sign-in started there comes back there. */
const WEB_APP_PREFIX = '/app/';

const METHOD_OF = { none: 'password', available: 'sso', required: 'sso_required' } as const satisfies Record<
  string,
  SignInMethod
>;

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const clientOf = (c: SsoConfigRow): OidcClient => ({
  issuer: c.issuer,
  clientId: c.clientId,
  clientSecret: c.clientSecret,
});

const domainOf = (email: string): string => email.slice(email.lastIndexOf('@') + 1).toLowerCase();

/**
 * Single sign-on (issue 13). The rules:
 * - Only owners and admins see and set the organisation's provider; only owners claim and prove
 *   domains. A domain is proven by a TXT record and then routes sign-ins to its organisation.
 * - A sign-in is an attempt bound to the app that started it (its S256 challenge and redirect):
 *   the provider's `state` is honoured once and within `attemptTtlSeconds`; the one-time code
 *   handed to the app is honoured once, within `handoffTtlSeconds`, and only with the verifier.
 * - The verified ID token's e-mail must be `email_verified` and of a domain the attempt's
 *   organisation proved. Existing people are found by e-mail (another organisation's and the
 *   deactivated are refused); others become members when the organisation allows JIT.
 */
export function ssoService(
  store: Store,
  auth: AuthService,
  audit: AuditService,
  rp: RelyingParty,
  lookupTxt: TxtLookup,
  settings: SsoServiceSettings,
) {
  const callbackUrl = (): string => `${settings.publicUrl()}${SSO_CALLBACK_PATH}`;
  const domainTarget = (d: OrganisationDomain): AuditTarget => ({ kind: 'domain', id: d.id, label: d.domain });

  /** A refused single sign-on, in the log of the organisation it was for. */
  function failed(
    organisationId: string,
    who: string,
    origin: RequestOrigin,
    error: ServiceError,
    target?: User,
  ): Promise<void> {
    return audit.record({
      organisationId,
      action: 'auth.sign_in_failed',
      actor: { kind: 'anonymous', id: null, label: who },
      ...(target === undefined ? {} : { target: personTarget(target) }),
      origin,
      detail: { method: 'sso', code: error.code, reason: error.message },
    });
  }

  function owner(caller: Caller): void {
    if (caller.user.role !== 'owner') throw forbidden('only owners claim and prove e-mail domains');
  }

  function admin(caller: Caller): void {
    if (!isOrgAdmin(caller)) throw forbidden('only owners and admins manage single sign-on');
  }

  const view = (c: SsoConfigRow): SsoConfig => ({
    issuer: c.issuer,
    clientId: c.clientId,
    clientSecretSet: true,
    jit: c.jit,
    required: c.required,
    redirectUri: callbackUrl(),
    updatedAt: c.updatedAt,
  });

  /** The loopback receiver of a desktop app, or a page of this server's browser client. */
  function acceptableRedirect(uri: string): boolean {
    if (isConsentRedirect(uri)) return true;
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      return false;
    }
    const web = new URL(settings.publicUrl());
    return (
      url.origin === web.origin &&
      url.pathname.startsWith(WEB_APP_PREFIX) &&
      url.search === '' &&
      url.hash === '' &&
      url.username === '' &&
      url.password === ''
    );
  }

  function redirectTo(attempt: Attempt, params: Record<string, string>): CallbackOutcome {
    const url = new URL(attempt.redirectUri);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    url.searchParams.set(SSO_REDIRECT_PARAMS.state, attempt.appState);
    return { kind: 'redirect', location: url.toString() };
  }

  function fromOidc(error: OidcError): ServiceError {
    switch (error.reason) {
      case 'unreachable':
        return new ServiceError('unavailable', error.message);
      case 'refused':
      case 'invalid':
        return unauthenticated(error.message);
      default: {
        const never: never = error.reason;
        throw new Error(`unhandled reason ${String(never)}`);
      }
    }
  }

  /** The person a verified identity signs in as, made at first sign-in where the organisation allows. */
  async function personFor(config: SsoConfigRow, identity: VerifiedIdentity, origin: RequestOrigin): Promise<User> {
    if (identity.email === undefined) throw forbidden('the identity provider sent no e-mail address');
    if (!identity.emailVerified) {
      throw forbidden('the identity provider has not verified this e-mail address (email_verified is not true)');
    }
    const email = identity.email.toLowerCase();
    const domain = domainOf(email);
    if ((await store.sso.domainOwner(domain))?.organisationId !== config.organisationId) {
      throw forbidden(`the e-mail domain ${domain} is not a verified domain of this organisation`);
    }
    const existing = await store.identity.findByEmail(email);
    if (existing !== undefined) {
      if (existing.user.organisationId !== config.organisationId) {
        throw forbidden('this e-mail address belongs to an account of another organisation');
      }
      if (existing.user.status === 'deactivated') throw forbidden(ACCOUNT_DEACTIVATED);
      return existing.user;
    }
    if (!config.jit) {
      throw forbidden('there is no account for this e-mail address and the organisation creates none at sign-in');
    }
    const user: User = {
      id: newId(),
      organisationId: config.organisationId,
      email,
      name: identity.name?.trim().slice(0, 100) || email.slice(0, email.indexOf('@')),
      role: 'member',
      status: 'active',
      createdAt: nowIso(),
    };
    try {
      await store.identity.insertUser(user, NO_PASSWORD);
    } catch (error) {
      // Two first sign-ins at once: the other one made the account.
      const made = await store.identity.findByEmail(email);
      if (made?.user.organisationId === config.organisationId) return made.user;
      throw error;
    }
    await audit.record({
      organisationId: config.organisationId,
      action: 'person.created',
      actor: { kind: 'system', id: null, label: `single sign-on (${config.issuer})` },
      target: personTarget(user),
      origin,
      detail: { role: user.role, method: 'sso_jit' },
    });
    return user;
  }

  return {
    async settings(caller: Caller): Promise<SsoSettings> {
      admin(caller);
      const config = await store.sso.config(caller.user.organisationId);
      return { sso: config === undefined ? null : view(config), redirectUri: callbackUrl() };
    },

    async configure(caller: Caller, req: ConfigureSsoRequest): Promise<SsoConfig> {
      admin(caller);
      const organisationId = caller.user.organisationId;
      const existing = await store.sso.config(organisationId);
      const clientSecret = req.clientSecret ?? existing?.clientSecret;
      if (clientSecret === undefined) {
        throw badRequest('the client secret is needed to set single sign-on up', [
          { path: 'clientSecret', message: 'required the first time' },
        ]);
      }
      const config: SsoConfigRow = {
        organisationId,
        issuer: req.issuer,
        clientId: req.clientId,
        clientSecret,
        jit: req.jit,
        required: req.required,
        updatedAt: nowIso(),
      };
      try {
        await rp.check(clientOf(config));
      } catch (error) {
        if (error instanceof OidcError) {
          throw badRequest(`the issuer cannot be used: ${error.message}`, [{ path: 'issuer', message: error.message }]);
        }
        throw error;
      }
      await store.sso.putConfig(config);
      await audit.byCaller(caller, 'sso.configured', {
        detail: {
          issuer: config.issuer,
          clientId: config.clientId,
          jit: config.jit,
          required: config.required,
          secretChanged: req.clientSecret !== undefined,
        },
      });
      return view(config);
    },

    async remove(caller: Caller): Promise<void> {
      admin(caller);
      if (!(await store.sso.removeConfig(caller.user.organisationId))) throw notFound('single sign-on');
      await audit.byCaller(caller, 'sso.removed');
    },

    async domains(caller: Caller): Promise<OrganisationDomain[]> {
      admin(caller);
      return store.sso.domains(caller.user.organisationId);
    },

    async addDomain(caller: Caller, req: AddDomainRequest): Promise<OrganisationDomain> {
      owner(caller);
      const organisationId = caller.user.organisationId;
      const proven = await store.sso.domainOwner(req.domain);
      if (proven !== undefined && proven.organisationId !== organisationId) {
        throw conflict('this domain is verified by another organisation');
      }
      if ((await store.sso.domains(organisationId)).some((d) => d.domain === req.domain)) {
        throw conflict('this domain is already listed');
      }
      const added = await store.sso.addDomain({
        id: newId(),
        organisationId,
        domain: req.domain,
        token: randomBytes(16).toString('hex'),
        createdAt: nowIso(),
      });
      await audit.byCaller(caller, 'sso.domain_added', { target: domainTarget(added) });
      return added;
    },

    async verifyDomain(caller: Caller, domainId: string): Promise<OrganisationDomain> {
      owner(caller);
      const organisationId = caller.user.organisationId;
      const domain = found(await store.sso.domain(organisationId, domainId), 'domain');
      if (domain.status === 'verified') return domain;
      let records: string[];
      try {
        records = await lookupTxt(domain.domain);
      } catch (error) {
        if (error instanceof DnsUnavailable) {
          throw new ServiceError('unavailable', `${error.message}; try again later`);
        }
        throw error;
      }
      if (!records.includes(domain.txtRecord)) {
        throw conflict(`no TXT record "${domain.txtRecord}" was found on ${domain.domain}`);
      }
      const proven = await store.sso.domainOwner(domain.domain);
      if (proven !== undefined && proven.organisationId !== organisationId) {
        throw conflict('this domain is verified by another organisation');
      }
      try {
        await store.sso.markVerified(organisationId, domainId, nowIso());
      } catch (error) {
        // The unique index: another organisation proved it in the meantime.
        if ((await store.sso.domainOwner(domain.domain))?.organisationId !== organisationId) {
          throw conflict('this domain is verified by another organisation');
        }
        throw error;
      }
      const verified = found(await store.sso.domain(organisationId, domainId), 'domain');
      await audit.byCaller(caller, 'sso.domain_verified', { target: domainTarget(verified) });
      return verified;
    },

    async removeDomain(caller: Caller, domainId: string): Promise<void> {
      owner(caller);
      const organisationId = caller.user.organisationId;
      const domain = found(await store.sso.domain(organisationId, domainId), 'domain');
      if (!(await store.sso.removeDomain(organisationId, domainId))) throw notFound('domain');
      await audit.byCaller(caller, 'sso.domain_removed', { target: domainTarget(domain) });
    },

    /** Said per domain, never per account: it tells nothing about whether an address has one. */
    async discover(email: string): Promise<SignInMethod> {
      const proven = await store.sso.domainOwner(domainOf(email));
      return METHOD_OF[proven?.sso ?? 'none'];
    },

    async start(req: SsoStartRequest): Promise<SsoStartResult> {
      const domain = req.domain ?? domainOf(req.email ?? '');
      const proven = await store.sso.domainOwner(domain);
      const config = proven === undefined ? undefined : await store.sso.config(proven.organisationId);
      if (config === undefined) throw notFound('single sign-on for this domain');
      if (!acceptableRedirect(req.redirectUri)) {
        throw badRequest('redirectUri must be the app’s loopback receiver or a page of this server’s browser client', [
          { path: 'redirectUri', message: 'not an acceptable redirect' },
        ]);
      }
      const state = newToken();
      const nonce = newToken();
      const pkce = newPkce();
      const now = Date.now();
      const expiresAt = new Date(now + settings.attemptTtlSeconds * 1000).toISOString();
      const loginHint = req.email?.toLowerCase() ?? null;
      let authorizationUrl: string;
      try {
        authorizationUrl = await rp.authorizationUrl(clientOf(config), {
          redirectUri: callbackUrl(),
          state,
          nonce,
          codeChallenge: pkce.challenge,
          loginHint,
        });
      } catch (error) {
        if (error instanceof OidcError) throw fromOidc(error);
        throw error;
      }
      await store.sso.createAttempt({
        id: newId(),
        organisationId: config.organisationId,
        stateHash: hashToken(state),
        nonce,
        codeVerifier: pkce.verifier,
        appChallenge: req.codeChallenge,
        appState: req.state,
        redirectUri: req.redirectUri,
        loginHint,
        createdAt: new Date(now).toISOString(),
        expiresAt,
      });
      return { authorizationUrl, expiresAt };
    },

    /**
     * The provider's redirect (`search`: the request's query, with its `?`). A state that is
     * unknown or was used before answers a page (there is nobody to send it to); every other
     * outcome goes back to the app that started the sign-in, with the one-time code or the error.
     */
    async callback(search: string, origin: RequestOrigin): Promise<CallbackOutcome> {
      const current = new URL(`${callbackUrl()}${search}`);
      const state = current.searchParams.get('state');
      if (state === null || state === '') {
        return { kind: 'page', status: 400, code: 'bad_request', message: 'The identity provider sent no state.' };
      }
      const taken = await store.sso.returnAttempt(hashToken(state), nowIso());
      if (taken.kind !== 'taken') {
        return {
          kind: 'page',
          status: 400,
          code: 'bad_request',
          message:
            taken.kind === 'spent'
              ? 'This sign-in was already completed; it cannot be used again.'
              : 'This sign-in is not known here.',
        };
      }
      const attempt = taken.attempt;
      let who = attempt.loginHint ?? 'someone at the identity provider';
      try {
        if (attempt.expiresAt <= nowIso()) throw unauthenticated('the sign-in took too long; start it again');
        const config = await store.sso.config(attempt.organisationId);
        if (config === undefined) throw new ServiceError('unavailable', 'single sign-on was turned off meanwhile');
        let identity: VerifiedIdentity;
        try {
          identity = await rp.redeem(clientOf(config), current, {
            state,
            nonce: attempt.nonce,
            codeVerifier: attempt.codeVerifier,
          });
        } catch (error) {
          if (error instanceof OidcError) throw fromOidc(error);
          throw error;
        }
        who = identity.email ?? `subject ${identity.subject}`;
        const user = await personFor(config, identity, origin);
        const code = newToken();
        const expiresAt = new Date(Date.now() + settings.handoffTtlSeconds * 1000).toISOString();
        await store.sso.setHandoff(attempt.id, hashToken(code), user.id, expiresAt);
        return redirectTo(attempt, { [SSO_REDIRECT_PARAMS.code]: code });
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        await failed(attempt.organisationId, who, origin, error);
        return redirectTo(attempt, {
          [SSO_REDIRECT_PARAMS.error]: error.code,
          [SSO_REDIRECT_PARAMS.errorDescription]: error.message,
        });
      }
    },

    /** The app's one-time code and its PKCE verifier → the app's session. The code is spent by this call. */
    async complete(req: SsoCompleteRequest, origin: RequestOrigin): Promise<AuthSession> {
      const now = nowIso();
      const taken = await store.sso.takeHandoff(hashToken(req.code), now);
      const attempt = taken.kind === 'taken' ? taken.attempt : undefined;
      if (attempt === undefined || attempt.userId === null || attempt.handoffExpiresAt === null) {
        throw unauthenticated('this sign-in code is unknown or was already used; sign in again');
      }
      const user = found(await store.identity.getUser(attempt.organisationId, attempt.userId), 'user');
      const refusal =
        attempt.handoffExpiresAt <= now
          ? unauthenticated('this sign-in code has expired; sign in again')
          : !sameText(pkceChallenge(req.codeVerifier), attempt.appChallenge)
            ? unauthenticated('the code verifier does not belong to this sign-in')
            : user.status === 'deactivated'
              ? forbidden(ACCOUNT_DEACTIVATED)
              : undefined;
      if (refusal !== undefined) {
        await failed(attempt.organisationId, user.email, origin, refusal, user);
        throw refusal;
      }
      await audit.record({
        organisationId: attempt.organisationId,
        action: 'auth.sign_in',
        actor: { kind: 'person', id: user.id, label: personLabel(user) },
        target: personTarget(user),
        origin,
        detail: { method: 'sso' },
      });
      return auth.signInVerified(user);
    },
  };
}

export type SsoService = ReturnType<typeof ssoService>;
