import {
  LinkedMeetingSchema,
  type ConnectionScope,
  type LinkedMeetingRecord,
  type LinkedState,
  type ProviderConnection,
  type ProviderId,
} from '@tandem/shared';
import type { CredentialKey, CredentialStore, SealedCredentials } from '../providers/index.ts';
import type { Transaction } from 'kysely';
import type { Db } from './db.ts';
import type { Database } from './schema.ts';

/** Tables of migration 003, typed here so the rest of the schema stays with its owners. */
type LinkedTables = {
  provider_credentials: {
    org_id: string;
    provider: string;
    user_id: string;
    key_id: string;
    iv: string;
    ciphertext: string;
    tag: string;
    connected_at: string;
  };
  provider_consents: {
    state_hash: string;
    org_id: string;
    provider: string;
    user_id: string;
    redirect_uri: string;
    expires_at: string;
    /** The id of the person who started the consent (of `org_id`); only they complete it. */
    started_by: string;
    /** The PKCE verifier (RFC 7636) sent with the code exchange. */
    code_verifier: string;
  };
  linked_meetings: {
    meeting_id: string;
    organisation_id: string;
    source: string;
    created_with: string | null;
    external_id: string | null;
    platform: string;
    platform_meeting_id: string | null;
    linked: string;
    state: string;
    state_at: string | null;
    created_at: string;
    /** The provider's stamp of our own last write of the far meeting (Google's `updated`). */
    written_stamp: string | null;
  };
  calendar_feeds: { user_id: string; organisation_id: string; token_hash: string; created_at: string };
};

// An organisation's own account has no user; '' keeps it in the primary key (NULLs would not be).
const userOf = (key: CredentialKey): string => key.userId ?? '';

