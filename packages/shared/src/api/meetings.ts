import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { IdSchema, TimeZoneSchema, TimestampSchema } from './common.ts';
import { AuthSessionSchema, RoleSchema } from './identity.ts';
import { RecurrenceSchema } from './recurrence.ts';

export const MeetingSettingsSchema = lazySchema(() =>
  z.object({
    /** With the lobby on, joiners who are not hosts wait until a host admits them. */
    lobby: z.boolean(),
    screenShare: z.enum(['everyone', 'hosts']),
    chat: z.boolean(),
    /**
     * End-to-end encrypted (docs/e2ee.md): media and in-call chat are encrypted with keys only the
     * participants' devices hold. Chat travels as encrypted LiveKit data and is never sent to the
     * server (which refuses sends into the meeting's conversation, 403); recording, captions and
     * dial-in are unavailable (`E2EE_UNAVAILABLE`).
     */
    e2ee: z.boolean(),
  }),
);
export type MeetingSettings = z.infer<typeof MeetingSettingsSchema>;

export const DEFAULT_MEETING_SETTINGS: MeetingSettings = {
  lobby: false,
  screenShare: 'everyone',
  chat: true,
  e2ee: false,
};

/**
 * A `webinar` has panelists (its hosts, its invitees and attendees brought on stage) who speak,
 * and attendees who watch and listen only, never see each other, ask questions through the
 * moderated Q&A and react. Panelists meet in the backstage until a host goes on air.
 */
export const MeetingTypeSchema = lazySchema(() => z.enum(['meeting', 'webinar']));
export type MeetingType = z.infer<typeof MeetingTypeSchema>;

/** A webinar's stage: on air since when (null: the backstage), and the attendees brought on stage. */
export const WebinarStateSchema = lazySchema(() =>
  z.object({
    liveSince: TimestampSchema.nullable(),
    promoted: z.array(IdSchema),
  }),
);
export type WebinarState = z.infer<typeof WebinarStateSchema>;

export const MeetingStatusSchema = lazySchema(() => z.enum(['scheduled', 'live', 'ended', 'cancelled']));
export type MeetingStatus = z.infer<typeof MeetingStatusSchema>;

export const MeetingSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    organisationId: IdSchema,
    title: z.string(),
    /** The user who created it; always a host. */
    ownerId: IdSchema,
    /** A user's stable personal room: exists once per user, never cancelled. */
    personal: z.boolean(),
    startsAt: TimestampSchema.nullable(),
    endsAt: TimestampSchema.nullable(),
    status: MeetingStatusSchema,
    /** A locked meeting admits nobody new; hosts can still join. */
    locked: z.boolean(),
    settings: MeetingSettingsSchema,
    /** Short code people type; resolves with GET /join-codes/:code. */
    joinCode: z.string(),
    /** Deep link `tandem://join/<joinCode>` (see PRODUCT.protocolScheme). */
    joinUrl: z.string(),
    /**
     * `<public server URL>/j/<joinCode>`: what invitations carry. It opens a landing page that
     * offers the app and the browser, so anyone with the link can join (external guests knock).
     * Records cached before it existed lack it: '' (show `joinUrl` then).
     */
    webJoinUrl: z.string().default(''),
    /** The meeting's chat conversation. */
    conversationId: IdSchema,
    /**
     * Who the meeting is for besides its owner: people of its organisation, who see it in their
     * list and calendar feed and hear of its changes. Anyone of the organisation may still join
     * with the code. (Records cached before invitations existed lack it.)
     */
    invitees: z.array(IdSchema).default([]),
    /**
     * Set while the meeting is being recorded (from the host's start until the stop): everyone in
     * the call sees it, and whoever is about to join is told before entering. Records cached
     * before recording existed lack it: null.
     */
    recording: z.object({ id: IdSchema, since: TimestampSchema }).nullable().default(null),
    /**
     * The IANA zone the meeting is scheduled in: a series keeps its wall-clock time there across
     * daylight-saving changes. Records from before zones existed lack it: UTC.
     */
    timeZone: z.string().default('UTC'),
    /** How the meeting repeats (recurrence.ts); `startsAt`/`endsAt` are then its first occurrence. */
    recurrence: RecurrenceSchema.nullable().default(null),
    /** The stored RFC 5545 rule behind `recurrence` (`FREQ=WEEKLY;BYDAY=MO,TH`), for display. */
    rrule: z.string().nullable().default(null),
    /** Records from before webinars existed lack it: a meeting. */
    type: MeetingTypeSchema.default('meeting'),
    /** A webinar's stage; null for a meeting. */
    webinar: WebinarStateSchema.nullable().default(null),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  }),
);
export type Meeting = z.infer<typeof MeetingSchema>;

