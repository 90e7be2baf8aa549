import { DOMAIN_VERIFICATION_PREFIX, type OrganisationDomain } from '@tandem/shared';
import type { Db } from './db.ts';

/** Tables of migration 012, typed here so the rest of the schema stays with its owners. */
type SsoTables = {
  sso_configs: {
    organisation_id: string;
    issuer: string;
    client_id: string;
    client_secret: string;
    jit: number;
    required: number;
    updated_at: string;
  };
  organisation_domains: {
    id: string;
    organisation_id: string;
    domain: string;
    /** The random part of the TXT record that proves the domain. */
    token: string;
    created_at: string;
    verified_at: string | null;
  };
  sso_attempts: {
    id: string;
    organisation_id: string;
    /** SHA-256 of the `state` sent to the provider: the callback finds the attempt by it, once. */
    state_hash: string;
    nonce: string;
    /** The server's own PKCE verifier towards the provider (never leaves the server). */
    code_verifier: string;
    /** S256 challenge of the app's verifier: only its holder completes the sign-in. */
    app_challenge: string;
    app_state: string;
    redirect_uri: string;
    login_hint: string | null;
    created_at: string;
    expires_at: string;
    /** Set when the provider sent the browser back: a `state` is honoured once. */
    returned_at: string | null;
    /** SHA-256 of the one-time code handed to the app. */
    handoff_hash: string | null;
    handoff_expires_at: string | null;
    user_id: string | null;
    /** Set when the one-time code was presented, whatever the outcome: it is never honoured twice. */
    completed_at: string | null;
  };
};

export type SsoConfigRow = {
  readonly organisationId: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly jit: boolean;
  readonly required: boolean;
  readonly updatedAt: string;
};

type ConfigTableRow = SsoTables['sso_configs'];
const toConfig = (r: ConfigTableRow): SsoConfigRow => ({
  organisationId: r.organisation_id,
  issuer: r.issuer,
  clientId: r.client_id,
  clientSecret: r.client_secret,
  jit: r.jit === 1,
  required: r.required === 1,
  updatedAt: r.updated_at,
});

const toDomain = (r: SsoTables['organisation_domains']): OrganisationDomain => ({
  id: r.id,
  domain: r.domain,
  status: r.verified_at === null ? 'pending' : 'verified',
  txtRecord: `${DOMAIN_VERIFICATION_PREFIX}${r.token}`,
  createdAt: r.created_at,
  verifiedAt: r.verified_at,
});

export type NewAttempt = {
  readonly id: string;
  readonly organisationId: string;
  readonly stateHash: string;
  readonly nonce: string;
  readonly codeVerifier: string;
  readonly appChallenge: string;
  readonly appState: string;
  readonly redirectUri: string;
  readonly loginHint: string | null;
  readonly createdAt: string;
  readonly expiresAt: string;
};

export type Attempt = NewAttempt & {
  readonly handoffExpiresAt: string | null;
  readonly userId: string | null;
};

const toAttempt = (r: SsoTables['sso_attempts']): Attempt => ({
  id: r.id,
  organisationId: r.organisation_id,
  stateHash: r.state_hash,
  nonce: r.nonce,
  codeVerifier: r.code_verifier,
  appChallenge: r.app_challenge,
  appState: r.app_state,
  redirectUri: r.redirect_uri,
  loginHint: r.login_hint,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  handoffExpiresAt: r.handoff_expires_at,
  userId: r.user_id,
});

/** `spent`: presented before (a replay); `unknown`: never issued. */
export type Taken = { readonly kind: 'taken'; readonly attempt: Attempt } | { readonly kind: 'spent' | 'unknown' };

/** Who proved a domain, and whether that organisation has single sign-on and requires it. */
export type DomainOwner = {
  readonly organisationId: string;
  readonly sso: 'none' | 'available' | 'required';
};

/** Attempts are kept a day past their expiry (enough to tell a replay from an unknown state), then dropped. */
const KEEP_EXPIRED_MS = 24 * 60 * 60 * 1000;

