import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimestampSchema } from './common.ts';
import { PresenceStatusSchema } from './presence.ts';

export { PAGE_AWARENESS_CLIENTS, PAGE_DOC, PAGE_FRAME, type PageFieldEdit } from './pageWire.ts';

/**
 * Pages of business web apps (issue 18): a host app's page joins the organisation through
 * `packages/page-sdk`.
 *
 * - The host app's backend mints a short-lived **page token** for a person (by e-mail or the
 *   identity provider's external id) and a **page key** (app + view + record id) with an API key
 *   holding `pages:write` (`POST /pages/tokens`). Only API keys mint them: a person cannot mint a
 *   token for someone else.
 * - The SDK opens `PAGE_WS_PATH` with it. Binary frames carry Yjs (y-protocols): sync (0) and
 *   awareness (1), exactly as y-websocket frames them; text frames carry the JSON control messages
 *   below. One Yjs document per page key: `fields` (a map: field name → string, boolean or, for
 *   long text, a Y.Text; last writer wins per field) and `edits` (field name → who changed it last,
 *   written by the server only). The document is persisted by the server; it never writes the app's
 *   database: the form's own submit stays the source of truth.
 * - A field **delegated** to a colleague is written only by them until they finish: the server
 *   refuses other people's document updates that touch it, and the host app re-checks a submit with
 *   `POST /pages/verify` (the fields the submit changes → the ones the person may not write).
 * - **Threads**: a comment on a field is a real conversation (a public channel of the
 *   organisation, its first message linking back to the page at the field).
 */

export const PAGE_WS_PATH = '/pages/ws';

export const PAGE_LIMITS = {
  /** Seconds a page token opens the page socket for (the SDK asks its host app for a new one on reconnect). */
  tokenTtlSeconds: 300,
  keyPartChars: 200,
  fieldChars: 100,
  labelChars: 200,
  noteChars: 1000,
  /** Fields one verify call may name. */
  verifyFields: 500,
  /** Messages of a thread answered when it is opened. */
  threadMessages: 100,
  skillChars: 60,
  skillsPerPerson: 20,
} as const;

const KeyPart = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(PAGE_LIMITS.keyPartChars)
    .regex(/^[^\p{Cc}]+$/u, 'no control characters'),
);

/** Which page of which app: `app` + `view` + `recordId` ("procurement", "PurchaseOrderView", "42"). */
export const PageKeySchema = lazySchema(() => z.strictObject({ app: KeyPart, view: KeyPart, recordId: KeyPart }));
export type PageKey = z.infer<typeof PageKeySchema>;

/** The one string a page key is stored and compared by: its three parts, each %-encoded, joined by `/`. */
export const pageKeyString = (k: PageKey): string =>
  [k.app, k.view, k.recordId].map((part) => encodeURIComponent(part)).join('/');

/** A form field's name, as the page's `name` attributes spell it. */
export const FieldNameSchema = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(PAGE_LIMITS.fieldChars)
    .regex(/^[^\p{Cc}]+$/u, 'no control characters'),
);

const Label = lazySchema(() => z.string().trim().min(1).max(PAGE_LIMITS.labelChars));
const PageUrl = lazySchema(() =>
  z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .describe('the page in the host app (http or https)'),
);

/** Who a host app means: the organisation's person with this e-mail, or with this external id (SCIM). */
export const PagePersonSchema = lazySchema(() =>
  z.union([
    z.strictObject({ email: z.email().max(254) }),
    z.strictObject({ externalId: z.string().trim().min(1).max(200) }),
  ]),
);
export type PagePerson = z.infer<typeof PagePersonSchema>;

/** POST /pages/tokens (API key, `pages:write`). */
export const CreatePageTokenRequestSchema = lazySchema(() =>
  z.strictObject({
    person: PagePersonSchema,
    page: PageKeySchema,
    url: PageUrl,
    title: Label,
  }),
);
export type CreatePageTokenRequest = z.infer<typeof CreatePageTokenRequestSchema>;