/** A meeting's title, as people type it and as a provider's calendar may bring it back. */
export const MeetingTitleSchema = lazySchema(() => z.string().trim().min(1).max(200));

/** The most people one meeting invites. */
export const MAX_INVITEES = 500;

/**
 * The people a meeting is for: user ids of the organisation, each once. Whether each is an
 * active person of the caller's organisation is the server's to check (400 with issues).
 */
export const InviteesSchema = lazySchema(() =>
  z
    .array(IdSchema)
    .max(MAX_INVITEES)
    .superRefine((ids, ctx) => {
      const seen = new Set<string>();
      ids.forEach((id, i) => {
        if (seen.has(id)) ctx.addIssue({ code: 'custom', path: [i], message: 'invited twice' });
        seen.add(id);
      });
    }),
);

export const CreateMeetingRequestSchema = lazySchema(() =>
  z.strictObject({
    title: MeetingTitleSchema,
    startsAt: TimestampSchema.optional(),
    endsAt: TimestampSchema.optional(),
    settings: MeetingSettingsSchema.partial().strict().optional(),
    /** Nobody but the owner when absent. */
    invitees: InviteesSchema.optional(),
    /** UTC when absent. */
    timeZone: TimeZoneSchema.optional(),
    /** A series: needs `startsAt`. */
    recurrence: RecurrenceSchema.optional(),
    /** A meeting when absent; a webinar's invitees are its panelists. */
    type: MeetingTypeSchema.optional(),
  }),
);
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequestSchema>;

/** Only the fields given change; `null` clears a schedule time; `invitees` replaces the whole list. */
export const UpdateMeetingRequestSchema = lazySchema(() =>
  z.strictObject({
    title: MeetingTitleSchema.optional(),
    startsAt: TimestampSchema.nullable().optional(),
    endsAt: TimestampSchema.nullable().optional(),
    settings: MeetingSettingsSchema.partial().strict().optional(),
    invitees: InviteesSchema.optional(),
    timeZone: TimeZoneSchema.optional(),
    /** `null` makes a series a single meeting again; a new rule drops the old one's exceptions. */
    recurrence: RecurrenceSchema.nullable().optional(),
    /** Not while the meeting is live. */
    type: MeetingTypeSchema.optional(),
  }),
);
export type UpdateMeetingRequest = z.infer<typeof UpdateMeetingRequestSchema>;

/**
 * `mine` (the default): the meetings the caller owns or is invited to, and their own personal
 * room. `organisation`: every meeting of the organisation, for its owners and admins only (403).
 */
export const MeetingListQuerySchema = lazySchema(() =>
  z.strictObject({ scope: z.enum(['mine', 'organisation']).default('mine') }),
);
export type MeetingListQuery = z.infer<typeof MeetingListQuerySchema>;

export const MeetingListSchema = lazySchema(() => z.object({ meetings: z.array(MeetingSchema) }));
export type MeetingList = z.infer<typeof MeetingListSchema>;

/** What a participant may do in the LiveKit room; mapped onto explicit token grants. */
export const ParticipantRoleSchema = lazySchema(() => z.enum(['host', 'attendee', 'viewer']));
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>;

