import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { ChatEventSchema, ConversationSchema } from './chat.ts';
import { IdSchema, TimestampSchema } from './common.ts';
import { DecisionSchema } from './decisions.ts';
import { MeetingSchema } from './meetings.ts';
import type { RouteName } from './routes.ts';

/**
 * Integrations (issue 13): organisation API keys with scopes, and outgoing webhooks.
 *
 * - An API key (`tdm_…`) is shown once, when it is made; the server keeps only its hash. A request
 *   with `Authorization: Bearer tdm_…` acts as the key's own service account of the organisation,
 *   and only on the routes `API_KEY_ROUTE_SCOPES` names, with a scope the key holds; any other
 *   route answers 403 `insufficient_scope`.
 * - A webhook endpoint receives the events it subscribed to as `POST` of a `WebhookEvent` (JSON),
 *   signed `Tandem-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" keyed with the
 *   endpoint's secret>`; `Tandem-Event-Id` is the event's id, the same on every retry.
 */

export const API_KEY_SCOPES = [
  'meetings:read',
  'meetings:write',
  'chat:read',
  'chat:write',
  'decisions:read',
  'decisions:write',
  'people:read',
  'audit:read',
  'pages:write',
] as const;
export const ApiKeyScopeSchema = lazySchema(() => z.enum(API_KEY_SCOPES));
export type ApiKeyScope = z.infer<typeof ApiKeyScopeSchema>;

/** What each scope lets a key do, for the people who grant it. */
export const API_KEY_SCOPE_NAMES: Readonly<Record<ApiKeyScope, string>> = {
  'meetings:read': 'Read meetings and their attendance',
  'meetings:write': 'Create, change and cancel meetings',
  'chat:read': 'Read channels and chat history',
  'chat:write': 'Create channels and post messages',
  'decisions:read': 'Read decisions',
  'decisions:write': 'Record and change decisions',
  'people:read': 'Read the people of the organisation',
  'audit:read': 'Read the audit log',
  'pages:write': "Mint page tokens for the host app's pages and verify their submits",
};

/**
 * The routes an API key may call, and the scope each needs. Every other route refuses API keys
 * (people, settings, sign-in, integrations themselves: a key never makes keys). The audit log's
 * export (`GET /audit/export`, outside this table) asks for `audit:read` too.
 */
export const API_KEY_ROUTE_SCOPES: Readonly<Partial<Record<RouteName, ApiKeyScope>>> = {
  listMeetings: 'meetings:read',
  getMeeting: 'meetings:read',
  attendance: 'meetings:read',
  createMeeting: 'meetings:write',
  updateMeeting: 'meetings:write',
  cancelMeeting: 'meetings:write',
  listConversations: 'chat:read',
  getConversation: 'chat:read',
  history: 'chat:read',
  createChannel: 'chat:write',
  sendMessage: 'chat:write',
  editMessage: 'chat:write',
  deleteMessage: 'chat:write',
  listDecisions: 'decisions:read',
  getDecision: 'decisions:read',
  createDecision: 'decisions:write',
  updateDecision: 'decisions:write',
  listUsers: 'people:read',
  getUser: 'people:read',
  listAudit: 'audit:read',
  createPageToken: 'pages:write',
  verifyPage: 'pages:write',
};

/** `tdm_` and 43 characters of base64url (32 random bytes). */
export const API_KEY_PREFIX = 'tdm_';
export const ApiKeySecretSchema = lazySchema(() => z.string().regex(/^tdm_[A-Za-z0-9_-]{43}$/));

const Scopes = lazySchema(() =>
  z
    .array(ApiKeyScopeSchema)
    .min(1)
    .max(API_KEY_SCOPES.length)
    .refine((scopes) => new Set(scopes).size === scopes.length, 'each scope once'),
);

export const ApiKeySchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    name: z.string(),
    /** The key's first characters (`tdm_AbCd…`), to recognise it by; never enough to use it. */
    prefix: z.string(),
    scopes: z.array(ApiKeyScopeSchema),
    createdBy: IdSchema,
    createdAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable(),
    revokedAt: TimestampSchema.nullable(),
  }),
);
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const CreateApiKeyRequestSchema = lazySchema(() =>
  z.strictObject({
    name: z.string().trim().min(1).max(100),
    scopes: Scopes,
  }),
);
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequestSchema>;

/** The one answer that carries the key itself: it is never shown again. */
export const CreatedApiKeySchema = lazySchema(() => z.object({ apiKey: ApiKeySchema, key: ApiKeySecretSchema }));
export type CreatedApiKey = z.infer<typeof CreatedApiKeySchema>;

export const ApiKeyListSchema = lazySchema(() => z.object({ apiKeys: z.array(ApiKeySchema) }));
export const ApiKeyParamsSchema = lazySchema(() => z.object({ apiKeyId: IdSchema }));

