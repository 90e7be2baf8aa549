import { randomBytes } from 'node:crypto';
import {
  API_KEY_PREFIX,
  ApiKeySecretSchema,
  type ApiKey,
  type CreateApiKeyRequest,
  type CreatedApiKey,
  type RequestOrigin,
  type User,
} from '@tandem/shared';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { hashToken, NO_PASSWORD } from './auth.ts';
import { isOrgAdmin, newId, nowIso, type Caller } from './context.ts';
import { forbidden, notFound, unauthenticated } from './errors.ts';

/** How many characters of a key its list shows: `tdm_` and eight more. */
const SHOWN_PREFIX = API_KEY_PREFIX.length + 8;
/** `last used` is written at most this often per key, not on every request. */
const TOUCH_EVERY_MS = 60_000;
/** Keys an organisation may hold, revoked ones included (they stay listed). */
const MAX_KEYS = 100;

/**
 * Organisation API keys. Each key acts as its own service account: a `users` row of the
 * organisation with role `admin`, no password, left out of the people list, named after the key.
 * Services therefore see an ordinary `Caller` (what a key writes has an author, every query stays
 * scoped by the organisation), while what the key may call is decided before any service runs:
 * the route must name a scope in `API_KEY_ROUTE_SCOPES` and the key must hold it. Revoking a key
 * deactivates its account in the same transaction.
 */
export function apiKeyService(store: Store, audit: AuditService) {
  function asAdmin(caller: Caller): void {
    if (!isOrgAdmin(caller)) throw forbidden('only owners and admins manage API keys');
  }

  return {
    async list(caller: Caller): Promise<ApiKey[]> {
      asAdmin(caller);
      return store.integrations.apiKeys.list(caller.user.organisationId);
    },

    async create(caller: Caller, req: CreateApiKeyRequest): Promise<CreatedApiKey> {
      asAdmin(caller);
      const organisationId = caller.user.organisationId;
      if ((await store.integrations.apiKeys.list(organisationId)).length >= MAX_KEYS) {
        throw forbidden(`an organisation holds at most ${MAX_KEYS} API keys; revoke one first`);
      }
      const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
      const now = nowIso();
      const apiKey: ApiKey = {
        id: newId(),
        name: req.name,
        prefix: key.slice(0, SHOWN_PREFIX),
        scopes: req.scopes,
        createdBy: caller.user.id,
        createdAt: now,
        lastUsedAt: null,
        revokedAt: null,
      };
      const account: User = {
        id: newId(),
        organisationId,
        email: `api-key-${apiKey.id}@integrations.invalid`,
        name: `${req.name} (integration)`,
        role: 'admin',
        status: 'active',
        createdAt: now,
      };
      await store.integrations.apiKeys.create(
        { ...apiKey, organisationId, secretHash: hashToken(key) },
        account,
        NO_PASSWORD,
      );
      await audit.byCaller(caller, 'api_key.created', {
        target: { kind: 'api_key', id: apiKey.id, label: apiKey.name },
        detail: { prefix: apiKey.prefix, scopes: apiKey.scopes.join(' ') },
      });
      return { apiKey, key };
    },

    async revoke(caller: Caller, apiKeyId: string): Promise<void> {
      asAdmin(caller);
      const organisationId = caller.user.organisationId;
      const result = await store.integrations.apiKeys.revoke(organisationId, apiKeyId, nowIso());
      if (result === undefined) throw notFound('API key');
      if (!result.changed) return;
      const revoked = result.apiKey;
      await audit.byCaller(caller, 'api_key.revoked', {
        target: { kind: 'api_key', id: revoked.id, label: revoked.name },
        detail: { prefix: revoked.prefix },
      });
    },

    /** The caller a `Bearer tdm_…` stands for; unknown, revoked and malformed keys alike are refused. */
    async authenticate(key: string, origin: RequestOrigin): Promise<Caller> {
      const found = ApiKeySecretSchema.safeParse(key).success
        ? await store.integrations.apiKeys.findLive(hashToken(key))
        : undefined;
      if (found === undefined) throw unauthenticated('the API key is unknown or revoked');
      const { apiKey, user } = found;
      const now = Date.now();
      if (apiKey.lastUsedAt === null || now - Date.parse(apiKey.lastUsedAt) > TOUCH_EVERY_MS) {
        await store.integrations.apiKeys.touch(apiKey.id, new Date(now).toISOString());
      }
      return {
        user,
        sessionId: `api-key:${apiKey.id}`,
        origin,
        apiKey: { id: apiKey.id, name: apiKey.name, scopes: apiKey.scopes },
      };
    },
  };
}

export type ApiKeyService = ReturnType<typeof apiKeyService>;