export const PageTokenSchema = lazySchema(() =>
  z.object({
    /** Opaque; opens `PAGE_WS_PATH` until `expiresAt`. */
    token: z.string(),
    expiresAt: TimestampSchema,
    socketPath: z.literal(PAGE_WS_PATH),
    userId: IdSchema,
  }),
);
export type PageToken = z.infer<typeof PageTokenSchema>;

const PersonRef = lazySchema(() => z.object({ id: IdSchema, name: z.string() }));
export type PagePersonRef = z.infer<typeof PersonRef>;

export const DelegationStatusSchema = lazySchema(() => z.enum(['open', 'done', 'cancelled']));
export type DelegationStatus = z.infer<typeof DelegationStatusSchema>;

/** A day as `YYYY-MM-DD`. */
const Day = lazySchema(() => z.iso.date());

export const PageDelegationSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    page: PageKeySchema,
    url: z.string(),
    title: z.string(),
    field: FieldNameSchema,
    fieldLabel: z.string(),
    delegate: PersonRef,
    delegatedBy: PersonRef,
    note: z.string(),
    dueDate: Day.nullable(),
    status: DelegationStatusSchema,
    createdAt: TimestampSchema,
    finishedAt: TimestampSchema.nullable(),
  }),
);
export type PageDelegation = z.infer<typeof PageDelegationSchema>;

/** The page at one field: the SDK scrolls to and focuses `#tandem-field=<name>`. */
export const pageFieldLink = (url: string, field: string): string =>
  `${url.split('#')[0] ?? url}#tandem-field=${encodeURIComponent(field)}`;

/** POST /pages/verify (API key, `pages:write`): the fields a submit would change. */
export const VerifyPageRequestSchema = lazySchema(() =>
  z.strictObject({
    person: PagePersonSchema,
    page: PageKeySchema,
    fields: z.array(FieldNameSchema).max(PAGE_LIMITS.verifyFields),
  }),
);
export type VerifyPageRequest = z.infer<typeof VerifyPageRequestSchema>;

export const VerifyPageResultSchema = lazySchema(() =>
  z.object({
    /** True when the person may write every field named. */
    allowed: z.boolean(),
    /** The fields delegated to someone else, with the delegation that holds each. */
    refused: z.array(z.object({ field: FieldNameSchema, delegation: PageDelegationSchema })),
  }),
);
export type VerifyPageResult = z.infer<typeof VerifyPageResultSchema>;

export const PageThreadSchema = lazySchema(() =>
  z.object({
    page: PageKeySchema,
    url: z.string(),
    title: z.string(),
    field: FieldNameSchema,
    fieldLabel: z.string(),
    conversationId: IdSchema,
    createdAt: TimestampSchema,
  }),
);
export type PageThread = z.infer<typeof PageThreadSchema>;

export const PageViewerSchema = lazySchema(() =>
  z.object({
    userId: IdSchema,
    name: z.string(),
    status: PresenceStatusSchema,
    /** The field the person is in, null outside every field. */
    field: FieldNameSchema.nullable(),
    idle: z.boolean(),
  }),
);
export type PageViewer = z.infer<typeof PageViewerSchema>;

/** GET /pages/now: the organisation's pages someone is on now. */
export const PagesNowSchema = lazySchema(() =>
  z.object({
    pages: z.array(
      z.object({ page: PageKeySchema, url: z.string(), title: z.string(), viewers: z.array(PageViewerSchema) }),
    ),
  }),
);
export type PagesNow = z.infer<typeof PagesNowSchema>;

/** GET /pages/delegations: the caller's, to do and given (open first, then the newest finished). */
export const MyDelegationsSchema = lazySchema(() =>
  z.object({
    toDo: z.array(PageDelegationSchema),
    given: z.array(PageDelegationSchema),
  }),
);
export type MyDelegations = z.infer<typeof MyDelegationsSchema>;

/** PATCH /pages/delegations/:delegationId: the delegate finishes it (`done`), whoever gave it takes it back (`cancelled`). */
export const FinishDelegationRequestSchema = lazySchema(() =>
  z.strictObject({ status: z.enum(['done', 'cancelled']) }),
);
export type FinishDelegationRequest = z.infer<typeof FinishDelegationRequestSchema>;

