import { z } from 'zod';
import { CreateDecisionRequestSchema, UpdateDecisionRequestSchema } from '../api/decisions.ts';
import { SendMessageRequestSchema } from '../api/chat.ts';
import { SignInRequestSchema } from '../api/identity.ts';
import { CreateMeetingRequestSchema, MeetingSchema } from '../api/meetings.ts';
import { ErrorCodeSchema } from '../errors.ts';
import { ManagedSettingsSchema } from '../policy.ts';
import {
  ChatMessageViewSchema,
  ConnectionStatusSchema,
  ConversationViewSchema,
  CallDetailsSchema,
  DecisionViewSchema,
  JoinOutcomeSchema,
  ScreenSourceSchema,
  SearchHitSchema,
  SessionInfoSchema,
  SettingsSchema,
} from './records.ts';

/**
 * The one IPC contract between the renderer and main. Every channel is `domain:verb`, declared
 * here once with its request and response schema; main validates both, the preload and the
 * renderer's bridge derive their method names and types from it.
 */

const Empty = z.object({}).strict();
const Id = z.string().min(1).max(200);

const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

export const IPC_CHANNELS = {
  /** The session restored from the OS key store at start, or null. */
  'auth:session': channel(Empty, z.object({ session: SessionInfoSchema.nullable() })),
  'auth:signIn': channel(SignInRequestSchema.extend({ serverUrl: z.url() }), SessionInfoSchema),
  'auth:signOut': channel(Empty, Empty),

  /** Cached meetings at once; `meetings:changed` follows when the server answers. */
  'meetings:list': channel(
    Empty,
    z.object({ upcoming: z.array(MeetingSchema), personalRoom: MeetingSchema.nullable() }),
  ),
  'meetings:create': channel(CreateMeetingRequestSchema, MeetingSchema),
  /** `codeOrLink`: a join code, a `tandem://join/<code>` link or an https join link. */
  'meetings:join': channel(
    z.object({ codeOrLink: z.string().trim().min(1).max(2000), viewOnly: z.boolean().optional() }),
    JoinOutcomeSchema,
  ),

  /** Recently opened conversations, from the cache: what renders before the network answers. */
  'chat:conversations': channel(Empty, z.object({ conversations: z.array(ConversationViewSchema) })),
  /** Marks the conversation opened (it renders first next start) and syncs it in the background. */
  'chat:open': channel(z.object({ conversationId: Id }), ConversationViewSchema),
  /** Messages from the cache, oldest first; pending ones last. */
  'chat:list': channel(
    z.object({
      conversationId: Id,
      /** Page backwards: only messages with seq below this. */
      beforeSeq: z.number().int().min(1).optional(),
      limit: z.number().int().min(1).max(500).default(100),
    }),
    z.object({ messages: z.array(ChatMessageViewSchema) }),
  ),
  /** Writes to the cache and the outbox, answers at once; sent when online, exactly once. */
  'chat:send': channel(
    z.object({ conversationId: Id, body: SendMessageRequestSchema.shape.body }),
    ChatMessageViewSchema,
  ),

  'decisions:list': channel(
    z.object({ meetingId: Id.optional() }),
    z.object({ decisions: z.array(DecisionViewSchema) }),
  ),
  /** Cache and outbox first, like chat:send; the server's idempotency id is generated in main. */
  'decisions:create': channel(CreateDecisionRequestSchema.omit({ clientId: true }), DecisionViewSchema),
  'decisions:update': channel(
    z.object({
      clientId: Id,
      patch: UpdateDecisionRequestSchema.refine((patch) => Object.keys(patch).length > 0, 'patch changes nothing'),
    }),
    DecisionViewSchema,
  ),

  /** Full-text search over cached messages; works offline. */
  'search:messages': channel(
    z.object({
      query: z.string().trim().min(1).max(500),
      conversationId: Id.optional(),
      limit: z.number().int().min(1).max(200).default(50),
    }),
    z.object({ hits: z.array(SearchHitSchema) }),
  ),

  'connection:status': channel(Empty, z.object({ status: ConnectionStatusSchema })),

  'settings:get': channel(Empty, SettingsSchema),
  /** What the organisation's IT policy sets on this machine (the sign-in server, 2160p, …) and locks. */
  'policy:get': channel(Empty, ManagedSettingsSchema),
  'settings:update': channel(SettingsSchema.partial(), SettingsSchema),

  /** Opens a link in the OS only if the external-link allowlist admits it (else `forbidden`). */
  'shell:openExternal': channel(z.object({ url: z.string().min(1).max(4000) }), Empty),

  /** Screens and windows with thumbnails for the screen-share picker. */
  'screen:sources': channel(
    z.object({ thumbnailWidth: z.number().int().min(16).max(1920).default(320) }),
    z.object({ sources: z.array(ScreenSourceSchema) }),
  ),
} as const;

/** Main → renderer pushes. Names are `domain:event`, distinct from request channels. */
export const IPC_EVENTS = {
  'connection:changed': z.object({ status: ConnectionStatusSchema }),
  /** Messages added or changed in the cache (sync, live delivery, outbox acknowledgement). */
  'chat:messages': z.object({ conversationId: Id, messages: z.array(ChatMessageViewSchema) }),
  'decisions:changed': z.object({ decisions: z.array(DecisionViewSchema) }),
  'meetings:changed': z.object({}).strict(),
  /** The lobby decided about a `waiting` join. */
  'meeting:admission': z.discriminatedUnion('status', [
    z.object({ status: z.literal('admitted'), call: CallDetailsSchema }),
    z.object({ status: z.literal('denied'), meeting: MeetingSchema }),
  ]),
  /** A `tandem://join/<code>` link was opened; the renderer starts the join flow. */
  'deepLink:join': z.object({ code: z.string().min(1) }),
  /** The session ended (signed out elsewhere, refresh refused): back to sign-in. */
  'auth:ended': z.object({ reason: z.enum(['signedOut', 'expired']) }),
} as const;

export type IpcChannel = keyof typeof IPC_CHANNELS;
export type IpcEvent = keyof typeof IPC_EVENTS;
export type IpcRequest<C extends IpcChannel> = z.input<(typeof IPC_CHANNELS)[C]['request']>;
/** The request after validation (defaults filled in): what handlers receive. */
export type IpcParsedRequest<C extends IpcChannel> = z.output<(typeof IPC_CHANNELS)[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.output<(typeof IPC_CHANNELS)[C]['response']>;
export type IpcEventPayload<E extends IpcEvent> = z.output<(typeof IPC_EVENTS)[E]>;

export const IpcErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});
export type IpcError = z.infer<typeof IpcErrorSchema>;

/**
 * Every invoke answers this envelope rather than throwing: Electron flattens thrown errors into
 * a message string, and the renderer must branch on `code`.
 */
export type IpcResult<T> = { readonly ok: true; readonly result: T } | { readonly ok: false; readonly error: IpcError };

export const IPC_CHANNEL_NAMES = Object.keys(IPC_CHANNELS) as readonly IpcChannel[];
export const IPC_EVENT_NAMES = Object.keys(IPC_EVENTS) as readonly IpcEvent[];

export function isIpcChannel(name: string): name is IpcChannel {
  return Object.hasOwn(IPC_CHANNELS, name);
}
