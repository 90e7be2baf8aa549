import type { AuditAction, AuditActor, AuditDetail, AuditEntry, AuditFilter } from '@tandem/shared';
import { translateNow } from '../i18n/current.ts';
import { AUDIT_ACTION_LABELS } from '../i18n/locales/auditActions.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import type { Translate } from '../i18n/useT.ts';

/** How each action reads in the table and the action filter. */
export const ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'auth.signed_up': 'Signed up',
  'auth.sign_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.sign_out': 'Signed out',
  'auth.refresh_reused': 'Stolen session refused',
  'auth.guest_joined': 'Guest joined by link',
  'person.created': 'Person added',
  'person.updated': 'Person changed',
  'person.role_changed': 'Role changed',
  'person.deactivated': 'Person deactivated',
  'person.reactivated': 'Person reactivated',
  'person.deleted': 'Person deleted',
  'organisation.settings_changed': 'Organisation settings changed',
  'meeting.locked': 'Meeting locked',
  'meeting.unlocked': 'Meeting unlocked',
  'meeting.ended': 'Meeting ended',
  'meeting.participant_removed': 'Participant removed',
  'provider.connected': 'Account connected',
  'provider.revoked': 'Account disconnected',
  'sso.configured': 'Single sign-on configured',
  'sso.removed': 'Single sign-on turned off',
  'sso.domain_added': 'SSO domain added',
  'sso.domain_verified': 'SSO domain verified',
  'sso.domain_removed': 'SSO domain removed',
  'scim.token_created': 'Provisioning token created',
  'scim.token_revoked': 'Provisioning token revoked',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'webhook.created': 'Webhook created',
  'webhook.updated': 'Webhook changed',
  'webhook.deleted': 'Webhook deleted',
  'recording.started': 'Recording started',
  'recording.stopped': 'Recording stopped',
  'recording.deleted': 'Recording deleted',
  'conversation.members_added': 'People added to a conversation',
  'conversation.member_removed': 'Person removed from a conversation',
  'conversation.member_left': 'Person left a conversation',
  'conversation.member_role_changed': "Conversation member's role changed",
  'audit.exported': 'Audit log exported',
  'notes.item_confirmed': 'Meeting notes item confirmed',
  'notes.item_dismissed': 'Meeting notes item dismissed',
  'page.field_delegated': 'Page field delegated',
  'page.delegation_finished': 'Page field delegation finished',
  'page.expert_asked': 'Expert asked for from a page',
  'page.expert_answered': 'Expert answered an ask',
  'phone.numbers_changed': 'Dial-in numbers changed',
  'phone.dialled_out': 'Phone called into a meeting',
  'phone.bridge_started': 'Audio bridge started',
  'phone.bridge_stopped': 'Audio bridge stopped',
  'webinar.panelist_changed': 'Webinar attendee brought on stage or back',
  'webinar.registrant_decided': 'Webinar registrant approved, denied or revoked',
  'stream.started': 'Live stream started',
  'stream.stopped': 'Live stream stopped',
};

/** An action as the language shown reads it (English for the locales made from English). */
export function actionLabel(action: AuditAction, locale: string): string {
  return locale === 'de' || locale === 'ja' ? AUDIT_ACTION_LABELS[locale][action] : ACTION_LABELS[action];
}

/** The filter form as typed: times as `<input type="datetime-local">` gives them (local time). */
export type AuditForm = {
  readonly action: AuditAction | '';
  readonly actor: string;
  readonly target: string;
  readonly from: string;
  readonly to: string;
};

export const EMPTY_FORM: AuditForm = { action: '', actor: '', target: '', from: '', to: '' };

/** A local date and time as an instant; `to` takes its whole minute. Undefined for nothing or nonsense. */
function instant(local: string, endOfMinute: boolean): string | undefined {
  if (local === '') return undefined;
  const at = new Date(local).getTime();
  if (Number.isNaN(at)) return undefined;
  return new Date(endOfMinute ? at + 59_999 : at).toISOString();
}

/** What the server is asked for: empty fields are no filter. */
export function filterOf(form: AuditForm): AuditFilter {
  const actor = form.actor.trim();
  const target = form.target.trim();
  const from = instant(form.from, false);
  const to = instant(form.to, true);
  return {
    ...(form.action === '' ? {} : { action: form.action }),
    ...(actor === '' ? {} : { actor }),
    ...(target === '' ? {} : { target }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

const ACTOR_KINDS: Readonly<Record<AuditActor['kind'], MessageId | null>> = {
  person: null,
  api_key: 'audit.actor.apiKey',
  scim: 'audit.actor.scim',
  system: 'audit.actor.system',
  anonymous: 'audit.actor.anonymous',
};

/** Who acted, with what kind of actor when it is not a person. */
export function actorText(actor: AuditActor, t: Translate = translateNow): string {
  const id = ACTOR_KINDS[actor.kind];
  if (id === null) return actor.label;
  const kind = t(id);
  return actor.label === '' ? kind : t('audit.actor', { kind, label: actor.label });
}

/** `fields: name,email` → `fields: name, email; from: member` */
export function detailText(detail: AuditDetail): string {
  return Object.entries(detail)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value.replace(/,/g, ', ') : String(value)}`)
    .join('; ');
}

/** The next page after what is shown; an entry already shown (the log grew meanwhile) appears once. */
export function withPage(shown: readonly AuditEntry[], page: readonly AuditEntry[]): AuditEntry[] {
  const seen = new Set(shown.map((e) => e.id));
  return [...shown, ...page.filter((e) => !seen.has(e.id))];
}