export const PageThreadListSchema = lazySchema(() => z.object({ threads: z.array(PageThreadSchema) }));
export type PageThreadList = z.infer<typeof PageThreadListSchema>;

/**
 * Ask an expert (issue 18): someone on a page of a business web app asks for help with a skill.
 * The server rings the organisation's people who list that skill and are available now (online:
 * not away, in a meeting, presenting, on do not disturb or offline) on their desktops; the first to
 * answer joins the page's own room (a meeting made from the page on its first ask, kept for the
 * page), whose chat carries the page link; the asker joins it from the page. An ask rings for
 * `EXPERT_LIMITS.ringSeconds`, then is `missed`; when everyone rung declines it is `declined`.
 */
export const EXPERT_LIMITS = { ringSeconds: 30, noteChars: 500 } as const;

/** A skill as people write it ("Customs", "Incoterms"); matched without regard to case. */
export const SkillSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(PAGE_LIMITS.skillChars)
    .regex(/^[^\p{Cc}]+$/u, 'no control characters'),
);

/** The one form skills are compared by. */
export const skillKey = (skill: string): string => skill.trim().toLocaleLowerCase('en');

/** PUT /users/me/skills: the caller's whole list (it replaces the one before; duplicates are one). */
export const SetSkillsRequestSchema = lazySchema(() =>
  z.strictObject({
    skills: z.array(SkillSchema).max(PAGE_LIMITS.skillsPerPerson),
  }),
);
export type SetSkillsRequest = z.infer<typeof SetSkillsRequestSchema>;

export const SkillListSchema = lazySchema(() => z.object({ skills: z.array(z.string()) }));
export type SkillList = z.infer<typeof SkillListSchema>;

/** GET /skills: the organisation's skills directory, each skill with who lists it and how they are now. */
export const SkillsDirectorySchema = lazySchema(() =>
  z.object({
    skills: z.array(
      z.object({
        skill: z.string(),
        people: z.array(PersonRef.extend({ status: PresenceStatusSchema })),
        /** How many of them would be rung now. */
        available: z.number().int().nonnegative(),
      }),
    ),
  }),
);
export type SkillsDirectory = z.infer<typeof SkillsDirectorySchema>;

export const ExpertAskStatusSchema = lazySchema(() =>
  z.enum(['ringing', 'answered', 'missed', 'declined', 'cancelled']),
);
export type ExpertAskStatus = z.infer<typeof ExpertAskStatusSchema>;

export const ExpertAskSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    skill: z.string(),
    note: z.string(),
    page: PageKeySchema,
    url: z.string(),
    title: z.string(),
    askedBy: PersonRef,
    /** Everyone rung, and who of them declined. */
    rung: z.array(PersonRef),
    declined: z.array(IdSchema),
    answeredBy: PersonRef.nullable(),
    status: ExpertAskStatusSchema,
    /** The page's room: join it by code (`joinUrl` opens the desktop app, `webJoinUrl` the browser). */
    meeting: z.object({ id: IdSchema, joinCode: z.string(), joinUrl: z.string(), webJoinUrl: z.string() }),
    createdAt: TimestampSchema,
    ringUntil: TimestampSchema,
    finishedAt: TimestampSchema.nullable(),
  }),
);
export type ExpertAsk = z.infer<typeof ExpertAskSchema>;

export const ExpertAskParamsSchema = lazySchema(() => z.object({ askId: IdSchema }));

/** POST /pages/room: the page's room (a meeting made on first use), to join from the Pages view. */
export const PageRoomRequestSchema = lazySchema(() => z.strictObject({ page: PageKeySchema }));
export type PageRoomRequest = z.infer<typeof PageRoomRequestSchema>;

// ---- The page socket's JSON control messages (text frames). ----

const Ref = lazySchema(() => z.string().min(1).max(64));

