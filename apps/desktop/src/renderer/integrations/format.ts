import type { ApiKey, WebhookAttempt, WebhookEndpoint } from '@tandem/shared';

const OUTCOME_LABELS: Readonly<Record<WebhookAttempt['outcome'], string>> = {
  succeeded: 'Delivered',
  retrying: 'Failed, will retry',
  failed: 'Failed',
};

/** One line of the delivery log, as read out: what, which attempt, how it went, and why. */
export function attemptText(attempt: WebhookAttempt): string {
  const parts = [
    attempt.eventType,
    `attempt ${attempt.attempt}`,
    OUTCOME_LABELS[attempt.outcome],
    attempt.responseStatus === null ? 'no answer' : `HTTP ${attempt.responseStatus}`,
    `${attempt.durationMs} ms`,
  ];
  return attempt.error === null || attempt.outcome === 'succeeded'
    ? parts.join(' · ')
    : `${parts.join(' · ')} — ${attempt.error}`;
}

export function keyStatus(key: ApiKey, when: (iso: string) => string): string {
  if (key.revokedAt !== null) return `Revoked ${when(key.revokedAt)}`;
  return key.lastUsedAt === null ? 'Never used' : `Last used ${when(key.lastUsedAt)}`;
}

export function endpointStatus(endpoint: WebhookEndpoint): string {
  if (endpoint.enabled) return 'On';
  return endpoint.disabledReason === null ? 'Off' : `Off: ${endpoint.disabledReason}`;
}

/** A list with one item replaced by id (or added at the front). */
export const withItem = <T extends { readonly id: string }>(items: readonly T[], item: T): T[] =>
  items.some((i) => i.id === item.id) ? items.map((i) => (i.id === item.id ? item : i)) : [item, ...items];
