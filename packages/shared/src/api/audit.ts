import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';

/**
 * What the audit log records: every security-relevant action, named `<thing>.<what happened>`.
 * A new action is added here first; the log refuses names it does not know.
 */
export const AUDIT_ACTIONS = [
  'auth.signed_up',
  'auth.sign_in',
  'auth.sign_in_failed',
  'auth.sign_out',
  'auth.refresh_reused',
  'auth.guest_joined',
  'person.created',
  'person.updated',
  'person.role_changed',
  'person.deactivated',
  'person.reactivated',
  'person.deleted',
  'organisation.settings_changed',
  'meeting.locked',
  'meeting.unlocked',
  'meeting.ended',
  'meeting.participant_removed',
  'recording.started',
  'recording.stopped',
  'recording.deleted',
  'conversation.members_added',
  'conversation.member_removed',
  'conversation.member_left',
  'conversation.member_role_changed',
  'provider.connected',
  'provider.revoked',
  'sso.configured',
  'sso.removed',
  'sso.domain_added',
  'sso.domain_verified',
  'sso.domain_removed',
  'scim.token_created',
  'scim.token_revoked',
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.updated',
  'webhook.deleted',
  'audit.exported',
  'notes.item_confirmed',
  'notes.item_dismissed',
  'page.field_delegated',
  'page.delegation_finished',
  'page.expert_asked',
  'page.expert_answered',
  'phone.numbers_changed',
  'phone.dialled_out',
  'phone.bridge_started',
  'phone.bridge_stopped',
  'webinar.panelist_changed',
  'webinar.registrant_decided',
  'stream.started',
  'stream.stopped',
] as const;
export const AuditActionSchema = lazySchema(() => z.enum(AUDIT_ACTIONS));
export type AuditAction = z.infer<typeof AuditActionSchema>;

/** Who acted: a person, an integration's API key, the identity provider's SCIM client, or the server itself. */
export const AuditActorKindSchema = lazySchema(() => z.enum(['person', 'api_key', 'scim', 'system', 'anonymous']));
export type AuditActorKind = z.infer<typeof AuditActorKindSchema>;

export const AuditActorSchema = lazySchema(() =>
  z.object({
    kind: AuditActorKindSchema,
    /** The person's or the key's id; null for the system and for someone not (yet) known. */
    id: IdSchema.nullable(),
    /** How the actor was named when it acted (a name and e-mail, a key's name): kept as it was then. */
    label: z.string().max(400),
  }),
);
export type AuditActor = z.infer<typeof AuditActorSchema>;

export const AuditTargetSchema = lazySchema(() =>
  z.object({
    kind: z.string().min(1).max(40),
    id: z.string().min(1).max(200),
    label: z.string().max(400).optional(),
  }),
);
export type AuditTarget = z.infer<typeof AuditTargetSchema>;

/** Where a request came from: the client's address as the server saw it and its User-Agent. */
export const RequestOriginSchema = lazySchema(() =>
  z.object({ address: z.string().max(100), client: z.string().max(400) }),
);
export type RequestOrigin = z.infer<typeof RequestOriginSchema>;

export const AuditDetailSchema = lazySchema(() =>
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
);
export type AuditDetail = z.infer<typeof AuditDetailSchema>;

export const AuditEntrySchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    organisationId: IdSchema,
    at: TimestampSchema,
    action: AuditActionSchema,
    actor: AuditActorSchema,
    target: AuditTargetSchema.nullable(),
    origin: RequestOriginSchema,
    detail: AuditDetailSchema,
  }),
);
export type AuditEntry = z.infer<typeof AuditEntrySchema>;
