import { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, type WebhookAttempt } from '@tandem/shared';
import { postPinned } from '../outgoing/post.ts';
import { signatureHeader } from '../outgoing/signature.ts';
import { TargetRefused, resolveTarget, systemLookup, type TargetPolicy } from '../outgoing/target.ts';
import type { DueDelivery, Store } from '../store/index.ts';
import { newId } from './context.ts';
import { queueWorker, retryDelayMs } from './queueWorker.ts';
import type { Log } from './realtime.ts';

export type DeliverySettings = TargetPolicy & {
  /** Attempts per delivery, the first included. */
  readonly maxAttempts: number;
  /** The wait before the second attempt; doubled for each further one, with jitter. */
  readonly retryBaseMs: number;
  /** One attempt's whole exchange. */
  readonly timeoutMs: number;
  /** Deliveries failing for good in a row before an endpoint is turned off. */
  readonly disableAfterFailures: number;
};

/** Without configuration: public targets only, 8 attempts over about 21 minutes, 10 s per attempt. */
export const defaultDeliverySettings: DeliverySettings = {
  allowPrivate: false,
  lookup: systemLookup,
  maxAttempts: 8,
  retryBaseMs: 10_000,
  timeoutMs: 10_000,
  disableAfterFailures: 20,
};

/** Deliveries sent at once; the rest wait for the next round. */
const BATCH = 8;

/** Network errors as people read them in the log, without Node's stack or local details. */
function reasonOf(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ECONNRESET') return 'connection reset';
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return `TLS failed (${code})`;
  return code === '' ? 'the request failed' : `the request failed (${code})`;
}

/**
 * The in-process worker over the persisted queue (`webhook_deliveries`): it sends what is due,
 * logs each attempt, retries network errors, timeouts, 5xx and 429 with backoff until
 * `maxAttempts`, and turns off an endpoint after `disableAfterFailures` deliveries in a row
 * failed for good. Each attempt resolves and checks the target again (the DNS answer of the
 * registration proves nothing later) and connects to the address it checked. Several instances
 * share the queue: each claims what it sends, and a claim not recorded in time (the instance
 * stopped or died mid-attempt) makes the delivery due again, so nothing queued is lost (receivers
 * dedupe by event id). The rounds are `queueWorker`'s.
 */
export function deliveryWorker(store: Store, settings: DeliverySettings, log: Log) {
  const queue = store.integrations.deliveries;

  async function attempt(d: DueDelivery): Promise<void> {
    const number = d.attempts + 1;
    const at = new Date().toISOString();
    const started = performance.now();
    let status: number | null = null;
    let error: string | null = null;
    let retryable = false;
    try {
      if (!d.enabled) throw new TargetRefused('the endpoint is turned off');
      const url = new URL(d.url);
      const to = await resolveTarget(url, settings);
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'Tandem-Webhooks/1',
        [WEBHOOK_SIGNATURE_HEADER.toLowerCase()]: signatureHeader(d.secret, d.payload, Math.floor(Date.now() / 1000)),
        [WEBHOOK_EVENT_ID_HEADER.toLowerCase()]: d.eventId,
      };
      status = await postPinned(url, to, d.payload, headers, settings.timeoutMs);
      retryable = status >= 500 || status === 429;
      if (status < 200 || status >= 300) error = `answered ${status}`;
    } catch (e) {
      error = e instanceof TargetRefused ? e.message : reasonOf(e, settings.timeoutMs);
      retryable = !(e instanceof TargetRefused);
    }
    const outcome: WebhookAttempt['outcome'] =
      error === null ? 'succeeded' : retryable && number < settings.maxAttempts ? 'retrying' : 'failed';
    await queue.record({
      deliveryId: d.id,
      endpointId: d.endpointId,
      attemptId: newId(),
      attempt: number,
      at,
      outcome,
      responseStatus: status,
      durationMs: Math.round(performance.now() - started),
      error,
      nextAttemptAt:
        outcome === 'retrying' ? new Date(Date.now() + retryDelayMs(number, settings.retryBaseMs)).toISOString() : null,
      disableAfterFailures: settings.disableAfterFailures,
    });
  }

  // A claim outlasts an attempt's whole exchange (and its resolving) with room to spare.
  return queueWorker('webhook delivery', queue, { batch: BATCH, claimMs: settings.timeoutMs * 3 }, attempt, log);
}

export type DeliveryWorker = ReturnType<typeof deliveryWorker>;