/** Sealed provider credentials: the vault's CredentialStore, plus what the connection list needs. */
export function providerCredentialStore(database: Db) {
  const db = database.withTables<LinkedTables>();
  const where = (key: CredentialKey) =>
    db
      .selectFrom('provider_credentials')
      .where('org_id', '=', key.orgId)
      .where('provider', '=', key.provider)
      .where('user_id', '=', userOf(key));
  return {
    async get(key: CredentialKey): Promise<SealedCredentials | undefined> {
      const r = await where(key).select(['key_id', 'iv', 'ciphertext', 'tag']).executeTakeFirst();
      return r === undefined ? undefined : { keyId: r.key_id, iv: r.iv, ciphertext: r.ciphertext, tag: r.tag };
    },
    async put(key: CredentialKey, sealed: SealedCredentials): Promise<void> {
      const sealedColumns = { key_id: sealed.keyId, iv: sealed.iv, ciphertext: sealed.ciphertext, tag: sealed.tag };
      // A reseal after key rotation keeps when the connection was made.
      await db
        .insertInto('provider_credentials')
        .values({
          org_id: key.orgId,
          provider: key.provider,
          user_id: userOf(key),
          ...sealedColumns,
          connected_at: new Date().toISOString(),
        })
        .onConflict((c) => c.columns(['org_id', 'provider', 'user_id']).doUpdateSet(sealedColumns))
        .execute();
    },
    async delete(key: CredentialKey): Promise<boolean> {
      const r = await db
        .deleteFrom('provider_credentials')
        .where('org_id', '=', key.orgId)
        .where('provider', '=', key.provider)
        .where('user_id', '=', userOf(key))
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** The organisation's accounts and `userId`'s own, never another user's. */
    async list(orgId: string, userId: string): Promise<ProviderConnection[]> {
      const rows = await db
        .selectFrom('provider_credentials')
        .select(['provider', 'user_id', 'connected_at'])
        .where('org_id', '=', orgId)
        .where('user_id', 'in', ['', userId])
        .orderBy('provider')
        .orderBy('user_id')
        .execute();
      return rows.map((r) => ({
        provider: r.provider as ProviderId,
        scope: (r.user_id === '' ? 'organisation' : 'user') satisfies ConnectionScope,
        connectedAt: r.connected_at,
      }));
    },
  };
}

export type ProviderCredentialTable = CredentialStore & ReturnType<typeof providerCredentialStore>;

export type PendingConsent = {
  readonly key: CredentialKey;
  readonly redirectUri: string;
  /** Who started it: a person of `key.orgId`, whatever the connection's scope. */
  readonly startedBy: string;
  readonly codeVerifier: string;
};

/** OAuth consents between the redirect to the provider and its callback, by hash of their state. */
export function providerConsentStore(database: Db) {
  const db = database.withTables<LinkedTables>();
  return {
    async put(stateHash: string, consent: PendingConsent, expiresAt: string): Promise<void> {
      await db
        .insertInto('provider_consents')
        .values({
          state_hash: stateHash,
          org_id: consent.key.orgId,
          provider: consent.key.provider,
          user_id: userOf(consent.key),
          redirect_uri: consent.redirectUri,
          expires_at: expiresAt,
          started_by: consent.startedBy,
          code_verifier: consent.codeVerifier,
        })
        .execute();
    },
    /** Removes and returns the consent; a used or expired state answers undefined. */
    async take(stateHash: string, now: string): Promise<PendingConsent | undefined> {
      return db.transaction().execute(async (tx) => {
        const r = await tx
          .selectFrom('provider_consents')
          .selectAll()
          .where('state_hash', '=', stateHash)
          .executeTakeFirst();
        await tx.deleteFrom('provider_consents').where('expires_at', '<=', now).execute();
        if (r === undefined || r.expires_at <= now) return undefined;
        await tx.deleteFrom('provider_consents').where('state_hash', '=', stateHash).execute();
        const key: CredentialKey = {
          orgId: r.org_id,
          provider: r.provider as ProviderId,
          ...(r.user_id === '' ? {} : { userId: r.user_id }),
        };
        return { key, redirectUri: r.redirect_uri, startedBy: r.started_by, codeVerifier: r.code_verifier };
      });
    },
  };
}

export type ProviderConsentStore = ReturnType<typeof providerConsentStore>;

type LinkedRow = LinkedTables['linked_meetings'];

const toRecord = (r: LinkedRow): LinkedMeetingRecord => ({
  meetingId: r.meeting_id,
  source: r.source as LinkedMeetingRecord['source'],
  createdWith: r.created_with as ProviderId | null,
  externalId: r.external_id,
  linked: LinkedMeetingSchema.parse(JSON.parse(r.linked)),
  state: r.state as LinkedState,
  stateAt: r.state_at,
  createdAt: r.created_at,
});

const linkedRow = (orgId: string, record: LinkedMeetingRecord): LinkedRow => ({
  meeting_id: record.meetingId,
  organisation_id: orgId,
  source: record.source,
  created_with: record.createdWith,
  external_id: record.externalId,
  platform: record.linked.provider,
  platform_meeting_id: record.linked.meetingId,
  linked: JSON.stringify(record.linked),
  state: record.state,
  state_at: record.stateAt,
  created_at: record.createdAt,
  // Another far meeting: nothing of ours written to it yet.
  written_stamp: null,
});

/** The Teams/Zoom/Meet meeting stored with one of ours (at most one each). */
export function linkedMeetingStore(database: Db) {
  const db = database.withTables<LinkedTables>();
  return {
    async get(orgId: string, meetingId: string): Promise<LinkedMeetingRecord | undefined> {
      const r = await db
        .selectFrom('linked_meetings')
        .selectAll()
        .where('organisation_id', '=', orgId)
        .where('meeting_id', '=', meetingId)
        .executeTakeFirst();
      return r === undefined ? undefined : toRecord(r);
    },
    async many(orgId: string, meetingIds: readonly string[]): Promise<LinkedMeetingRecord[]> {
      if (meetingIds.length === 0) return [];
      const rows = await db
        .selectFrom('linked_meetings')
        .selectAll()
        .where('organisation_id', '=', orgId)
        .where('meeting_id', 'in', meetingIds)
        .execute();
      return rows.map(toRecord);
    },
    /**
     * The meetings of `orgId` whose far meeting `provider`'s account created under one of these
     * ids, each with the provider's stamp of our last write of it (null: none known).
     */
    async createdAs(
      orgId: string,
      provider: ProviderId,
      externalIds: readonly string[],
    ): Promise<(LinkedMeetingRecord & { readonly writtenStamp: string | null })[]> {
      if (externalIds.length === 0) return [];
      const rows = await db
        .selectFrom('linked_meetings')
        .selectAll()
        .where('organisation_id', '=', orgId)
        .where('created_with', '=', provider)
        .where('external_id', 'in', externalIds)
        .execute();
      return rows.map((r) => ({ ...toRecord(r), writtenStamp: r.written_stamp }));
    },
    /** The provider's stamp of what we just wrote to the far meeting of `meetingId`. */
    async written(orgId: string, meetingId: string, stamp: string): Promise<void> {
      await db
        .updateTable('linked_meetings')
        .set({ written_stamp: stamp })
        .where('organisation_id', '=', orgId)
        .where('meeting_id', '=', meetingId)
        .execute();
    },
    /** Replaces what was linked before: a meeting links one far meeting. */
    async put(orgId: string, record: LinkedMeetingRecord): Promise<void> {
      const row = linkedRow(orgId, record);
      const { meeting_id: _id, ...rest } = row;
      await db
        .insertInto('linked_meetings')
        .values(row)
        .onConflict((c) => c.column('meeting_id').doUpdateSet(rest))
        .execute();
    },
    /**
     * Links a meeting being created in `tx` (meetings.ts `insert`) to the far meeting its
     * provider's account created; false when a meeting of `orgId` links that far meeting already
     * (a transaction doing the same at once fails on the unique index, 039_google_exdates).
     */
    async linkNew(tx: Transaction<Database>, orgId: string, record: LinkedMeetingRecord): Promise<boolean> {
      const linked = tx.withTables<LinkedTables>();
      const taken = await linked
        .selectFrom('linked_meetings')
        .select('meeting_id')
        .where('organisation_id', '=', orgId)
        .where('created_with', '=', record.createdWith)
        .where('external_id', '=', record.externalId)
        .executeTakeFirst();
      if (taken !== undefined) return false;
      await linked.insertInto('linked_meetings').values(linkedRow(orgId, record)).execute();
      return true;
    },
    async delete(orgId: string, meetingId: string): Promise<boolean> {
      const r = await db
        .deleteFrom('linked_meetings')
        .where('organisation_id', '=', orgId)
        .where('meeting_id', '=', meetingId)
        .executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** Records a provider webhook's state on every meeting of `orgId` linked to that far meeting. */
    async setState(
      orgId: string,
      platform: LinkedMeetingRecord['linked']['provider'],
      platformMeetingId: string,
      state: LinkedState,
      at: string,
    ): Promise<number> {
      const r = await db
        .updateTable('linked_meetings')
        .set({ state, state_at: at })
        .where('organisation_id', '=', orgId)
        .where('platform', '=', platform)
        .where('platform_meeting_id', '=', platformMeetingId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}

export type LinkedMeetingStore = ReturnType<typeof linkedMeetingStore>;

/** One ICS feed token per user, kept as a hash; a new one replaces the old. */
export function calendarFeedStore(database: Db) {
  const db = database.withTables<LinkedTables>();
  return {
    async put(orgId: string, userId: string, tokenHash: string, createdAt: string): Promise<void> {
      await db
        .insertInto('calendar_feeds')
        .values({ user_id: userId, organisation_id: orgId, token_hash: tokenHash, created_at: createdAt })
        .onConflict((c) => c.column('user_id').doUpdateSet({ token_hash: tokenHash, created_at: createdAt }))
        .execute();
    },
    async owner(tokenHash: string): Promise<{ readonly orgId: string; readonly userId: string } | undefined> {
      const r = await db
        .selectFrom('calendar_feeds')
        .select(['organisation_id', 'user_id'])
        .where('token_hash', '=', tokenHash)
        .executeTakeFirst();
      return r === undefined ? undefined : { orgId: r.organisation_id, userId: r.user_id };
    },
    async delete(userId: string): Promise<boolean> {
      const r = await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}

export type CalendarFeedStore = ReturnType<typeof calendarFeedStore>;
