import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import {
  ACCOUNT_DEACTIVATED,
  type AuthSession,
  type AuthTokens,
  type CreateUserRequest,
  type Me,
  type RequestOrigin,
  type SignInRequest,
  SIGN_IN_WITH_SSO,
  type SignUpRequest,
  type User,
  type UserListQuery,
  SSO_REQUIRED,
} from '@tandem/shared';
import type { Access, DirectoryPage } from '../store/identity.ts';
import type { NewTokens, Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { type Caller, auditActor, isOrgAdmin, newId, nowIso, personLabel, personTarget } from './context.ts';
import { conflict, forbidden, found, notFound, ServiceError, unauthenticated } from './errors.ts';
import type { Ended } from './realtime.ts';

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: Buffer,
  keylen: number,
  options: object,
) => Promise<Buffer>;

/**
 * OWASP's scrypt parameters (N=2^17, r=8, p=1): 128 MiB and about 0.3-0.7 s per hash on the
 * development machines. scrypt needs 128·N·r bytes, above Node's 32 MiB default `maxmem`.
 */
const SCRYPT = { N: 2 ** 17, r: 8, p: 1 } as const;
/** Room for the current cost and for hashes made before it (N=2^14 then); anything costlier is refused. */
const SCRYPT_MAXMEM = 256 * 1024 * 1024;

type ScryptParams = { readonly N: number; readonly r: number; readonly p: number };

/** `scrypt$N$r$p$salt$key`: the hash carries its parameters, so raising them keeps old hashes verifiable. */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, 64, { ...params, maxmem: SCRYPT_MAXMEM });
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

type Verified = { readonly ok: boolean; readonly outdated: boolean };

async function verifyPassword(password: string, stored: string): Promise<Verified> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (scheme !== 'scrypt' || salt === undefined || key === undefined) return { ok: false, outdated: false };
  if (![params.N, params.r, params.p].every((x) => Number.isSafeInteger(x) && x > 0)) {
    return { ok: false, outdated: false };
  }
  const expected = Buffer.from(key, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, {
    ...params,
    maxmem: SCRYPT_MAXMEM,
  });
  return {
    ok: timingSafeEqual(actual, expected),
    outdated: params.N !== SCRYPT.N || params.r !== SCRYPT.r || params.p !== SCRYPT.p,
  };
}

/** A password hash no password matches (verifyPassword refuses any scheme but scrypt). */
export const NO_PASSWORD = 'none';
/** An external guest's session outlives no working day. */
const GUEST_SESSION_SECONDS = 12 * 60 * 60;

/** Only a hash of a token is stored, so a copy of the database signs nobody in. */
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
export const newToken = (): string => randomBytes(32).toString('base64url');

export type AuthSettings = {
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  /**
   * How long a just-spent refresh token may be presented again and answer a fresh pair instead of
   * revoking the session: a retry whose first answer was lost, two racing refreshes.
   */
  readonly refreshGraceSeconds: number;
};

/** Said for every address sign-up refuses, so the answer does not tell whether the address has an account. */
export const ADDRESS_REFUSED = 'this e-mail address cannot be used for a new account';

/**
 * How long an authenticated token is believed without asking the database again. Revocation
 * stays immediate: every ending (sign-out, refresh reuse, deactivation, role change) is forgotten
 * at once through `forget`; a rename shows within this time.
 */
const CACHE_MS = 5_000;

/** The part of a caller that stays true while its token is cached (its origin is per request). */
type Authenticated = Omit<Caller, 'origin'>;

/**
 * `sessionEnded` hears of every session revoked here, so its live connections close at once.
 * Sign-ups, sign-ins (and their failures), sign-outs and spent refresh tokens go to the audit log.
 */
