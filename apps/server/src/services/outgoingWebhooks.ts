import {
  type Conversation,
  type CreateWebhookRequest,
  type CreatedWebhook,
  type UpdateWebhookRequest,
  type WebhookAttempt,
  type WebhookEndpoint,
} from '@tandem/shared';
import { newSigningSecret } from '../outgoing/signature.ts';
import { TargetRefused, checkTargetForm, resolveTarget } from '../outgoing/target.ts';
import { deliveriesOf, type EndpointBehind, type NewDelivery, type Store } from '../store/index.ts';
import type { AuditService } from './audit.ts';
import { isOrgAdmin, newId, nowIso, type Caller } from './context.ts';
import { badRequest, forbidden, notFound } from './errors.ts';
import type { Log } from './realtime.ts';
import { deliveryWorker, type DeliverySettings } from './webhookDelivery.ts';

/** Endpoints an organisation may register. */
const MAX_ENDPOINTS = 25;

/** Endpoints taken in one read of those behind; a round reads again while any was left behind. */
const ENDPOINTS_AT_ONCE = 50;
/** Organisations whose endpoints are read at once. */
const ORGANISATIONS_AT_ONCE = 500;
/** Events of an organisation's change stream read at once for one endpoint. */
const EVENTS_AT_ONCE = 200;
/** Messages written on this instance are queued this long after the first of them, together. */
const MESSAGES_WAIT_MS = 20;

/**
 * `message.created` queued from the organisation's change stream, so that a message is queued
 * once for each endpoint even when its instance dies between committing it and queueing it: each
 * endpoint keeps the offset up to which its messages are queued, and moving it queues them in the
 * same transaction, only if no other instance moved it first. The instance that wrote a message
 * queues it shortly after (`soon`); the sweep (`run`, a leased job) queues what an instance that
 * died left. An endpoint not subscribed to messages only has its offset moved.
 */
function messageQueue(store: Store, poke: () => void, log: Log) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  /** Queues the endpoint's next messages; whether it is still behind. */
  async function catchUp(e: EndpointBehind): Promise<boolean> {
    const now = nowIso();
    if (!e.events.includes('message.created')) {
      await store.integrations.webhooks.advance(e.id, e.chatOffset, e.latestOffset, [], now);
      return false;
    }
    const changes = await store.chat.changes(e.organisationId, e.chatOffset, e.latestOffset, EVENTS_AT_ONCE);
    const last = changes.at(-1);
    const to = changes.length === EVENTS_AT_ONCE && last !== undefined ? last.offset : e.latestOffset;
    const conversations = new Map<string, Conversation | undefined>();
    const deliveries: NewDelivery[] = [];
    for (const { event } of changes) {
      if (event.type !== 'message') continue;
      if (!conversations.has(event.conversationId))
        conversations.set(event.conversationId, await store.chat.get(e.organisationId, event.conversationId));
      const conversation = conversations.get(event.conversationId);
      if (conversation === undefined) continue;
      const data = { conversation: { ...conversation, latestSeq: event.seq }, message: event };
      deliveries.push(...deliveriesOf(e.organisationId, 'message.created', data, [e.id], now));
    }
    const moved = await store.integrations.webhooks.advance(e.id, e.chatOffset, to, deliveries, now);
    if (moved && deliveries.length > 0) poke();
    return to < e.latestOffset || !moved;
  }

  /** The endpoints of `of` (every organisation: undefined), until none of them is behind. */
  async function catchUpAll(of: readonly string[] | undefined): Promise<void> {
    for (;;) {
      const behind = await store.integrations.webhooks.behind(ENDPOINTS_AT_ONCE, of);
      let left = behind.length === ENDPOINTS_AT_ONCE;
      for (const e of behind) left = (await catchUp(e)) || left;
      if (!left) return;
    }
  }

  /** `catchUpAll`, a bounded number of organisations at a time. */
  async function round(of: readonly string[] | undefined): Promise<void> {
    if (of === undefined) return catchUpAll(undefined);
    for (let i = 0; i < of.length; i += ORGANISATIONS_AT_ONCE) await catchUpAll(of.slice(i, i + ORGANISATIONS_AT_ONCE));
  }

  /** Organisations that wrote messages here since the last round began; every one: `all`. */
  let wrote = new Set<string>();
  let all = false;

  /** One round at a time; asked during one, another after it. */
  function run(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running !== null) {
      again = true;
      return running;
    }
    const of = all ? undefined : [...wrote];
    wrote = new Set();
    all = false;
    const current = round(of)
      .catch((e: unknown) => log('webhook messages not queued', e))
      .finally(() => {
        running = null;
        if (again) {
          again = false;
          void run();
        }
      });
    running = current;
    return current;
  }

  return {
    /** Every organisation's endpoints (the sweep). */
    run(): Promise<void> {
      all = true;
      return run();
    },
    /** The organisation wrote a message: its endpoints are caught up shortly, with others that wrote meanwhile. */
    soon(organisationId: string): void {
      wrote.add(organisationId);
      if (stopped || timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        void run();
      }, MESSAGES_WAIT_MS);
      timer.unref();
    },
    /** No more rounds; waits for the one under way. */
    async stop(): Promise<void> {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      again = false;
      await running;
    },
  };
}

/**
 * Outgoing webhooks: endpoints owners and admins register, and the events of their organisation
 * queued for each endpoint subscribed to them (messages by `messageQueue`, decisions and meetings
 * with their change: store `queueEventIn`), then sent by the delivery worker. A URL is checked
 * when it is registered or changed (form, then every address its host resolves to) and again at
 * each delivery.
 */
export function outgoingWebhookService(store: Store, audit: AuditService, settings: DeliverySettings, log: Log) {
  const worker = deliveryWorker(store, settings, log);
  const messages = messageQueue(store, worker.poke, log);

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

    /** Deliveries were queued with a change that committed (store `queueEventIn`): sent now. */
    queued: worker.poke,
    /** A chat message was written on this instance: its `message.created` are queued shortly. */
    messageWritten: messages.soon,
    /** Queues the messages of every endpoint behind its organisation's change stream (the sweep). */
    queueMessages: messages.run,

    start: () => worker.start(),
    async stop(): Promise<void> {
      await messages.stop();
      await worker.stop();
    },
  };
}

export type OutgoingWebhookService = ReturnType<typeof outgoingWebhookService>;
