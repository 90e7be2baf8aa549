import { randomUUID } from 'node:crypto';
import { isPostgres } from './dialect.ts';
import {
  ApiKeyScopeSchema,
  WebhookEventTypeSchema,
  type ApiKey,
  type User,
  type WebhookAttempt,
  type WebhookEndpoint,
  type WebhookEventData,
  type WebhookEventType,
} from '@tandem/shared';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Db } from './db.ts';
import { toUser, userRow } from './identity.ts';
import type { Database } from './schema.ts';

type KeyRow = Selectable<Database['api_keys']>;
type EndpointRow = Selectable<Database['webhook_endpoints']>;
type DeliveryRow = Selectable<Database['webhook_deliveries']>;

const Scopes = z.array(ApiKeyScopeSchema);
const Events = z.array(WebhookEventTypeSchema);

const toApiKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  prefix: r.prefix,
  scopes: Scopes.parse(JSON.parse(r.scopes)),
  createdBy: r.created_by,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
});

const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  events: Events.parse(JSON.parse(r.events)),
  enabled: r.enabled === 1,
  disabledReason: r.disabled_reason,
  consecutiveFailures: r.consecutive_failures,
  createdBy: r.created_by,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export type NewApiKey = Omit<ApiKey, 'lastUsedAt' | 'revokedAt'> & {
  readonly organisationId: string;
  readonly secretHash: string;
};

/** A key as authentication sees it: the key, and the service account it acts as. */
export type KeyHolder = { readonly apiKey: ApiKey; readonly user: User };

export type NewEndpoint = Omit<WebhookEndpoint, 'enabled' | 'disabledReason' | 'consecutiveFailures'> & {
  readonly organisationId: string;
  readonly secret: string;
};

export type EndpointPatch = {
  readonly url?: string;
  readonly events?: readonly WebhookEventType[];
  readonly description?: string;
  readonly enabled?: boolean;
};

/** A queued delivery, with what sending it needs of its endpoint. */
export type DueDelivery = {
  readonly id: string;
  readonly endpointId: string;
  readonly organisationId: string;
  readonly eventId: string;
  readonly eventType: WebhookEventType;
  readonly payload: string;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly url: string;
  readonly secret: string;
  readonly enabled: boolean;
};

export type AttemptResult = {
  readonly deliveryId: string;
  readonly endpointId: string;
  readonly attemptId: string;
  readonly attempt: number;
  readonly at: string;
  readonly outcome: WebhookAttempt['outcome'];
  readonly responseStatus: number | null;
  readonly durationMs: number;
  readonly error: string | null;
  /** When the next attempt is due (outcome `retrying`). */
  readonly nextAttemptAt: string | null;
  /** A delivery that failed for good counts against its endpoint; this many in a row turn it off. */
  readonly disableAfterFailures: number;
};

const DISABLED_FOR_FAILURES = 'turned off after too many failed deliveries in a row';

/** A delivery to queue: pending, never attempted. */
export type NewDelivery = Omit<DeliveryRow, 'status' | 'attempts' | 'created_at'>;

/** An enabled endpoint behind its organisation's change stream (`webhooks.behind`). */
export type EndpointBehind = {
  readonly id: string;
  readonly organisationId: string;
  readonly events: readonly WebhookEventType[];
  readonly chatOffset: number;
  readonly latestOffset: number;
};

/** The deliveries of one event to each of `endpointIds`: one body, one event id for all of them and every attempt. */
export function deliveriesOf<T extends WebhookEventType>(
  organisationId: string,
  type: T,
  data: WebhookEventData<T>,
  endpointIds: readonly string[],
  now: string,
): NewDelivery[] {
  const event = { id: randomUUID(), type, created: now, organisation: organisationId, data };
  const payload = JSON.stringify(event);
  return endpointIds.map((endpointId) => ({
    id: randomUUID(),
    endpoint_id: endpointId,
    organisation_id: organisationId,
    event_id: event.id,
    event_type: type,
    payload,
    next_attempt_at: now,
  }));
}

/** The organisation's enabled endpoints subscribed to `type`, read in `db` (a transaction, or not). */
async function subscribersIn(db: Db, organisationId: string, type: WebhookEventType): Promise<string[]> {
  const rows = await db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('organisation_id', '=', organisationId)
    .where('enabled', '=', 1)
    .execute();
  return rows.filter((r) => Events.parse(JSON.parse(r.events)).includes(type)).map((r) => r.id);
}

/**
 * Queues the event for each of the organisation's enabled endpoints subscribed to it, in `tx`:
 * the transaction of the change it reports, so it is queued exactly when that commits.
 */
export async function queueEventIn<T extends WebhookEventType>(
  tx: Db,
  organisationId: string,
  type: T,
  data: WebhookEventData<T>,
  now: string,
): Promise<void> {
  const endpoints = await subscribersIn(tx, organisationId, type);
  await enqueueIn(tx, deliveriesOf(organisationId, type, data, endpoints, now), now);
}