export function authService(
  store: Store,
  settings: AuthSettings,
  sessionEnded: (sessionId: string) => void,
  audit: AuditService,
) {
  // Checked against on unknown e-mails too, so response time does not reveal which addresses exist.
  const dummyHash = hashPassword('not-a-real-password');
  /** By token hash: who it is, until when (epoch ms) that is believed, and when the token expires. */
  const callers = new Map<string, { caller: Authenticated; until: number; expiresAt: number }>();
  /** Bumped by every ending, so a lookup that raced with one is not cached. */
  let endings = 0;
  let swept = Date.now();

  function forget(ended: Ended): void {
    endings += 1;
    if (ended === 'everyone') {
      callers.clear();
      return;
    }
    for (const [hash, entry] of callers) {
      const gone =
        'sessionId' in ended ? entry.caller.sessionId === ended.sessionId : entry.caller.user.id === ended.userId;
      if (gone) callers.delete(hash);
    }
  }

  function remember(hash: string, caller: Authenticated, expiresAt: number, now: number): void {
    // Tokens not used again (refreshed, the app closed) leave within two cache lifetimes.
    if (now - swept > CACHE_MS) {
      swept = now;
      for (const [key, entry] of callers) if (entry.until <= now) callers.delete(key);
    }
    // Never believed past the token's own expiry.
    callers.set(hash, { caller, until: Math.min(now + CACHE_MS, expiresAt), expiresAt });
  }

  /**
   * Tokens the cache does not know, looked up together: the lookups asked within one turn of the
   * event loop go as one query (per 500), so a burst (the sockets of an instance that died
   * authenticating again elsewhere, every socket re-checked after the bus comes back) costs the
   * database a few queries, not one a socket.
   */
  type Waiter = { resolve: (access: Access | undefined) => void; reject: (e: unknown) => void };
  let asked: Map<string, Waiter[]> | null = null;
  function lookUp(hash: string): Promise<Access | undefined> {
    if (asked === null) {
      const batch = new Map<string, Waiter[]>();
      asked = batch;
      setImmediate(() => {
        asked = null;
        store.identity.findAccess([...batch.keys()], nowIso()).then(
          (found) => {
            for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key));
          },
          (e: unknown) => {
            for (const waiters of batch.values()) for (const w of waiters) w.reject(e);
          },
        );
      });
    }
    const batch = asked;
    return new Promise((resolve, reject) => batch.set(hash, [...(batch.get(hash) ?? []), { resolve, reject }]));
  }

  /** Who holds the access token and when it expires (epoch ms); refused if expired or revoked. */
  async function verify(accessToken: string): Promise<{ caller: Authenticated; expiresAt: number }> {
    const hash = hashToken(accessToken);
    const now = Date.now();
    const cached = callers.get(hash);
    if (cached !== undefined && cached.until > now) return cached;
    const before = endings;
    const access = await lookUp(hash);
    if (access === undefined) throw unauthenticated('access token is missing, expired or revoked');
    const caller: Authenticated = { user: access.user, sessionId: access.sessionId };
    const expiresAt = Date.parse(access.expiresAt);
    if (endings === before) remember(hash, caller, expiresAt, now);
    return { caller, expiresAt };
  }

  function endSession(sessionId: string): void {
    forget({ sessionId });
    sessionEnded(sessionId);
  }

  function issue(refreshTtlSeconds = settings.refreshTtlSeconds): { tokens: AuthTokens; hashes: NewTokens } {
    const accessToken = newToken();
    const refreshToken = newToken();
    const accessTokenExpiresAt = new Date(Date.now() + settings.accessTtlSeconds * 1000).toISOString();
    const refreshTokenExpiresAt = new Date(Date.now() + refreshTtlSeconds * 1000).toISOString();
    return {
      tokens: { accessToken, accessTokenExpiresAt, refreshToken, refreshTokenExpiresAt },
      hashes: {
        accessHash: hashToken(accessToken),
        accessExpiresAt: accessTokenExpiresAt,
        refreshHash: hashToken(refreshToken),
        refreshExpiresAt: refreshTokenExpiresAt,
      },
    };
  }

  async function startSession(user: User, refreshTtlSeconds?: number): Promise<AuthSession> {
    const { tokens, hashes } = issue(refreshTtlSeconds);
    await store.identity.createSession(newId(), user.id, nowIso(), hashes);
    const organisation = found(await store.identity.getOrganisation(user.organisationId), 'organisation');
    return { user, organisation, tokens };
  }

  return {
    async signUp(req: SignUpRequest, origin: RequestOrigin): Promise<AuthSession> {
      const email = req.email.toLowerCase();
      // Hashed before the address is looked at: a taken address costs the same time as a new one.
      const passwordHash = await hashPassword(req.password);
      const now = nowIso();
      const organisation = { id: newId(), name: req.organisationName, createdAt: now };
      const user: User = {
        id: newId(),
        organisationId: organisation.id,
        email,
        name: req.name,
        role: 'owner',
        status: 'active',
        createdAt: now,
      };
      // The answer for a taken address names no account (issue 13, item 3); the uniqueness of the
      // address (checked first, and by the database for two racing sign-ups) still refuses it.
      if (await store.identity.emailTaken(email)) throw conflict(ADDRESS_REFUSED);
      try {
        await store.identity.createOrganisation(organisation, user, passwordHash);
      } catch (error) {
        if (await store.identity.emailTaken(email)) throw conflict(ADDRESS_REFUSED);
        throw error;
      }
      const actor = { kind: 'person', id: user.id, label: personLabel(user) } as const;
      await audit.record({ organisationId: organisation.id, action: 'auth.signed_up', actor, origin });
      return startSession(user);
    },

    async signIn(req: SignInRequest, origin: RequestOrigin): Promise<AuthSession> {
      // Refused by the address's domain alone: the answer says nothing about whether the address
      // has an account (services/sso.ts); an account, if any, only has the refusal logged.
      const domain = req.email.toLowerCase().split('@').pop() ?? '';
      const ssoOfDomain = (await store.sso.domainOwner(domain))?.sso ?? 'none';
      const ssoRequired = ssoOfDomain === 'required';
      const found = await store.identity.findByEmail(req.email.toLowerCase());
      if (ssoRequired) {
        if (found !== undefined) {
          await audit.record({
            organisationId: found.user.organisationId,
            action: 'auth.sign_in_failed',
            actor: { kind: 'anonymous', id: null, label: req.email.toLowerCase() },
            target: personTarget(found.user),
            origin,
            detail: { reason: 'sso_required', method: 'password' },
          });
        }
        throw new ServiceError('sso_required', SSO_REQUIRED);
      }
      const passwordless = found?.passwordHash === NO_PASSWORD;
      // A person without a password costs a hash too, so timing tells no more than the answer.
      const { ok, outdated } = await verifyPassword(
        req.password,
        found === undefined || passwordless ? await dummyHash : found.passwordHash,
      );
      if (found === undefined) throw unauthenticated('wrong e-mail or password');
      // Failures are recorded for the account tried; an unknown address belongs to no organisation's log.
      const attempt = {
        organisationId: found.user.organisationId,
        actor: { kind: 'anonymous', id: null, label: req.email.toLowerCase() },
        target: personTarget(found.user),
        origin,
      } as const;
      // Provisioned by the organisation's identity provider: they sign in through it. That is said
      // only where the domain's single sign-on says so to anyone already (POST /sso/discover), so
      // the answer tells nobody that the address has an account. (Guests from a join link have no
      // password either, and no other way in.)
      if (passwordless && found.user.role !== 'guest') {
        await audit.record({ ...attempt, action: 'auth.sign_in_failed', detail: { reason: 'no_password' } });
        throw ssoOfDomain === 'none' ? unauthenticated('wrong e-mail or password') : forbidden(SIGN_IN_WITH_SSO);
      }
      if (passwordless || !ok) {
        await audit.record({ ...attempt, action: 'auth.sign_in_failed', detail: { reason: 'wrong_password' } });
        throw unauthenticated('wrong e-mail or password');
      }
      // Said only to whoever knows the password: nobody learns from it who has left.
      if (found.user.status === 'deactivated') {
        await audit.record({ ...attempt, action: 'auth.sign_in_failed', detail: { reason: 'deactivated' } });
        throw forbidden(ACCOUNT_DEACTIVATED);
      }
      // Hashes made with older parameters are upgraded while the password is at hand.
      if (outdated) {
        await store.identity.replacePasswordHash(found.user.id, found.passwordHash, await hashPassword(req.password));
      }
      await audit.record({
        ...attempt,
        action: 'auth.sign_in',
        actor: { kind: 'person', id: found.user.id, label: personLabel(found.user) },
        detail: { method: 'password' },
      });
      return startSession(found.user);
    },

    /** A person whose identity someone else verified (single sign-on): a session, as a password sign-in gives. */
    signInVerified(user: User): Promise<AuthSession> {
      return startSession(user);
    },

    async refresh(refreshToken: string, origin: RequestOrigin): Promise<AuthTokens> {
      const { tokens, hashes } = issue();
      const now = Date.now();
      const outcome = await store.identity.rotateRefresh(
        hashToken(refreshToken),
        new Date(now).toISOString(),
        hashes,
        new Date(now - settings.refreshGraceSeconds * 1000).toISOString(),
      );
      switch (outcome.kind) {
        case 'rotated':
          return tokens;
        case 'reused': {
          endSession(outcome.sessionId);
          const user = await store.identity.getUser(outcome.organisationId, outcome.userId);
          if (user !== undefined) {
            await audit.record({
              organisationId: user.organisationId,
              action: 'auth.refresh_reused',
              actor: { kind: 'anonymous', id: null, label: 'holder of a spent refresh token' },
              target: personTarget(user),
              origin,
              detail: { sessionRevoked: true },
            });
          }
          throw unauthenticated('refresh token was already used; the session is revoked');
        }
        case 'deactivated':
          throw forbidden(ACCOUNT_DEACTIVATED);
        case 'invalid':
          throw unauthenticated('refresh token is not valid');
        default: {
          const never: never = outcome;
          throw new Error(`unhandled refresh outcome ${JSON.stringify(never)}`);
        }
      }
    },

    async signOut(caller: Caller): Promise<void> {
      await store.identity.revokeSession(caller.sessionId, nowIso());
      endSession(caller.sessionId);
      await audit.byCaller(caller, 'auth.sign_out');
    },

    async authenticate(accessToken: string, origin: RequestOrigin): Promise<Caller> {
      return { ...(await verify(accessToken)).caller, origin };
    },

    /** As `authenticate`, with when the token expires (epoch ms): a WebSocket ends then. */
    async authenticateUntil(
      accessToken: string,
      origin: RequestOrigin,
    ): Promise<{ caller: Caller; expiresAt: number }> {
      const { caller, expiresAt } = await verify(accessToken);
      return { caller: { ...caller, origin }, expiresAt };
    },

    /** Forgets cached tokens of an ended session or person, or every one (`everyone`: word of endings may have been lost). */
    forget,

    async me(caller: Caller): Promise<Me> {
      return {
        user: caller.user,
        organisation: found(await store.identity.getOrganisation(caller.user.organisationId), 'organisation'),
      };
    },

    /** The people directory from `since` (see `UserListQuerySchema`); guests see only themselves (see guests.ts). */
    async directory(caller: Caller, { since, limit }: UserListQuery): Promise<DirectoryPage> {
      if (caller.user.role === 'guest') return { users: [caller.user], cursor: 0, hasMore: false, reset: false };
      return store.identity.directorySince(caller.user.organisationId, since ?? 0, limit);
    },

    async getUser(caller: Caller, userId: string): Promise<User> {
      if (caller.user.role === 'guest' && userId !== caller.user.id) throw notFound('user');
      return found(await store.identity.getUser(caller.user.organisationId, userId), 'user');
    },

    /**
     * Someone from outside, by link: a guest account of the meeting's organisation that can never
     * sign in by password, and a session that ends within GUEST_SESSION_SECONDS. Their e-mail, if
     * given and free, names the account; otherwise an address that can never be real does.
     */
    async externalGuest(
      organisationId: string,
      name: string,
      email: string | undefined,
      origin: RequestOrigin,
    ): Promise<AuthSession> {
      const given = email?.toLowerCase();
      const id = newId();
      const user: User = {
        id,
        organisationId,
        email: given !== undefined && !(await store.identity.emailTaken(given)) ? given : `guest-${id}@guests.invalid`,
        name,
        role: 'guest',
        status: 'active',
        createdAt: nowIso(),
      };
      await store.identity.insertUser(user, NO_PASSWORD);
      await audit.record({
        organisationId,
        action: 'auth.guest_joined',
        actor: { kind: 'person', id: user.id, label: personLabel(user) },
        origin,
      });
      return startSession(user, Math.min(settings.refreshTtlSeconds, GUEST_SESSION_SECONDS));
    },

    async createUser(caller: Caller, req: CreateUserRequest): Promise<User> {
      if (!isOrgAdmin(caller)) throw forbidden('only owners and admins add people');
      if (req.role === 'owner' && caller.user.role !== 'owner') throw forbidden('only an owner makes another owner');
      const email = req.email.toLowerCase();
      const passwordHash = await hashPassword(req.password);
      const existing = await store.identity.findByEmail(email);
      if (existing?.user.organisationId === caller.user.organisationId) {
        throw conflict('this e-mail address is already in your organisation');
      }
      // Another organisation's person is not named. Addresses are unique across organisations, so
      // some refusal cannot be avoided; it says no more than sign-up does.
      if (existing !== undefined) throw conflict(ADDRESS_REFUSED);
      const user: User = {
        id: newId(),
        organisationId: caller.user.organisationId,
        email,
        name: req.name,
        role: req.role,
        status: 'active',
        createdAt: nowIso(),
      };
      await store.identity.insertUser(user, passwordHash);
      await audit.record({
        organisationId: user.organisationId,
        action: 'person.created',
        actor: auditActor(caller),
        target: personTarget(user),
        origin: caller.origin,
        detail: { role: user.role, method: 'admin' },
      });
      return user;
    },
  };
}

export type AuthService = ReturnType<typeof authService>;
