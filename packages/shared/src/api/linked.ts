import { lazySchema } from '../lazySchema.ts';
/**
 * Linked Teams, Zoom and Google Meet meetings over HTTP (issue 6): provider connections, a
 * linked meeting stored with one of ours, the caller's calendar (ours and imported) and the
 * per-user ICS subscription feed.
 *
 * Invariants:
 * - Provider credentials never cross this boundary: a connection is described, never returned.
 * - A pasted invitation is re-recognised by the server with `parseMeetingLink`; the client's own
 *   recognition is for display only.
 * - The ICS feed URL carries its own random token, never the caller's access token, so a
 *   calendar app holding it can read the feed and nothing else.
 */
import { z } from 'zod';
import { LinkedMeetingSchema } from '../links/meetingLink.ts';
import { IdSchema, TimestampSchema } from './common.ts';

/** The accounts a server can connect: Microsoft 365 (Teams), Zoom, Google (Meet). */
export const ProviderIdSchema = lazySchema(() => z.enum(['microsoft', 'zoom', 'google']));
export type ProviderId = z.infer<typeof ProviderIdSchema>;

/** Zoom Server-to-Server apps belong to an organisation, so Zoom has no OAuth consent. */
export const OAuthProviderIdSchema = lazySchema(() => z.enum(['microsoft', 'google']));
export type OAuthProviderId = z.infer<typeof OAuthProviderIdSchema>;

/** `organisation`: the account an admin connected for everyone; `user`: the caller's own calendar. */
export const ConnectionScopeSchema = lazySchema(() => z.enum(['organisation', 'user']));
export type ConnectionScope = z.infer<typeof ConnectionScopeSchema>;

export const ProviderConnectionSchema = lazySchema(() =>
  z.object({
    provider: ProviderIdSchema,
    scope: ConnectionScopeSchema,
    connectedAt: TimestampSchema,
  }),
);
export type ProviderConnection = z.infer<typeof ProviderConnectionSchema>;

/** Every provider, whether this server offers it (configured) and the caller's visible connections. */
export const ProviderListSchema = lazySchema(() =>
  z.object({
    providers: z.array(z.object({ provider: ProviderIdSchema, offered: z.boolean() })),
    connections: z.array(ProviderConnectionSchema),
  }),
);
export type ProviderList = z.infer<typeof ProviderListSchema>;

/**
 * Where a consent may send the browser back: the app's own loopback receiver (RFC 8252 §7.3,
 * `http://127.0.0.1:<port>/…` or `http://[::1]:<port>/…`, any port, no query or fragment). The
 * code arrives at the app of whoever approved, which completes the consent with its own session
 * (`completeConsent`); a server-side callback could not tell who approved, so there is none.
 */