async function enqueueIn(db: Db, rows: readonly NewDelivery[], at: string): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('webhook_deliveries')
    .values(rows.map((r) => ({ ...r, status: 'pending' as const, attempts: 0, created_at: at })))
    .execute();
}

export function integrationStore(db: Db) {
  /** The organisation's change offset now, as a value in a statement. */
  const latestOffset = (organisationId: string) =>
    db.selectFrom('organisations').select('latest_offset').where('id', '=', organisationId);
  return {
    apiKeys: {
      /** The key and its service account, in one transaction. */
      async create(key: NewApiKey, account: User, passwordHash: string): Promise<void> {
        await db.transaction().execute(async (tx) => {
          await tx.insertInto('users').values(userRow(account, passwordHash)).execute();
          await tx
            .insertInto('api_keys')
            .values({
              id: key.id,
              organisation_id: key.organisationId,
              user_id: account.id,
              name: key.name,
              prefix: key.prefix,
              secret_hash: key.secretHash,
              scopes: JSON.stringify(key.scopes),
              created_by: key.createdBy,
              created_at: key.createdAt,
              last_used_at: null,
              revoked_at: null,
            })
            .execute();
        });
      },

      async list(organisationId: string): Promise<ApiKey[]> {
        const rows = await db
          .selectFrom('api_keys')
          .selectAll()
          .where('organisation_id', '=', organisationId)
          .orderBy('created_at', 'desc')
          .execute();
        return rows.map(toApiKey);
      },

      /** A live key (not revoked, its account active) by the hash of its secret. */
      async findLive(secretHash: string): Promise<KeyHolder | undefined> {
        const r = await db
          .selectFrom('api_keys')
          .innerJoin('users', 'users.id', 'api_keys.user_id')
          .selectAll('users')
          .select([
            'api_keys.id as key_id',
            'api_keys.name as key_name',
            'api_keys.prefix',
            'api_keys.scopes',
            'api_keys.created_by as key_created_by',
            'api_keys.created_at as key_created_at',
            'api_keys.last_used_at',
            'api_keys.revoked_at',
          ])
          .where('api_keys.secret_hash', '=', secretHash)
          .where('api_keys.revoked_at', 'is', null)
          .where('users.deactivated_at', 'is', null)
          .executeTakeFirst();
        if (r === undefined) return undefined;
        return {
          user: toUser(r),
          apiKey: {
            id: r.key_id,
            name: r.key_name,
            prefix: r.prefix,
            scopes: Scopes.parse(JSON.parse(r.scopes)),
            createdBy: r.key_created_by,
            createdAt: r.key_created_at,
            lastUsedAt: r.last_used_at,
            revokedAt: r.revoked_at,
          },
        };
      },

      async touch(id: string, at: string): Promise<void> {
        await db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', id).execute();
      },

      /**
       * Revokes the key and deactivates its account in one transaction; undefined when the
       * organisation has no such key. A key revoked before stays as it was (`changed: false`).
       */
      async revoke(
        organisationId: string,
        id: string,
        at: string,
      ): Promise<{ apiKey: ApiKey; changed: boolean } | undefined> {
        return db.transaction().execute(async (tx) => {
          const r = await tx
            .selectFrom('api_keys')
            .selectAll()
            .where('organisation_id', '=', organisationId)
            .where('id', '=', id)
            .executeTakeFirst();
          if (r === undefined) return undefined;
          if (r.revoked_at !== null) return { apiKey: toApiKey(r), changed: false };
          await tx.updateTable('api_keys').set({ revoked_at: at }).where('id', '=', id).execute();
          await tx.updateTable('users').set({ deactivated_at: at }).where('id', '=', r.user_id).execute();
          return { apiKey: toApiKey({ ...r, revoked_at: at }), changed: true };
        });
      },
    },

    webhooks: {
      async insert(endpoint: NewEndpoint): Promise<void> {
        await db
          .insertInto('webhook_endpoints')
          .values({
            id: endpoint.id,
            organisation_id: endpoint.organisationId,
            url: endpoint.url,
            description: endpoint.description,
            events: JSON.stringify(endpoint.events),
            secret: endpoint.secret,
            enabled: 1,
            disabled_reason: null,
            created_by: endpoint.createdBy,
            created_at: endpoint.createdAt,
            updated_at: endpoint.updatedAt,
            // Messages from now on: none written before it existed.
            chat_offset: latestOffset(endpoint.organisationId),
          })
          .execute();
      },

      async count(organisationId: string): Promise<number> {
        const r = await db
          .selectFrom('webhook_endpoints')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('organisation_id', '=', organisationId)
          .executeTakeFirstOrThrow();
        return Number(r.n);
      },

      async list(organisationId: string): Promise<WebhookEndpoint[]> {
        const rows = await db
          .selectFrom('webhook_endpoints')
          .selectAll()
          .where('organisation_id', '=', organisationId)
          .orderBy('created_at')
          .execute();
        return rows.map(toEndpoint);
      },

      async get(organisationId: string, id: string): Promise<WebhookEndpoint | undefined> {
        const r = await db
          .selectFrom('webhook_endpoints')
          .selectAll()
          .where('organisation_id', '=', organisationId)
          .where('id', '=', id)
          .executeTakeFirst();
        return r === undefined ? undefined : toEndpoint(r);
      },

      async update(organisationId: string, id: string, patch: EndpointPatch, at: string): Promise<void> {
        await db
          .updateTable('webhook_endpoints')
          .set({
            updated_at: at,
            ...(patch.url === undefined ? {} : { url: patch.url }),
            ...(patch.events === undefined ? {} : { events: JSON.stringify(patch.events) }),
            ...(patch.description === undefined ? {} : { description: patch.description }),
            // Turned on again: its failures are forgiven; turned off by an admin: no reason to show.
            ...(patch.enabled === undefined
              ? {}
              : { enabled: patch.enabled ? 1 : 0, disabled_reason: null, consecutive_failures: 0 }),
            // Turned on again: messages from now on, none of those written while it was off.
            ...(patch.enabled === true
              ? {
                  chat_offset: (eb) =>
                    eb
                      .case()
                      .when('enabled', '=', 1)
                      .then(eb.ref('chat_offset'))
                      .else(latestOffset(organisationId))
                      .end(),
                }
              : {}),
          })
          .where('organisation_id', '=', organisationId)
          .where('id', '=', id)
          .execute();
      },

      /** The endpoint, its queue and its log, in one transaction; false when there was none. */
      async delete(organisationId: string, id: string): Promise<boolean> {
        return db.transaction().execute(async (tx) => {
          const found = await tx
            .selectFrom('webhook_endpoints')
            .select('id')
            .where('organisation_id', '=', organisationId)
            .where('id', '=', id)
            .executeTakeFirst();
          if (found === undefined) return false;
          await tx.deleteFrom('webhook_attempts').where('endpoint_id', '=', id).execute();
          await tx.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
          await tx.deleteFrom('webhook_endpoints').where('id', '=', id).execute();
          return true;
        });
      },

      /**
       * Enabled endpoints whose organisation wrote chat events after their cursor (`chat_offset`),
       * at most `limit`, of the organisations `of` (every organisation: undefined): each with its
       * cursor and the organisation's offset now.
       */
      async behind(limit: number, of?: readonly string[]): Promise<EndpointBehind[]> {
        if (of?.length === 0) return [];
        const rows = await db
          .selectFrom('webhook_endpoints as e')
          .innerJoin('organisations as o', 'o.id', 'e.organisation_id')
          .select(['e.id', 'e.organisation_id', 'e.events', 'e.chat_offset', 'o.latest_offset'])
          .$if(of !== undefined, (q) => q.where('e.organisation_id', 'in', of ?? []))
          .where('e.enabled', '=', 1)
          .whereRef('o.latest_offset', '>', 'e.chat_offset')
          .orderBy('e.id')
          .limit(limit)
          .execute();
        return rows.map((r) => ({
          id: r.id,
          organisationId: r.organisation_id,
          events: Events.parse(JSON.parse(r.events)),
          chatOffset: r.chat_offset,
          latestOffset: r.latest_offset,
        }));
      },

      /**
       * Moves the endpoint's cursor from `from` to `to` and queues `deliveries` (its messages in
       * between), in one transaction; false, with nothing queued, when the cursor was no longer at
       * `from` (another instance queued them first).
       */
      async advance(
        endpointId: string,
        from: number,
        to: number,
        deliveries: readonly NewDelivery[],
        at: string,
      ): Promise<boolean> {
        return db.transaction().execute(async (tx) => {
          const moved = await tx
            .updateTable('webhook_endpoints')
            .set({ chat_offset: to })
            .where('id', '=', endpointId)
            .where('chat_offset', '=', from)
            .executeTakeFirst();
          if (moved.numUpdatedRows === 0n) return false;
          await enqueueIn(tx, deliveries, at);
          return true;
        });
      },
    },

    deliveries: {
      /**
       * Takes up to `limit` due deliveries off the queue in one transaction: each becomes in flight
       * until `claimUntil`, when it is due again if its attempt was never recorded (its instance
       * stopped or died mid-attempt; receivers dedupe by event id). On PostgreSQL rows another
       * instance is claiming are skipped, so no delivery is sent twice at once.
       */
      async claimDue(now: string, limit: number, claimUntil: string): Promise<DueDelivery[]> {
        return db.transaction().execute(async (tx) => {
          const rows = await tx
            .selectFrom('webhook_deliveries')
            .innerJoin('webhook_endpoints', 'webhook_endpoints.id', 'webhook_deliveries.endpoint_id')
            .selectAll('webhook_deliveries')
            .select(['webhook_endpoints.url', 'webhook_endpoints.secret', 'webhook_endpoints.enabled'])
            .where('webhook_deliveries.status', 'in', ['pending', 'delivering'])
            .where('webhook_deliveries.next_attempt_at', '<=', now)
            .orderBy('webhook_deliveries.next_attempt_at')
            .limit(limit)
            .$if(isPostgres(tx), (q) => q.forUpdate(['webhook_deliveries']).skipLocked())
            .execute();
          if (rows.length === 0) return [];
          await tx
            .updateTable('webhook_deliveries')
            .set({ status: 'delivering', next_attempt_at: claimUntil })
            .where(
              'id',
              'in',
              rows.map((r) => r.id),
            )
            .execute();
          return rows.map((r) => ({
            id: r.id,
            endpointId: r.endpoint_id,
            organisationId: r.organisation_id,
            eventId: r.event_id,
            eventType: WebhookEventTypeSchema.parse(r.event_type),
            payload: r.payload,
            attempts: r.attempts,
            url: r.url,
            secret: r.secret,
            enabled: r.enabled === 1,
          }));
        });
      },

      /** When the next delivery is due (a pending one, or a claim running out); null when none waits. */
      async nextDueAt(): Promise<string | null> {
        const r = await db
          .selectFrom('webhook_deliveries')
          .select((eb) => eb.fn.min('next_attempt_at').as('at'))
          .where('status', 'in', ['pending', 'delivering'])
          .executeTakeFirst();
        return r?.at ?? null;
      },

      /**
       * One attempt's outcome, in one transaction: the log row, the delivery's new state, and the
       * endpoint's count of failures in a row (reset by a success; a delivery failing for good adds
       * one, and enough of them turn the endpoint off).
       */
      async record(result: AttemptResult): Promise<void> {
        await db.transaction().execute(async (tx) => {
          await tx
            .insertInto('webhook_attempts')
            .values({
              id: result.attemptId,
              delivery_id: result.deliveryId,
              endpoint_id: result.endpointId,
              attempt: result.attempt,
              at: result.at,
              outcome: result.outcome,
              response_status: result.responseStatus,
              duration_ms: result.durationMs,
              error: result.error,
            })
            .execute();
          await tx
            .updateTable('webhook_deliveries')
            .set({
              attempts: result.attempt,
              status:
                result.outcome === 'retrying' ? 'pending' : result.outcome === 'succeeded' ? 'succeeded' : 'failed',
              ...(result.nextAttemptAt === null ? {} : { next_attempt_at: result.nextAttemptAt }),
            })
            .where('id', '=', result.deliveryId)
            .execute();
          if (result.outcome === 'succeeded') {
            await tx
              .updateTable('webhook_endpoints')
              .set({ consecutive_failures: 0 })
              .where('id', '=', result.endpointId)
              .execute();
          } else if (result.outcome === 'failed') {
            await tx
              .updateTable('webhook_endpoints')
              .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
              .where('id', '=', result.endpointId)
              .execute();
            await tx
              .updateTable('webhook_endpoints')
              .set({ enabled: 0, disabled_reason: DISABLED_FOR_FAILURES })
              .where('id', '=', result.endpointId)
              .where('enabled', '=', 1)
              .where('consecutive_failures', '>=', result.disableAfterFailures)
              .execute();
          }
        });
      },

      /** An endpoint's log, newest attempt first. */
      async attempts(organisationId: string, endpointId: string, limit: number): Promise<WebhookAttempt[]> {
        const rows = await db
          .selectFrom('webhook_attempts')
          .innerJoin('webhook_deliveries', 'webhook_deliveries.id', 'webhook_attempts.delivery_id')
          .selectAll('webhook_attempts')
          .select(['webhook_deliveries.event_id', 'webhook_deliveries.event_type'])
          .where('webhook_deliveries.organisation_id', '=', organisationId)
          .where('webhook_attempts.endpoint_id', '=', endpointId)
          .orderBy('webhook_attempts.at', 'desc')
          .orderBy('webhook_attempts.attempt', 'desc')
          .limit(limit)
          .execute();
        return rows.map((r) => ({
          id: r.id,
          eventId: r.event_id,
          eventType: WebhookEventTypeSchema.parse(r.event_type),
          attempt: r.attempt,
          at: r.at,
          outcome: r.outcome,
          responseStatus: r.response_status,
          durationMs: r.duration_ms,
          error: r.error,
        }));
      },
    },
  };
}

export type IntegrationStore = ReturnType<typeof integrationStore>;
