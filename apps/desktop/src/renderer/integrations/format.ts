import type { ApiKey, WebhookAttempt, WebhookEndpoint } from '@tandem/shared';
import { translateNow } from '../i18n/current.ts';
import type { MessageId } from '../i18n/locales/en.ts';
import type { Translate } from '../i18n/useT.ts';

const OUTCOME_LABELS: Readonly<Record<WebhookAttempt['outcome'], MessageId>> = {
  succeeded: 'integrations.outcome.succeeded',
  retrying: 'integrations.outcome.retrying',
  failed: 'integrations.outcome.failed',
};

/** One line of the delivery log, as read out: what, which attempt, how it went, and why. */
export function attemptText(attempt: WebhookAttempt, t: Translate = translateNow): string {
  const parts = [
    attempt.eventType,
    t('integrations.attempt', { number: attempt.attempt }),
    t(OUTCOME_LABELS[attempt.outcome]),
    attempt.responseStatus === null ? t('integrations.noAnswer') : `HTTP ${attempt.responseStatus}`,
    `${attempt.durationMs} ms`,
  ];
  return attempt.error === null || attempt.outcome === 'succeeded'
    ? parts.join(' · ')
    : `${parts.join(' · ')} — ${attempt.error}`;
}

export function keyStatus(key: ApiKey, when: (iso: string) => string, t: Translate = translateNow): string {
  if (key.revokedAt !== null) return t('integrations.key.revoked', { when: when(key.revokedAt) });
  return key.lastUsedAt === null
    ? t('integrations.key.neverUsed')
    : t('integrations.key.lastUsed', { when: when(key.lastUsedAt) });
}

export function endpointStatus(endpoint: WebhookEndpoint, t: Translate = translateNow): string {
  if (endpoint.enabled) return t('ui.on');
  return endpoint.disabledReason === null
    ? t('ui.off')
    : t('integrations.endpoint.offBecause', { reason: endpoint.disabledReason });
}

/** A list with one item replaced by id (or added at the front). */
export const withItem = <T extends { readonly id: string }>(items: readonly T[], item: T): T[] =>
  items.some((i) => i.id === item.id) ? items.map((i) => (i.id === item.id ? item : i)) : [item, ...items];