export const WEBHOOK_EVENT_TYPES = [
  'meeting.started',
  'meeting.ended',
  'message.created',
  'decision.created',
  'decision.updated',
] as const;
export const WebhookEventTypeSchema = lazySchema(() => z.enum(WEBHOOK_EVENT_TYPES));
export type WebhookEventType = z.infer<typeof WebhookEventTypeSchema>;

export const WEBHOOK_SIGNATURE_HEADER = 'Tandem-Signature';
export const WEBHOOK_EVENT_ID_HEADER = 'Tandem-Event-Id';

const Envelope = {
  /** The same on every delivery attempt and every endpoint: receivers dedupe by it. */
  id: IdSchema,
  created: TimestampSchema,
  /** The organisation the event happened in; only its own endpoints receive it. */
  organisation: IdSchema,
};
const MessageEventSchema = ChatEventSchema.options[0];

/** What an endpoint receives, by event type. */
export const WebhookEventSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.object({ ...Envelope, type: z.literal('meeting.started'), data: z.object({ meeting: MeetingSchema }) }),
    z.object({ ...Envelope, type: z.literal('meeting.ended'), data: z.object({ meeting: MeetingSchema }) }),
    z.object({
      ...Envelope,
      type: z.literal('message.created'),
      data: z.object({ conversation: ConversationSchema, message: MessageEventSchema }),
    }),
    z.object({ ...Envelope, type: z.literal('decision.created'), data: z.object({ decision: DecisionSchema }) }),
    z.object({ ...Envelope, type: z.literal('decision.updated'), data: z.object({ decision: DecisionSchema }) }),
  ]),
);
export type WebhookEvent = z.infer<typeof WebhookEventSchema>;
export type WebhookEventData<T extends WebhookEventType> = Extract<WebhookEvent, { type: T }>['data'];

const EventTypes = lazySchema(() =>
  z
    .array(WebhookEventTypeSchema)
    .min(1)
    .max(WEBHOOK_EVENT_TYPES.length)
    .refine((types) => new Set(types).size === types.length, 'each event once'),
);
/** http(s) only; the server also refuses addresses inside its own network (see the server README). */
const TargetUrl = lazySchema(() => z.url({ protocol: /^https?$/ }).max(2000));

export const WebhookEndpointSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    url: z.string(),
    description: z.string(),
    events: z.array(WebhookEventTypeSchema),
    /** False after too many failed deliveries in a row (`disabledReason` says so) or by an admin. */
    enabled: z.boolean(),
    disabledReason: z.string().nullable(),
    /** Deliveries that failed for good since the last one that succeeded. */
    consecutiveFailures: z.number().int().nonnegative(),
    createdBy: IdSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  }),
);
export type WebhookEndpoint = z.infer<typeof WebhookEndpointSchema>;

export const CreateWebhookRequestSchema = lazySchema(() =>
  z.strictObject({
    url: TargetUrl,
    events: EventTypes,
    description: z.string().trim().max(200).default(''),
  }),
);
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

export const UpdateWebhookRequestSchema = lazySchema(() =>
  z
    .strictObject({
      url: TargetUrl.optional(),
      events: EventTypes.optional(),
      description: z.string().trim().max(200).optional(),
      /** Turning an endpoint back on also forgets its failures. */
      enabled: z.boolean().optional(),
    })
    .refine((patch) => Object.keys(patch).length > 0, 'nothing to change'),
);
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequestSchema>;

/** `whsec_` and 43 characters of base64url: the HMAC key, shown once. */
export const CreatedWebhookSchema = lazySchema(() =>
  z.object({
    endpoint: WebhookEndpointSchema,
    secret: z.string().regex(/^whsec_[A-Za-z0-9_-]{43}$/),
  }),
);
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const WebhookListSchema = lazySchema(() => z.object({ endpoints: z.array(WebhookEndpointSchema) }));
export const WebhookParamsSchema = lazySchema(() => z.object({ webhookId: IdSchema }));

/**
 * One attempt to deliver one event to one endpoint. `retrying`: it failed and another attempt is
 * planned; `failed`: it failed and was the last.
 */
export const WebhookAttemptSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    eventId: IdSchema,
    eventType: WebhookEventTypeSchema,
    attempt: z.number().int().positive(),
    at: TimestampSchema,
    outcome: z.enum(['succeeded', 'retrying', 'failed']),
    /** The receiver's HTTP status; null when none came (refused, unreachable, timed out). */
    responseStatus: z.number().int().nullable(),
    durationMs: z.number().int().nonnegative(),
    error: z.string().nullable(),
  }),
);
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;

export const WebhookDeliveriesQuerySchema = lazySchema(() =>
  z.object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
  }),
);
export const WebhookAttemptListSchema = lazySchema(() => z.object({ attempts: z.array(WebhookAttemptSchema) }));