/** What others see for a participant: trimmed, 1–64 characters, no control characters. */
export const DisplayNameSchema = lazySchema(() =>
  z
    .string()
    .trim()
    .min(1)
    .max(64)
    .regex(/^\P{Cc}*$/u, 'must not contain control characters'),
);

/** POST /join-codes/:code/guests: someone from outside knocks with a name (and an optional e-mail). */
/** A meeting's join code as people type it: codes are issued in lower case and matched case-insensitively. */
export const JoinCodeSchema = lazySchema(() =>
  z
    .string()
    .toLowerCase()
    .regex(/^[a-z0-9]{4,16}$/),
);

export const GuestJoinRequestSchema = lazySchema(() =>
  z.strictObject({
    name: DisplayNameSchema,
    email: z.email().max(254).optional(),
  }),
);
export type GuestJoinRequest = z.infer<typeof GuestJoinRequestSchema>;

/** The path of a meeting's https join link on the coordination server. */
export const webJoinPath = (code: string): string => `/j/${encodeURIComponent(code)}`;

/** The join code in a join link's path (`/j/<code>`), as the server serves it; null for any other path. */
export function joinCodeOfWebPath(pathname: string): string | null {
  return /^\/j\/([a-z0-9-]{4,16})\/?$/i.exec(pathname)?.[1]?.toLowerCase() ?? null;
}

/**
 * What a join link's page knows of its meeting before anyone signs in: the server writes it into
 * the browser client's page as a data block (element id `JOIN_LANDING_ELEMENT_ID`), so the page
 * shows the meeting and asks for a name in one load. Only what the link's landing page shows.
 */
export const JoinLandingSchema = lazySchema(() =>
  z.strictObject({
    code: z.string().min(4).max(16),
    title: z.string().min(1).max(200),
    /** Someone opening the link learns before entering that the meeting is being recorded. */
    recorded: z.boolean(),
    /** Whether people from outside may knock; when not, only the organisation's people can join (by signing in). */
    externalGuests: z.boolean(),
  }),
);
export type JoinLanding = z.infer<typeof JoinLandingSchema>;
export const JOIN_LANDING_ELEMENT_ID = 'tandem-join-landing';

export const JoinRequestSchema = lazySchema(() =>
  z.strictObject({
    /** Join without publishing (a view-only seat). */
    viewOnly: z.boolean().optional(),
    /** The name shown in the call and the lobby for this join; the account's name when absent. */
    displayName: DisplayNameSchema.optional(),
  }),
);
export type JoinRequest = z.infer<typeof JoinRequestSchema>;

/** The small connection-details object a client needs for livekit-client's `room.connect`. */
export const LivekitConnectionSchema = lazySchema(() =>
  z.object({
    url: z.string(),
    token: z.string(),
    room: z.string(),
    identity: z.string(),
    role: ParticipantRoleSchema,
    expiresAt: TimestampSchema,
  }),
);
export type LivekitConnection = z.infer<typeof LivekitConnectionSchema>;

export const LobbyStatusSchema = lazySchema(() => z.enum(['waiting', 'admitted', 'denied', 'removed']));
export type LobbyStatus = z.infer<typeof LobbyStatusSchema>;

/** One user's standing in one meeting's lobby. `denied` and `removed` are final for that meeting. */
export const LobbyEntrySchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    meetingId: IdSchema,
    userId: IdSchema,
    name: z.string(),
    /** A guest: from outside the organisation (hosts see it in the lobby). */
    external: z.boolean().default(false),
    status: LobbyStatusSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  }),
);
export type LobbyEntry = z.infer<typeof LobbyEntrySchema>;

/**
 * POST /meetings/:id/join answers either the LiveKit connection, or a lobby entry to wait on.
 * A waiting client listens for `lobby.entry` on the WebSocket and calls join again once its
 * entry is `admitted`; the server mints the token on that call.
 */
export const JoinResultSchema = lazySchema(() =>
  z.discriminatedUnion('status', [
    z.object({ status: z.literal('joined'), meeting: MeetingSchema, livekit: LivekitConnectionSchema }),
    z.object({ status: z.literal('waiting'), meeting: MeetingSchema, entry: LobbyEntrySchema }),
  ]),
);
export type JoinResult = z.infer<typeof JoinResultSchema>;

