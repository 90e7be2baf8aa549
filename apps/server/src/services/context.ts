import { randomUUID } from 'node:crypto';
import {
  uuidv7,
  type ApiKeyScope,
  type AuditActor,
  type AuditTarget,
  type RequestOrigin,
  type User,
} from '@tandem/shared';

export type { RequestOrigin } from '@tandem/shared';

/** The API key a request came with: it acts as its own service account (`Caller.user`). */
export type ApiKeyGrant = { readonly id: string; readonly name: string; readonly scopes: readonly ApiKeyScope[] };

/**
 * The authenticated caller of a request or WebSocket. Every service call is scoped by it.
 * `origin` is where this request came from (the audit log records it). With `apiKey`, the caller
 * is an integration: `user` is the key's service account, and the HTTP layer has already checked
 * that the route takes API keys and the key holds its scope.
 */
export type Caller = {
  readonly user: User;
  readonly sessionId: string;
  readonly origin: RequestOrigin;
  readonly apiKey?: ApiKeyGrant;
};

/** The caller as others are told who did something: id and name only. */
export const whoOf = (caller: Caller): { readonly id: string; readonly name: string } => ({
  id: caller.user.id,
  name: caller.user.name,
});

/** A random id (UUIDv4, 122 random bits): it says nothing, not even when it was made. */
export const newId = (): string => randomUUID();
/**
 * A time-ordered id (UUIDv7, packages/shared `uuidv7`), for what the server names itself where
 * clients name theirs so: a message's `clientId` (the desktop cache's unique index, and the
 * server's per conversation, append instead of scattering: BENCHMARKS.md B4) and records whose
 * creation time is shown beside them anyway (`createdAt`). Its first 48 bits are that time, so
 * not for anything whose age must not show, nor for secrets (tokens have their own).
 */
export const orderedId = (): string => uuidv7();
export const nowIso = (): string => new Date().toISOString();

/** Rows a search that judges each hit (who may read it) reads at a time, and at most for one answer. */
export const SEARCH_PAGE = 200;
export const SEARCH_SCAN = 5_000;

export const isOrgAdmin = (caller: Caller): boolean => caller.user.role === 'owner' || caller.user.role === 'admin';

/** How a person appears as the actor or target of an audit entry: named as they were at the time. */
export const personLabel = (user: User): string => `${user.name} <${user.email}>`;
export const auditActor = (caller: Caller): AuditActor =>
  caller.apiKey === undefined
    ? { kind: 'person', id: caller.user.id, label: personLabel(caller.user) }
    : { kind: 'api_key', id: caller.apiKey.id, label: caller.apiKey.name };

/** A person as the target of an audit entry. */
export const personTarget = (user: User): AuditTarget => ({ kind: 'person', id: user.id, label: personLabel(user) });