export function isConsentRedirect(uri: string): boolean {
  // Written out rather than parsed: shared code has no URL class. Host and port are literal, the
  // path is plain (no query, fragment, backslash or white space), so nothing can redirect onward.
  const match = /^http:\/\/(?:127\.0\.0\.1|\[::1\]):([0-9]{1,5})(\/[^?#\\\s]*)?$/.exec(uri);
  const port = Number(match?.[1] ?? 0);
  return match !== null && port >= 1 && port <= 65535;
}

export const ConsentRequestSchema = lazySchema(() =>
  z.strictObject({
    provider: OAuthProviderIdSchema,
    scope: ConnectionScopeSchema,
    /** Where the provider sends the browser back: the app's loopback receiver (`isConsentRedirect`). */
    redirectUri: z.string().max(2000).refine(isConsentRedirect, {
      message: 'expected a loopback redirect, http://127.0.0.1:<port>/… or http://[::1]:<port>/…',
    }),
  }),
);
export type ConsentRequest = z.infer<typeof ConsentRequestSchema>;

export const ConsentUrlSchema = lazySchema(() => z.object({ url: z.string(), expiresAt: TimestampSchema }));
export type ConsentUrl = z.infer<typeof ConsentUrlSchema>;

/**
 * What the provider's redirect brought back to the app, completed by the person who started the
 * consent: `state` names it (single use, 10 minutes), and anyone else's session is refused.
 */
export const ConsentCompleteRequestSchema = lazySchema(() =>
  z.strictObject({
    code: z.string().min(1).max(4096),
    state: z.string().min(1).max(200),
  }),
);
export type ConsentCompleteRequest = z.infer<typeof ConsentCompleteRequestSchema>;

export const ZoomConnectRequestSchema = lazySchema(() =>
  z.strictObject({
    accountId: z.string().trim().min(1).max(200),
    clientId: z.string().trim().min(1).max(200),
    clientSecret: z.string().trim().min(1).max(500),
    /** Verifies Zoom's webhooks to `/webhooks/zoom/<organisation id>`. */
    webhookSecretToken: z.string().trim().min(1).max(500).optional(),
  }),
);
export type ZoomConnectRequest = z.infer<typeof ZoomConnectRequestSchema>;

export const ProviderParamsSchema = lazySchema(() => z.object({ provider: ProviderIdSchema }));
export const RevokeQuerySchema = lazySchema(() => z.object({ scope: ConnectionScopeSchema.default('organisation') }));

/** `unknown` until a provider webhook reports the far meeting started or ended. */
export const LinkedStateSchema = lazySchema(() => z.enum(['unknown', 'started', 'ended']));
export type LinkedState = z.infer<typeof LinkedStateSchema>;

/** The linked meeting stored with one of ours: created on a provider, or pasted. */
export const LinkedMeetingRecordSchema = lazySchema(() =>
  z.object({
    meetingId: IdSchema,
    source: z.enum(['created', 'pasted']),
    /** The account that created it; null for a pasted invitation. */
    createdWith: ProviderIdSchema.nullable(),
    /** The provider's id of what was created (Graph onlineMeeting, Zoom meeting, Calendar event). */
    externalId: z.string().nullable(),
    linked: LinkedMeetingSchema,
    state: LinkedStateSchema,
    stateAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
  }),
);
export type LinkedMeetingRecord = z.infer<typeof LinkedMeetingRecordSchema>;

export const LinkedMeetingReadSchema = lazySchema(() => z.object({ linked: LinkedMeetingRecordSchema.nullable() }));
export type LinkedMeetingRead = z.infer<typeof LinkedMeetingReadSchema>;

export const CreateLinkedMeetingRequestSchema = lazySchema(() => z.strictObject({ provider: ProviderIdSchema }));
export type CreateLinkedMeetingRequest = z.infer<typeof CreateLinkedMeetingRequestSchema>;

export const AttachInvitationRequestSchema = lazySchema(() => z.strictObject({ text: z.string().min(1).max(20_000) }));
export type AttachInvitationRequest = z.infer<typeof AttachInvitationRequestSchema>;

/** One row of the home screen's calendar: ours, or an event imported from a connected calendar. */
export const CalendarEntrySchema = lazySchema(() =>
  z.discriminatedUnion('kind', [
    z.object({
      kind: z.literal('tandem'),
      meetingId: IdSchema,
      title: z.string(),
      startsAt: TimestampSchema,
      endsAt: TimestampSchema.nullable(),
      joinCode: z.string(),
      /** The Teams/Zoom/Meet meeting stored with ours, if any. */
      linked: LinkedMeetingSchema.nullable(),
      /**
       * For a linked meeting made through a provider's API: whether the account that made it is
       * still connected (`disconnected`: changes in Tandem no longer reach it; joining still works).
       * Null for a pasted invitation or no linked meeting.
       */
      linkedAccount: z.enum(['connected', 'disconnected']).nullable().default(null),
      /** A series' occurrence (recurrence.ts `occurrenceId`); null for a single meeting. */
      occurrenceId: TimestampSchema.nullable().default(null),
      /** The zone the meeting is scheduled in. */
      timeZone: z.string().default('UTC'),
    }),
    z.object({
      kind: z.literal('imported'),
      provider: ProviderIdSchema,
      externalId: z.string(),
      title: z.string(),
      startsAt: TimestampSchema,
      endsAt: TimestampSchema,
      allDay: z.boolean(),
      webLink: z.string().nullable(),
      /** Detected in the event's join link, location or body; null: nothing to join. */
      linked: LinkedMeetingSchema.nullable(),
    }),
  ]),
);
export type CalendarEntry = z.infer<typeof CalendarEntrySchema>;

export const CalendarQuerySchema = lazySchema(() =>
  z
    .object({
      from: TimestampSchema,
      to: TimestampSchema,
      /** `tandem`: our meetings only, no connected calendar read (reminders ask often). */
      only: z.enum(['tandem']).optional(),
    })
    .refine((q) => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] })
    .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 62 * 24 * 3600_000, {
      message: 'at most 62 days at a time',
      path: ['to'],
    }),
);
export type CalendarQuery = z.infer<typeof CalendarQuerySchema>;

/** Entries by start time; a connected calendar that could not be read is listed, not fatal. */
export const CalendarSchema = lazySchema(() =>
  z.object({
    entries: z.array(CalendarEntrySchema),
    failures: z.array(z.object({ provider: ProviderIdSchema, code: z.string(), message: z.string() })),
  }),
);
export type Calendar = z.infer<typeof CalendarSchema>;

/** `path` is relative to the server's base URL: `/calendar/<token>.ics`. Shown once; a new one revokes the old. */
export const CalendarFeedLinkSchema = lazySchema(() => z.object({ path: z.string(), createdAt: TimestampSchema }));
export type CalendarFeedLink = z.infer<typeof CalendarFeedLinkSchema>;

/** Opaque feed tokens: 32 random bytes, base64url. */
export const CALENDAR_FEED_PATH = /^\/calendar\/([A-Za-z0-9_-]{43})\.ics$/;
