import type { Organisation, OrganisationSettings, Role, User, UserStatus } from '@tandem/shared';
import { sql, type ExpressionBuilder } from 'kysely';
import { containsWords, inList } from './dialect.ts';
import { changedSince, nextPosition, type ChangesPage } from './changes.ts';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** A person, not one of the service accounts API keys act as (014_integrations). */
const isPerson = ({ not, exists, selectFrom }: ExpressionBuilder<Database, 'users'>) =>
  not(exists(selectFrom('api_keys').select('api_keys.id').whereRef('api_keys.user_id', '=', 'users.id')));

type UserRow = Database['users'];

export const toUser = (r: UserRow): User => ({
  id: r.id,
  organisationId: r.organisation_id,
  email: r.email,
  name: r.name,
  role: r.role as Role,
  status: r.deactivated_at === null ? 'active' : 'deactivated',
  createdAt: r.created_at,
});

const toOrganisation = (r: Pick<Database['organisations'], 'id' | 'name' | 'created_at'>): Organisation => ({
  id: r.id,
  name: r.name,
  createdAt: r.created_at,
});

/** Who holds an access token: its person, its session, and when it expires. */
export type Access = { readonly user: User; readonly sessionId: string; readonly expiresAt: string };

export type NewTokens = {
  readonly accessHash: string;
  readonly accessExpiresAt: string;
  readonly refreshHash: string;
  readonly refreshExpiresAt: string;
};

export type RefreshOutcome =
  /** `again`: the token was re-presented within the grace window and answered a fresh pair. */
  | { readonly kind: 'rotated'; readonly userId: string; readonly again: boolean }
  | { readonly kind: 'reused'; readonly sessionId: string; readonly userId: string; readonly organisationId: string }
  | { readonly kind: 'deactivated' }
  | { readonly kind: 'invalid' };

/**
 * What the organisation's identity provider says of a person (SCIM). `userName` null: the e-mail
 * is the userName. `deleted`: the provider deleted them, and SCIM no longer shows them.
 */
export type Directory = {
  readonly userName: string | null;
  readonly externalId: string | null;
  readonly givenName: string | null;
  readonly familyName: string | null;
  readonly deleted: boolean;
};

export type UserPatch = {
  readonly role?: Role;
  readonly name?: string;
  readonly status?: UserStatus;
  readonly email?: string;
  readonly directory?: Directory;
};

/**
 * Whether a write was refused by a uniqueness rule of the schema (an e-mail or a userName taken):
 * SQLite's codes, or PostgreSQL's SQLSTATE 23505 (unique_violation, primary keys included).
 */
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    (error.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
      error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
      error.code === '23505')
  );
}

export type UserChange = {
  readonly before: User;
  readonly after: User;
  /** Sessions a deactivation revoked: their live connections are to close. */
  readonly endedSessions: readonly string[];
};

/** A page of the people directory (`GET /users`): see `directorySince`. */
export type DirectoryPage = Omit<ChangesPage<User>, 'items'> & { readonly users: User[] };

