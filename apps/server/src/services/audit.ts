import type { AuditAction, AuditActor, AuditDetail, AuditTarget, RequestOrigin } from '@tandem/shared';
import type { Store } from '../store/index.ts';
import { auditActor, type Caller, newId, nowIso } from './context.ts';

/** One security-relevant action, as a service reports it; the log adds its id and time. */
export type AuditEvent = {
  readonly organisationId: string;
  readonly action: AuditAction;
  readonly actor: AuditActor;
  readonly target?: AuditTarget;
  readonly origin: RequestOrigin;
  readonly detail?: AuditDetail;
};

/**
 * Writes the audit log. `record` is awaited by the action it reports: an action whose entry cannot
 * be written fails rather than happening unrecorded.
 */
export function auditService(store: Store) {
  async function record(event: AuditEvent): Promise<void> {
    await store.audit.append({
      id: newId(),
      organisationId: event.organisationId,
      at: nowIso(),
      action: event.action,
      actor: event.actor,
      target: event.target ?? null,
      origin: event.origin,
      detail: event.detail ?? {},
    });
  }
  return {
    record,
    /** What a signed-in caller (a person or an API key) did in their own organisation, from where they are. */
    byCaller: (
      caller: Caller,
      action: AuditAction,
      about: { readonly target?: AuditTarget; readonly detail?: AuditDetail } = {},
    ): Promise<void> =>
      record({
        organisationId: caller.user.organisationId,
        action,
        actor: auditActor(caller),
        origin: caller.origin,
        ...about,
      }),
  };
}

export type AuditService = ReturnType<typeof auditService>;