export const PageClientMessageSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('auth'), token: z.string().min(1).max(200) }),
    /** Colleagues to delegate to: people of the organisation whose name or e-mail contains `q`. */
    z.strictObject({ type: z.literal('people'), ref: Ref, q: z.string().trim().max(100) }),
    z.strictObject({
      type: z.literal('delegate'),
      ref: Ref,
      field: FieldNameSchema,
      fieldLabel: Label,
      userId: IdSchema,
      note: z.string().trim().max(PAGE_LIMITS.noteChars),
      dueDate: Day.nullable(),
    }),
    z.strictObject({
      type: z.literal('delegation.finish'),
      ref: Ref,
      delegationId: IdSchema,
      status: z.enum(['done', 'cancelled']),
    }),
    z.strictObject({ type: z.literal('thread.open'), ref: Ref, field: FieldNameSchema }),
    z.strictObject({
      type: z.literal('thread.post'),
      ref: Ref,
      field: FieldNameSchema,
      fieldLabel: Label,
      text: z.string().trim().min(1).max(4000),
    }),
    /** The organisation's skills, with how many people of each would be rung now. */
    z.strictObject({ type: z.literal('skills'), ref: Ref }),
    z.strictObject({
      type: z.literal('ask'),
      ref: Ref,
      skill: SkillSchema,
      note: z.string().trim().max(EXPERT_LIMITS.noteChars),
    }),
    /** The asker stops an ask still ringing. */
    z.strictObject({ type: z.literal('ask.cancel'), ref: Ref, askId: IdSchema }),
  ]),
);
export type PageClientMessage = z.infer<typeof PageClientMessageSchema>;

/** A message of a page thread as the page shows it. */
export const PageThreadMessageSchema = lazySchema(() =>
  z.object({
    id: z.string(),
    author: PersonRef,
    body: z.string(),
    createdAt: TimestampSchema,
  }),
);
export type PageThreadMessage = z.infer<typeof PageThreadMessageSchema>;

/** Who is on the page: one entry per Yjs awareness client, stamped by the server (never what a client claims). */
export const PageRosterEntrySchema = lazySchema(() =>
  z.object({
    clientId: z.number().int().nonnegative(),
    userId: IdSchema,
    name: z.string(),
    status: PresenceStatusSchema,
  }),
);
export type PageRosterEntry = z.infer<typeof PageRosterEntrySchema>;

export const PageServerMessageSchema = lazySchema(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('ready'), self: PersonRef, page: PageKeySchema, url: z.string(), title: z.string() }),
    z.object({ type: z.literal('roster'), viewers: z.array(PageRosterEntrySchema) }),
    /** The page's open delegations (its field locks), whole, after every change. */
    z.object({ type: z.literal('delegations'), delegations: z.array(PageDelegationSchema) }),
    /** The page's threads, whole, after every change. */
    z.object({ type: z.literal('threads'), threads: z.array(PageThreadSchema) }),
    z.object({ type: z.literal('thread.message'), field: FieldNameSchema, message: PageThreadMessageSchema }),
    z.object({ type: z.literal('result'), ref: Ref, result: z.unknown() }),
    /** An ask for an expert made on this page, whenever it changes (rung, answered, missed, declined, cancelled). */
    z.object({ type: z.literal('ask'), ask: ExpertAskSchema }),
    /** A refused document update (a field delegated to someone else) or control message. */
    z.object({
      type: z.literal('error'),
      ref: Ref.optional(),
      error: z.object({ code: z.string(), message: z.string() }),
    }),
  ]),
);
export type PageServerMessage = z.infer<typeof PageServerMessageSchema>;

/** What the control messages answer in `result`. */
export type PageResults = {
  people: { people: { id: string; name: string; status: z.infer<typeof PresenceStatusSchema> }[] };
  delegate: PageDelegation;
  'delegation.finish': PageDelegation;
  'thread.open': { thread: PageThread | null; messages: PageThreadMessage[] };
  'thread.post': { thread: PageThread; message: PageThreadMessage };
  skills: { skills: { skill: string; available: number }[] };
  ask: ExpertAsk;
  'ask.cancel': ExpertAsk;
};

/** Close codes of the page socket (beyond WS_CLOSE's). */
export const PAGE_WS_CLOSE = { tokenRefused: 4401, badMessage: 4400 } as const;