export function identityStore(db: Db) {
  /**
   * The organisation's people (not the service accounts API keys act as, 014_integrations) whose
   * `column` is one of `values`, one bound parameter however many, in the order they came.
   */
  async function peopleWhose(
    organisationId: string,
    column: 'id' | 'role',
    values: readonly string[],
  ): Promise<User[]> {
    const rows = await db
      .selectFrom('users')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where(inList(db, sql.ref(column), values))
      .where(isPerson)
      .orderBy('created_at')
      .execute();
    return rows.map(toUser);
  }

  return {
    async createOrganisation(org: Organisation, owner: User, passwordHash: string): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('organisations')
          .values({ id: org.id, name: org.name, created_at: org.createdAt, directory_seq: 1 })
          .execute();
        await tx
          .insertInto('users')
          .values({ ...userRow(owner, passwordHash), directory_seq: 1 })
          .execute();
      });
    },

    async insertUser(user: User, passwordHash: string, directory?: Directory): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('users')
          .values({
            ...userRow(user, passwordHash),
            ...(directory === undefined ? {} : directoryColumns(directory, user.createdAt)),
            directory_seq: await nextPosition(tx, user.organisationId, 'directory_seq'),
          })
          .execute();
      });
    },

    /**
     * The organisation's people changed after directory position `since` (0: everyone), in the
     * order of their latest change, at most `limit` (undefined: all). `cursor` is the position
     * the next `since` starts from; `hasMore`, the page was full. A `since` ahead of the
     * directory (a server restored from an older backup) starts again from 0: `reset`.
     */
    async directorySince(organisationId: string, since: number, limit: number | undefined): Promise<DirectoryPage> {
      const { items, ...page } = await changedSince(
        db,
        organisationId,
        'directory_seq',
        since,
        limit,
        (from, upTo) => {
          const query = db
            .selectFrom('users')
            .selectAll()
            .where('organisation_id', '=', organisationId)
            .where(isPerson)
            .where('directory_seq', '>', from)
            .orderBy('directory_seq');
          return (upTo === undefined ? query : query.limit(upTo)).execute();
        },
        (r) => r.directory_seq,
      );
      return { users: items.map(toUser), ...page };
    },

    async emailTaken(email: string): Promise<boolean> {
      return (await db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst()) !== undefined;
    },

    async findByEmail(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
      const r = await db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
      return r === undefined ? undefined : { user: toUser(r), passwordHash: r.password_hash };
    },

    /** Replaces a password hash made with older parameters, if it is still the one read (a race keeps the newer). */
    async replacePasswordHash(userId: string, previous: string, next: string): Promise<void> {
      await db
        .updateTable('users')
        .set({ password_hash: next })
        .where('id', '=', userId)
        .where('password_hash', '=', previous)
        .execute();
    },

    async getUser(organisationId: string, userId: string): Promise<User | undefined> {
      const r = await db
        .selectFrom('users')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where('id', '=', userId)
        .executeTakeFirst();
      return r === undefined ? undefined : toUser(r);
    },

    /**
     * Active people (no service accounts) whose name or e-mail contains the words, by name; with
     * `members`, no guests, and with `except`, not that person (a picker of people to hand work to).
     */
    async peopleNamed(
      organisationId: string,
      text: string,
      limit: number,
      options: { readonly members?: boolean; readonly except?: string } = {},
    ): Promise<User[]> {
      let query = db
        .selectFrom('users')
        .selectAll()
        .where('organisation_id', '=', organisationId)
        .where(isPerson)
        .where('deactivated_at', 'is', null)
        .where((eb) => eb.or([containsWords(db, sql.ref('name'), text), containsWords(db, sql.ref('email'), text)]));
      if (options.members === true) query = query.where('role', '!=', 'guest');
      if (options.except !== undefined) query = query.where('id', '!=', options.except);
      const rows = await query.orderBy('name').limit(limit).execute();
      return rows.map(toUser);
    },

    /**
     * The organisation's people (deactivated or not) with these ids, as they came: ids of another
     * organisation, of a service account or of no one are left out. What concerns a few people
     * (invitees, a thread's authors, a skill's holders) is read without the whole organisation.
     */
    async usersIn(organisationId: string, userIds: readonly string[]): Promise<User[]> {
      return userIds.length === 0 ? [] : peopleWhose(organisationId, 'id', userIds);
    },

    /** The organisation's people with one of these roles (its owners and admins, say), deactivated or not. */
    withRoles: (organisationId: string, roles: readonly Role[]): Promise<User[]> =>
      peopleWhose(organisationId, 'role', roles),

    async organisationSettings(id: string): Promise<OrganisationSettings | undefined> {
      const r = await db
        .selectFrom('organisations')
        .select(['external_guests', 'recording', 'recording_retention_days', 'transcription', 'time_zone'])
        .where('id', '=', id)
        .executeTakeFirst();
      return r === undefined
        ? undefined
        : {
            externalGuests: r.external_guests === 1,
            recording: r.recording === 1,
            recordingRetentionDays: r.recording_retention_days,
            transcription: r.transcription === 1,
            timeZone: r.time_zone,
          };
    },

    async updateOrganisationSettings(id: string, patch: Partial<OrganisationSettings>): Promise<void> {
      const set = {
        ...(patch.externalGuests === undefined ? {} : { external_guests: patch.externalGuests ? 1 : 0 }),
        ...(patch.recording === undefined ? {} : { recording: patch.recording ? 1 : 0 }),
        ...(patch.recordingRetentionDays === undefined
          ? {}
          : { recording_retention_days: patch.recordingRetentionDays }),
        ...(patch.transcription === undefined ? {} : { transcription: patch.transcription ? 1 : 0 }),
        ...(patch.timeZone === undefined ? {} : { time_zone: patch.timeZone }),
      };
      if (Object.keys(set).length === 0) return;
      await db.updateTable('organisations').set(set).where('id', '=', id).execute();
    },

    async getOrganisation(id: string): Promise<Organisation | undefined> {
      const r = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
      return r === undefined ? undefined : toOrganisation(r);
    },

    async createSession(sessionId: string, userId: string, now: string, tokens: NewTokens): Promise<void> {
      await db.transaction().execute(async (tx) => {
        await tx
          .insertInto('sessions')
          .values({ id: sessionId, user_id: userId, created_at: now, revoked_at: null })
          .execute();
        await insertTokens(tx, sessionId, tokens);
      });
    },

    /** The user behind a live access token of a session that is not revoked. */
    /**
     * Who holds each access token (by hash) that is unexpired at `now`, of a session not revoked
     * and a person not deactivated; a hash missing from the answer is refused. One query for up
     * to 500 hashes.
     */
    async findAccess(accessHashes: readonly string[], now: string): Promise<Map<string, Access>> {
      const found = new Map<string, Access>();
      for (let i = 0; i < accessHashes.length; i += 500) {
        const rows = await db
          .selectFrom('access_tokens')
          .innerJoin('sessions', 'sessions.id', 'access_tokens.session_id')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .selectAll('users')
          .select([
            'access_tokens.token_hash as token_hash',
            'sessions.id as session_id',
            'access_tokens.expires_at as access_expires_at',
          ])
          .where('access_tokens.token_hash', 'in', accessHashes.slice(i, i + 500))
          .where('access_tokens.expires_at', '>', now)
          .where('sessions.revoked_at', 'is', null)
          .where('users.deactivated_at', 'is', null)
          .execute();
        for (const r of rows)
          found.set(r.token_hash, { user: toUser(r), sessionId: r.session_id, expiresAt: r.access_expires_at });
      }
      return found;
    },

    /**
     * Rotation in one transaction: the presented refresh token is spent and the new pair stored.
     * A spent token presented again means it leaked, so the whole session is revoked.
     */
    /**
     * Spends a refresh token for `tokens`. A token spent before is reuse, which revokes the whole
     * session, except within the grace window: spent at or after `graceSince` and still the
     * session's latest spent token (its successor not spent yet), it answers a fresh pair, so a
     * client whose first answer was lost, or two racing refreshes, keep the session.
     */
    async rotateRefresh(
      refreshHash: string,
      now: string,
      tokens: NewTokens,
      graceSince: string,
    ): Promise<RefreshOutcome> {
      return db.transaction().execute(async (tx): Promise<RefreshOutcome> => {
        const r = await tx
          .selectFrom('refresh_tokens')
          .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .select([
            'refresh_tokens.session_id',
            'refresh_tokens.expires_at',
            'refresh_tokens.used_at',
            'sessions.revoked_at',
            'sessions.user_id',
            'users.organisation_id',
            'users.deactivated_at',
          ])
          .where('refresh_tokens.token_hash', '=', refreshHash)
          .executeTakeFirst();
        // Its holder learns why they are out rather than retrying (the session was revoked with it).
        if (r?.deactivated_at != null) return { kind: 'deactivated' };
        if (r === undefined || r.revoked_at !== null || r.expires_at <= now) return { kind: 'invalid' };
        if (r.used_at !== null && r.used_at >= graceSince) {
          const later = await tx
            .selectFrom('refresh_tokens')
            .select('token_hash')
            .where('session_id', '=', r.session_id)
            .where('used_at', '>', r.used_at)
            .executeTakeFirst();
          if (later === undefined) {
            await insertTokens(tx, r.session_id, tokens);
            return { kind: 'rotated', userId: r.user_id, again: true };
          }
        }
        if (r.used_at !== null) {
          await tx.updateTable('sessions').set({ revoked_at: now }).where('id', '=', r.session_id).execute();
          return { kind: 'reused', sessionId: r.session_id, userId: r.user_id, organisationId: r.organisation_id };
        }
        await tx.updateTable('refresh_tokens').set({ used_at: now }).where('token_hash', '=', refreshHash).execute();
        await insertTokens(tx, r.session_id, tokens);
        return { kind: 'rotated', userId: r.user_id, again: false };
      });
    },

    async revokeSession(sessionId: string, now: string): Promise<void> {
      await db.updateTable('sessions').set({ revoked_at: now }).where('id', '=', sessionId).execute();
    },

    /**
     * Reads the person and how many active owners their organisation has, lets `decide` rule on
     * the change (it throws to refuse), and writes it, in one transaction: two owners demoting each
     * other at once cannot leave the organisation without one. A deactivation revokes every
     * session of the person in the same transaction. Undefined: no such person in the organisation
     * (an API key's service account is none: it changes only with its key).
     */
    async changeUser(
      organisationId: string,
      userId: string,
      decide: (current: User, activeOwners: number) => UserPatch,
      now: string,
    ): Promise<UserChange | undefined> {
      return db.transaction().execute(async (tx): Promise<UserChange | undefined> => {
        const row = await tx
          .selectFrom('users')
          .selectAll()
          .where('organisation_id', '=', organisationId)
          .where('id', '=', userId)
          .where(isPerson)
          .executeTakeFirst();
        if (row === undefined) return undefined;
        const { owners } = await tx
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<number>().as('owners'))
          .where('organisation_id', '=', organisationId)
          .where('role', '=', 'owner')
          .where('deactivated_at', 'is', null)
          .executeTakeFirstOrThrow();
        const before = toUser(row);
        const patch = decide(before, Number(owners));
        const deactivatedAt =
          patch.status === undefined || patch.status === before.status
            ? row.deactivated_at
            : patch.status === 'deactivated'
              ? now
              : null;
        const next: UserRow = {
          ...row,
          role: patch.role ?? row.role,
          name: patch.name ?? row.name,
          email: patch.email ?? row.email,
          deactivated_at: deactivatedAt,
          ...(patch.directory === undefined ? {} : directoryColumns(patch.directory, now)),
        };
        await tx
          .updateTable('users')
          .set({
            directory_seq: await nextPosition(tx, organisationId, 'directory_seq'),
            role: next.role,
            name: next.name,
            email: next.email,
            deactivated_at: next.deactivated_at,
            scim_user_name: next.scim_user_name,
            scim_external_id: next.scim_external_id,
            given_name: next.given_name,
            family_name: next.family_name,
            scim_updated_at: next.scim_updated_at,
            scim_deleted_at: next.scim_deleted_at,
          })
          .where('id', '=', userId)
          .execute();
        let endedSessions: string[] = [];
        if (next.deactivated_at !== null) {
          const live = await tx
            .selectFrom('sessions')
            .select('id')
            .where('user_id', '=', userId)
            .where('revoked_at', 'is', null)
            .execute();
          endedSessions = live.map((s) => s.id);
          await tx
            .updateTable('sessions')
            .set({ revoked_at: now })
            .where('user_id', '=', userId)
            .where('revoked_at', 'is', null)
            .execute();
        }
        return { before, after: toUser(next), endedSessions };
      });
    },
  };
}

