import {
  type CreateWebhookRequest,
  type CreatedWebhook,
  type UpdateWebhookRequest,
  type WebhookAttempt,
  type WebhookEndpoint,
  type WebhookEventData,
  type WebhookEventType,
} from '@tandem/shared';
import { newSigningSecret } from '../outgoing/signature.ts';
import { TargetRefused, checkTargetForm, resolveTarget } from '../outgoing/target.ts';
import type { Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { isOrgAdmin, newId, nowIso, type Caller } from './context.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import type { Log } from './realtime.ts';
import { deliveryWorker, type DeliverySettings } from './webhookDelivery.ts';

/** Endpoints an organisation may register. */
const MAX_ENDPOINTS = 25;

/**
 * Outgoing webhooks: endpoints owners and admins register, and the events of their organisation
 * (`publish`) queued for each endpoint subscribed to them, then sent by the delivery worker. A URL
 * is checked when it is registered or changed (form, then every address its host resolves to) and
 * again at each delivery.
 */
export function outgoingWebhookService(store: Store, audit: AuditService, settings: DeliverySettings, log: Log) {
  const worker = deliveryWorker(store, settings, log);

  function asAdmin(caller: Caller): void {
    if (!isOrgAdmin(caller)) throw forbidden('only owners and admins manage webhooks');
  }

  async function endpointOf(caller: Caller, webhookId: string): Promise<WebhookEndpoint> {
    asAdmin(caller);
    const endpoint = await store.integrations.webhooks.get(caller.user.organisationId, webhookId);
    if (endpoint === undefined) throw notFound('webhook');
    return endpoint;
  }

  /** The URL as it will be stored, or a 400 naming the field and why it is refused. */
  async function checkedUrl(raw: string): Promise<string> {
    try {
      const url = checkTargetForm(raw);
      await resolveTarget(url, settings);
      return url.toString();
    } catch (error) {
      if (!(error instanceof TargetRefused)) throw error;
      throw badRequest(`this webhook URL is refused: ${error.message}`, [{ path: 'url', message: error.message }]);
    }
  }

  return {
    async list(caller: Caller): Promise<WebhookEndpoint[]> {
      asAdmin(caller);
      return store.integrations.webhooks.list(caller.user.organisationId);
    },

    async create(caller: Caller, req: CreateWebhookRequest): Promise<CreatedWebhook> {
      asAdmin(caller);
      const organisationId = caller.user.organisationId;
      if ((await store.integrations.webhooks.count(organisationId)) >= MAX_ENDPOINTS) {
        throw forbidden(`an organisation registers at most ${MAX_ENDPOINTS} webhook endpoints`);
      }
      const url = await checkedUrl(req.url);
      const secret = newSigningSecret();
      const now = nowIso();
      const id = newId();
      await store.integrations.webhooks.insert({
        id,
        organisationId,
        url,
        description: req.description,
        events: req.events,
        secret,
        createdBy: caller.user.id,
        createdAt: now,
        updatedAt: now,
      });
      await audit.byCaller(caller, 'webhook.created', {
        target: { kind: 'webhook', id, label: url },
        detail: { events: req.events.join(' ') },
      });
      const endpoint = await store.integrations.webhooks.get(organisationId, id);
      if (endpoint === undefined) throw notFound('webhook');
      return { endpoint, secret };
    },

    async update(caller: Caller, webhookId: string, patch: UpdateWebhookRequest): Promise<WebhookEndpoint> {
      const before = await endpointOf(caller, webhookId);
      const url = patch.url === undefined ? undefined : await checkedUrl(patch.url);
      const organisationId = caller.user.organisationId;
      await store.integrations.webhooks.update(
        organisationId,
        webhookId,
        {
          ...(url === undefined ? {} : { url }),
          ...(patch.events === undefined ? {} : { events: patch.events }),
          ...(patch.description === undefined ? {} : { description: patch.description }),
          ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
        },
        nowIso(),
      );
      const after = await endpointOf(caller, webhookId);
      await audit.byCaller(caller, 'webhook.updated', {
        target: { kind: 'webhook', id: webhookId, label: after.url },
        detail: {
          fields: Object.keys(patch).sort().join(' '),
          ...(url === undefined || url === before.url ? {} : { previousUrl: before.url }),
          ...(patch.enabled === undefined ? {} : { enabled: patch.enabled }),
        },
      });
      return after;
    },

    async delete(caller: Caller, webhookId: string): Promise<void> {
      const endpoint = await endpointOf(caller, webhookId);
      const organisationId = caller.user.organisationId;
      if (!(await store.integrations.webhooks.delete(organisationId, webhookId))) throw notFound('webhook');
      await audit.byCaller(caller, 'webhook.deleted', {
        target: { kind: 'webhook', id: webhookId, label: endpoint.url },
      });
    },

    async attempts(caller: Caller, webhookId: string, limit: number): Promise<WebhookAttempt[]> {
      const endpoint = await endpointOf(caller, webhookId);
      return store.integrations.deliveries.attempts(caller.user.organisationId, endpoint.id, limit);
    },

    /**
     * Queues an event of the organisation for each of its enabled endpoints subscribed to it (one
     * body, one event id for all of them and every attempt), and wakes the worker. Called after the
     * change it reports has committed.
     */
    async publish<T extends WebhookEventType>(
      organisationId: string,
      type: T,
      data: WebhookEventData<T>,
    ): Promise<void> {
      const endpoints = await store.integrations.webhooks.subscribers(organisationId, type);
      if (endpoints.length === 0) return;
      const now = nowIso();
      const event = { id: newId(), type, created: now, organisation: organisationId, data };
      const payload = JSON.stringify(event);
      await store.integrations.deliveries.enqueue(
        endpoints.map((endpointId) => ({
          id: newId(),
          endpoint_id: endpointId,
          organisation_id: organisationId,
          event_id: event.id,
          event_type: type,
          payload,
          next_attempt_at: now,
        })),
        now,
      );
      worker.poke();
    },

    start: () => worker.start(),
    stop: () => worker.stop(),
  };
}

export type OutgoingWebhookService = ReturnType<typeof outgoingWebhookService>;