export function ssoStore(database: Db) {
  const db = database.withTables<SsoTables>();

  /** Finds the attempt by `key` and sets `mark` unless it was set before, in one transaction. */
  function take(
    key: 'state_hash' | 'handoff_hash',
    value: string,
    mark: 'returned_at' | 'completed_at',
    now: string,
  ): Promise<Taken> {
    return db.transaction().execute(async (tx): Promise<Taken> => {
      const r = await tx.selectFrom('sso_attempts').selectAll().where(key, '=', value).executeTakeFirst();
      if (r === undefined) return { kind: 'unknown' };
      if (r[mark] !== null) return { kind: 'spent' };
      await tx
        .updateTable('sso_attempts')
        .set({ [mark]: now })
        .where('id', '=', r.id)
        .execute();
      return { kind: 'taken', attempt: toAttempt(r) };
    });
  }

  return {
    async config(organisationId: string): Promise<SsoConfigRow | undefined> {
      const r = await db
        .selectFrom('sso_configs')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .executeTakeFirst();
      return r === undefined ? undefined : toConfig(r);
    },

    async putConfig(c: SsoConfigRow): Promise<void> {
      const values = {
        issuer: c.issuer,
        client_id: c.clientId,
        client_secret: c.clientSecret,
        jit: c.jit ? 1 : 0,
        required: c.required ? 1 : 0,
        updated_at: c.updatedAt,
      };
      await db
        .insertInto('sso_configs')
        .values({ organisation_id: c.organisationId, ...values })
        .onConflict((oc) => oc.column('organisation_id').doUpdateSet(values))
        .execute();
    },

    async removeConfig(organisationId: string): Promise<boolean> {
      const r = await db.deleteFrom('sso_configs').where('organisation_id', '=', organisationId).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },

    async domains(organisationId: string): Promise<OrganisationDomain[]> {
      const rows = await db
        .selectFrom('organisation_domains')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .orderBy('domain')
        .execute();
      return rows.map(toDomain);
    },

    async domain(organisationId: string, id: string): Promise<OrganisationDomain | undefined> {
      const r = await db
        .selectFrom('organisation_domains')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined ? undefined : toDomain(r);
    },

    async addDomain(d: {
      id: string;
      organisationId: string;
      domain: string;
      token: string;
      createdAt: string;
    }): Promise<OrganisationDomain> {
      const row = {
        id: d.id,
        organisation_id: d.organisationId,
        domain: d.domain,
        token: d.token,
        created_at: d.createdAt,
        verified_at: null,
      };
      await db.insertInto('organisation_domains').values(row).execute();
      return toDomain(row);
    },

    /** Marks the domain verified; the database refuses a second organisation verifying the same domain. */
    async markVerified(organisationId: string, id: string, at: string): Promise<void> {
      await db
        .updateTable('organisation_domains')
        .set({ verified_at: at })
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .where('verified_at', 'is', null)
        .execute();
    },

    async removeDomain(organisationId: string, id: string): Promise<boolean> {
      const r = await db
        .deleteFrom('organisation_domains')
        .where('organisation_id', '=', organisationId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },

    /** The organisation that proved `domain`, if any. */
    async domainOwner(domain: string): Promise<DomainOwner | undefined> {
      const r = await db
        .selectFrom('organisation_domains as d')
        .leftJoin('sso_configs as c', 'c.organisation_id', 'd.organisation_id')
        .select(['d.organisation_id', 'c.required'])
        .where('d.domain', '=', domain)
        .where('d.verified_at', 'is not', null)
        .executeTakeFirst();
      if (r === undefined) return undefined;
      return {
        organisationId: r.organisation_id,
        sso: r.required === null ? 'none' : r.required === 1 ? 'required' : 'available',
      };
    },

    async createAttempt(a: NewAttempt): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .deleteFrom('sso_attempts')
          .where('expires_at', '<', new Date(Date.parse(a.createdAt) - KEEP_EXPIRED_MS).toISOString())
          .execute();
        await tx
          .insertInto('sso_attempts')
          .values({
            id: a.id,
            organisation_id: a.organisationId,
            state_hash: a.stateHash,
            nonce: a.nonce,
            code_verifier: a.codeVerifier,
            app_challenge: a.appChallenge,
            app_state: a.appState,
            redirect_uri: a.redirectUri,
            login_hint: a.loginHint,
            created_at: a.createdAt,
            expires_at: a.expiresAt,
            returned_at: null,
            handoff_hash: null,
            handoff_expires_at: null,
            user_id: null,
            completed_at: null,
          })
          .execute();
      });
    },

    /** The provider's redirect: marks the attempt returned, so its state is honoured once. */
    async returnAttempt(stateHash: string, now: string): Promise<Taken> {
      return take('state_hash', stateHash, 'returned_at', now);
    },

    async setHandoff(attemptId: string, handoffHash: string, userId: string, expiresAt: string): Promise<void> {
      await db
        .updateTable('sso_attempts')
        .set({ handoff_hash: handoffHash, handoff_expires_at: expiresAt, user_id: userId })
        .where('id', '=', attemptId)
        .execute();
    },

    /** The app presents the one-time code: marks it used whatever happens next. */
    async takeHandoff(handoffHash: string, now: string): Promise<Taken> {
      return take('handoff_hash', handoffHash, 'completed_at', now);
    },
  };
}

export type SsoStore = ReturnType<typeof ssoStore>;
