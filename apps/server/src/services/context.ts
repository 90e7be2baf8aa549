import { randomUUID } from 'node:crypto';
import type { AuditActor, AuditTarget, RequestOrigin, User } from '@tandem/shared';

export type { RequestOrigin } from '@tandem/shared';

/**
 * The authenticated caller of a request or WebSocket. Every service call is scoped by it.
 * `origin` is where this request came from (the audit log records it).
 */
export type Caller = { readonly user: User; readonly sessionId: string; readonly origin: RequestOrigin };

export const newId = (): string => randomUUID();
export const nowIso = (): string => new Date().toISOString();

export const isOrgAdmin = (caller: Caller): boolean => caller.user.role === 'owner' || caller.user.role === 'admin';

/** How a person appears as the actor or target of an audit entry: named as they were at the time. */
export const personLabel = (user: User): string => `${user.name} <${user.email}>`;
export const auditActor = (caller: Caller): AuditActor => ({
  kind: 'person',
  id: caller.user.id,
  label: personLabel(caller.user),
});

/** A person as the target of an audit entry. */
export const personTarget = (user: User): AuditTarget => ({ kind: 'person', id: user.id, label: personLabel(user) });