export const LobbyListSchema = lazySchema(() => z.object({ entries: z.array(LobbyEntrySchema) }));
export type LobbyList = z.infer<typeof LobbyListSchema>;

/**
 * A knock from outside: a guest session scoped to this one meeting (short-lived, no directory, no
 * channels, no other meetings) and the lobby entry it waits on. Join again once admitted.
 */
export const GuestJoinResultSchema = lazySchema(() => z.object({ session: AuthSessionSchema, join: JoinResultSchema }));
export type GuestJoinResult = z.infer<typeof GuestJoinResultSchema>;

/** Someone in the LiveKit room now, as the room service reports it. */
export const ParticipantSchema = lazySchema(() =>
  z.object({
    identity: z.string(),
    userId: IdSchema.nullable(),
    name: z.string(),
    role: ParticipantRoleSchema.nullable(),
    canPublish: z.boolean(),
    tracks: z.array(
      z.object({ sid: z.string(), kind: z.enum(['audio', 'video', 'data', 'unknown']), muted: z.boolean() }),
    ),
  }),
);
export type Participant = z.infer<typeof ParticipantSchema>;

export const ParticipantListSchema = lazySchema(() => z.object({ participants: z.array(ParticipantSchema) }));
export type ParticipantList = z.infer<typeof ParticipantListSchema>;

export const MuteRequestSchema = lazySchema(() =>
  z.strictObject({
    /** Which of the participant's tracks to mute; all by default. */
    kind: z.enum(['audio', 'video', 'all']).default('all'),
  }),
);
export type MuteRequest = z.input<typeof MuteRequestSchema>;

export const PermissionsRequestSchema = lazySchema(() =>
  z.strictObject({
    canPublish: z.boolean(),
    canSubscribe: z.boolean().optional(),
    canPublishData: z.boolean().optional(),
  }),
);
export type PermissionsRequest = z.infer<typeof PermissionsRequestSchema>;

export const LockRequestSchema = lazySchema(() => z.strictObject({ locked: z.boolean() }));
export type LockRequest = z.infer<typeof LockRequestSchema>;

/** Attendance recorded from LiveKit webhooks. `leftAt` is null while the person is in the room. */
export const AttendanceSchema = lazySchema(() =>
  z.object({
    meetingId: IdSchema,
    identity: z.string(),
    userId: IdSchema.nullable(),
    joinedAt: TimestampSchema,
    leftAt: TimestampSchema.nullable(),
  }),
);
export type Attendance = z.infer<typeof AttendanceSchema>;

/** When LiveKit opened and closed the meeting's room (rooms close once empty for a while). */
export const RoomLifecycleEventSchema = lazySchema(() =>
  z.object({
    event: z.enum(['room_started', 'room_finished']),
    at: TimestampSchema,
  }),
);
export type RoomLifecycleEvent = z.infer<typeof RoomLifecycleEventSchema>;

export const AttendanceListSchema = lazySchema(() =>
  z.object({
    attendance: z.array(AttendanceSchema),
    lifecycle: z.array(RoomLifecycleEventSchema),
  }),
);
export type AttendanceList = z.infer<typeof AttendanceListSchema>;

/** Attributes the server puts on every LiveKit participant it mints a token for. */
export const ParticipantAttributesSchema = lazySchema(() =>
  z.object({
    userId: IdSchema,
    role: ParticipantRoleSchema,
    orgRole: RoleSchema,
    displayName: z.string(),
  }),
);
export type ParticipantAttributes = z.infer<typeof ParticipantAttributesSchema>;

/** An occurrence edit's outcome: the meeting changed and, for "this and following", the new series. */
export const EditOccurrenceResultSchema = lazySchema(() =>
  z.object({ meeting: MeetingSchema, split: MeetingSchema.nullable() }),
);
export type EditOccurrenceResult = z.infer<typeof EditOccurrenceResultSchema>;
