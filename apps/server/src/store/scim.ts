import type { Role, ScimToken, User } from '@tandem/shared';
import { sql } from 'kysely';
import type { Db } from './db.ts';
import { toUser } from './identity.ts';
import type { Database } from './schema.ts';

/** The table of migration 013, typed here so the rest of the schema stays with its owners. */
type ScimTables = {
  scim_tokens: {
    id: string;
    organisation_id: string;
    token_hash: string;
    prefix: string;
    label: string;
    created_by: string;
    created_at: string;
    last_used_at: string | null;
    revoked_at: string | null;
  };
};

/** A person as SCIM shows them: the account and what the identity provider said of it. */
export type DirectoryPerson = {
  readonly user: User;
  /** The provider's userName, or the e-mail when it gave none other. */
  readonly userName: string;
  readonly externalId: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly lastModified: string;
  /** Deleted by the provider: SCIM shows them no more, and a POST of their e-mail brings them back. */
  readonly deleted: boolean;
};

export type NewScimToken = {
  readonly id: string;
  readonly organisationId: string;
  readonly hash: string;
  readonly prefix: string;
  readonly label: string;
  readonly createdBy: string;
  readonly createdAt: string;
};

/** Looked up by: the index behind each (see scimFilter's narrowingOf). */
export type DirectoryLookup = { readonly by: 'userName' | 'externalId' | 'id' | 'email'; readonly value: string };

const toPerson = (r: Database['users']): DirectoryPerson => ({
  user: toUser(r),
  userName: r.scim_user_name ?? r.email,
  externalId: r.scim_external_id,
  givenName: r.given_name,
  familyName: r.family_name,
  lastModified: r.scim_updated_at ?? r.created_at,
  deleted: r.scim_deleted_at !== null,
});

/** Guests are people from outside the organisation: its identity provider neither sees nor manages them. */
const GUEST: Role = 'guest';

export function scimStore(database: Db) {
  const db = database.withTables<ScimTables>();

  /** The organisation's people SCIM shows: not guests, not deleted by the provider. */
  const visible = (organisationId: string) =>
    db
      .selectFrom('users')
      .where('organisation_id', '=', organisationId)
      .where('role', '!=', GUEST)
      .where('scim_deleted_at', 'is', null);

  return {
    async createToken(t: NewScimToken): Promise<void> {
      await db
        .insertInto('scim_tokens')
        .values({
          id: t.id,
          organisation_id: t.organisationId,
          token_hash: t.hash,
          prefix: t.prefix,
          label: t.label,
          created_by: t.createdBy,
          created_at: t.createdAt,
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
    },

    /** The organisation's tokens that still work, newest first. */
    async listTokens(organisationId: string): Promise<ScimToken[]> {
      const rows = await db
        .selectFrom('scim_tokens')
        .innerJoin('users', 'users.id', 'scim_tokens.created_by')
        .select([
          'scim_tokens.id',
          'scim_tokens.label',
          'scim_tokens.prefix',
          'scim_tokens.created_at',
          'scim_tokens.last_used_at',
          'users.id as user_id',
          'users.name as user_name',
        ])
        .where('scim_tokens.organisation_id', '=', organisationId)
        .where('scim_tokens.revoked_at', 'is', null)
        .orderBy('scim_tokens.created_at', 'desc')
        .orderBy('scim_tokens.id')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        label: r.label,
        prefix: r.prefix,
        createdAt: r.created_at,
        createdBy: { id: r.user_id, name: r.user_name },
        lastUsedAt: r.last_used_at,
      }));
    },

    /** Undefined: no such working token in the organisation. */
    async revokeToken(
      organisationId: string,
      tokenId: string,
      now: string,
    ): Promise<{ label: string; prefix: string } | undefined> {
      return db.transaction().execute(async (tx) => {
        const row = await tx
          .selectFrom('scim_tokens')
          .select(['label', 'prefix'])
          .where('organisation_id', '=', organisationId)
          .where('id', '=', tokenId)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        if (row === undefined) return undefined;
        await tx.updateTable('scim_tokens').set({ revoked_at: now }).where('id', '=', tokenId).execute();
        return row;
      });
    },

    /**
     * The working token with this hash, marking it used. `last_used_at` is written at most once a
     * minute per token, so a provisioning run does not write once per request.
     */
    async useToken(
      hash: string,
      now: string,
    ): Promise<{ id: string; organisationId: string; label: string; prefix: string } | undefined> {
      const row = await db
        .selectFrom('scim_tokens')
        .select(['id', 'organisation_id', 'label', 'prefix', 'last_used_at'])
        .where('token_hash', '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (row === undefined) return undefined;
      const minuteAgo = new Date(Date.parse(now) - 60_000).toISOString();
      if (row.last_used_at === null || row.last_used_at < minuteAgo) {
        await db.updateTable('scim_tokens').set({ last_used_at: now }).where('id', '=', row.id).execute();
      }
      return { id: row.id, organisationId: row.organisation_id, label: row.label, prefix: row.prefix };
    },

    async countPeople(organisationId: string): Promise<number> {
      const { n } = await visible(organisationId)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(n);
    },

    /** A page of the people SCIM shows, in a stable order (creation, then id). */
    async pagePeople(organisationId: string, offset: number, limit: number): Promise<DirectoryPerson[]> {
      const rows = await visible(organisationId)
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map(toPerson);
    },

    /**
     * The people SCIM shows that may match a lookup (all of them without one), in the same order;
     * the caller applies the rest of its filter.
     */
    async findPeople(organisationId: string, lookup: DirectoryLookup | undefined): Promise<DirectoryPerson[]> {
      let q = visible(organisationId).selectAll();
      if (lookup !== undefined) {
        switch (lookup.by) {
          case 'userName':
            q = q.where(sql<string>`lower(coalesce(scim_user_name, email))`, '=', lookup.value.toLowerCase());
            break;
          case 'externalId':
            q = q.where('scim_external_id', '=', lookup.value);
            break;
          case 'id':
            q = q.where('id', '=', lookup.value);
            break;
          case 'email':
            q = q.where('email', '=', lookup.value.toLowerCase());
            break;
          default: {
            const never: never = lookup.by;
            throw new Error(`unhandled lookup ${String(never)}`);
          }
        }
      }
      const rows = await q.orderBy('created_at').orderBy('id').execute();
      return rows.map(toPerson);
    },

    /** One person SCIM may show, or one it deleted (`deleted`); never a guest. */
    async person(organisationId: string, userId: string): Promise<DirectoryPerson | undefined> {
      const r = await db
        .selectFrom('users')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', userId)
        .where('role', '!=', GUEST)
        .executeTakeFirst();
      return r === undefined ? undefined : toPerson(r);
    },

    /** The organisation's person with this e-mail, guests included, deleted or not. */
    async personByEmail(organisationId: string, email: string): Promise<DirectoryPerson | undefined> {
      const r = await db
        .selectFrom('users')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('email', '=', email.toLowerCase())
        .executeTakeFirst();
      return r === undefined ? undefined : toPerson(r);
    },
  };
}

export type ScimStore = ReturnType<typeof scimStore>;