export type IdentityStore = ReturnType<typeof identityStore>;

export function userRow(user: User, passwordHash: string): Database['users'] {
  return {
    id: user.id,
    organisation_id: user.organisationId,
    email: user.email,
    name: user.name,
    role: user.role,
    password_hash: passwordHash,
    created_at: user.createdAt,
    // A person may be provisioned inactive (SCIM `active: false`): deactivated from the start.
    deactivated_at: user.status === 'deactivated' ? user.createdAt : null,
    scim_user_name: null,
    scim_external_id: null,
    given_name: null,
    family_name: null,
    scim_updated_at: null,
    scim_deleted_at: null,
    // Numbered where a person is written (`nextPosition`); a service account stays 0, unlisted.
    directory_seq: 0,
  };
}

function directoryColumns(d: Directory, now: string) {
  return {
    scim_user_name: d.userName,
    scim_external_id: d.externalId,
    given_name: d.givenName,
    family_name: d.familyName,
    scim_updated_at: now,
    scim_deleted_at: d.deleted ? now : null,
  };
}

async function insertTokens(tx: Db, sessionId: string, t: NewTokens): Promise<void> {
  await tx
    .insertInto('access_tokens')
    .values({ token_hash: t.accessHash, session_id: sessionId, expires_at: t.accessExpiresAt })
    .execute();
  await tx
    .insertInto('refresh_tokens')
    .values({ token_hash: t.refreshHash, session_id: sessionId, expires_at: t.refreshExpiresAt, used_at: null })
    .execute();
}
