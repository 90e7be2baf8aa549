import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';
import { REACTION_EMOJI } from './collab.ts';
import { IdSchema, TimestampSchema } from './common.ts';
import { DisplayNameSchema, type Meeting } from './meetings.ts';

/**
 * Where someone sits in a webinar: its hosts and panelists (its invitees, and attendees a host
 * brought on stage) speak; attendees watch, listen, ask and react, and are seen by nobody.
 */
export type WebinarSeat = 'host' | 'panelist' | 'attendee';

/** Pure: the seat of `userId` in the webinar `meeting` (`host`: one of the meeting's hosts). */
export function webinarSeat(
  meeting: Pick<Meeting, 'invitees' | 'webinar'>,
  userId: string,
  host: boolean,
): WebinarSeat {
  if (host) return 'host';
  if (meeting.invitees.includes(userId) || (meeting.webinar?.promoted.includes(userId) ?? false)) return 'panelist';
  return 'attendee';
}

/** Hosts take a webinar on air: the attendees waiting for it are let in. */
export const WebinarLiveRequestSchema = lazySchema(() => z.strictObject({ live: z.literal(true) }));
export type WebinarLiveRequest = z.infer<typeof WebinarLiveRequestSchema>;

/**
 * Hosts bring an attendee on stage (`panelist: true`: they may publish, and everyone sees them)
 * or back to the audience; LiveKit changes their grants in place, they need not join again.
 */
export const WebinarPanelistRequestSchema = lazySchema(() => z.strictObject({ panelist: z.boolean() }));
export type WebinarPanelistRequest = z.infer<typeof WebinarPanelistRequestSchema>;

/** An attendee's reaction; the server rate-limits it and sends it into the room on `WEBINAR_REACTIONS_TOPIC`. */
export const WebinarReactionRequestSchema = lazySchema(() => z.strictObject({ emoji: z.enum(REACTION_EMOJI) }));
export type WebinarReactionRequest = z.infer<typeof WebinarReactionRequestSchema>;

/**
 * The audience's reactions, sent by the server (attendees publish no data): no sender (attendees
 * are not seen), at most `REACTION_RATE` per attendee.
 */
export const WEBINAR_REACTIONS_TOPIC = { topic: 'tandem.webinar.reactions.v1', reliable: true, maxBytes: 200 } as const;

export const WebinarReactionMessageSchema = lazySchema(() =>
  z.strictObject({
    t: z.literal('audience-reaction'),
    emoji: z.enum(REACTION_EMOJI),
  }),
);
export type WebinarReactionMessage = z.infer<typeof WebinarReactionMessageSchema>;

// Registration (issue 19): a public page, approval, a join link per registrant, capacity.

/** A question the hosts ask every registrant besides name and e-mail. */
export const RegistrationQuestionSchema = lazySchema(() =>
  z.strictObject({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and dashes'),
    label: z.string().trim().min(1).max(200),
    required: z.boolean(),
  }),
);
export type RegistrationQuestion = z.infer<typeof RegistrationQuestionSchema>;

/** The most questions one registration form asks. */
export const MAX_REGISTRATION_QUESTIONS = 10;

export const RegistrationSettingsSchema = lazySchema(() =>
  z.strictObject({
    /** People may register (the public page takes registrations). */
    open: z.boolean(),
    /** `automatic`: each registrant gets a join link at once; `manual`: once a host approves. */
    approval: z.enum(['automatic', 'manual']),
    /** At most this many registrants waiting or approved; null: no limit. */
    capacity: z.number().int().min(1).max(100_000).nullable(),
    questions: z
      .array(RegistrationQuestionSchema)
      .max(MAX_REGISTRATION_QUESTIONS)
      .refine((q) => new Set(q.map((x) => x.id)).size === q.length, 'question ids must be distinct'),
  }),
);
export type RegistrationSettings = z.infer<typeof RegistrationSettingsSchema>;

/** What the public registration page shows. */
export const RegistrationFormSchema = lazySchema(() =>
  z.object({
    title: z.string(),
    startsAt: TimestampSchema.nullable(),
    endsAt: TimestampSchema.nullable(),
    questions: z.array(RegistrationQuestionSchema),
    /** Registration is open and the webinar neither over nor full. */
    accepting: z.boolean(),
    full: z.boolean(),
  }),
);
export type RegistrationForm = z.infer<typeof RegistrationFormSchema>;

export const RegisterRequestSchema = lazySchema(() =>
  z.strictObject({
    name: DisplayNameSchema,
    email: z.email().max(254),
    /** By question id; every required question answered (400 with issues otherwise). */
    answers: z.record(z.string(), z.string().trim().max(1000)).default({}),
  }),
);
export type RegisterRequest = z.input<typeof RegisterRequestSchema>;

/**
 * The registrant's answer: approved at once (with their own join link and the webinar as an ICS
 * file), or pending a host's approval (the link comes with it).
 */
export const RegistrationResultSchema = lazySchema(() =>
  z.object({
    status: z.enum(['approved', 'pending']),
    joinUrl: z.string().nullable(),
    ics: z.string().nullable(),
  }),
);
export type RegistrationResult = z.infer<typeof RegistrationResultSchema>;

export const RegistrantStatusSchema = lazySchema(() => z.enum(['pending', 'approved', 'denied', 'revoked']));
export type RegistrantStatus = z.infer<typeof RegistrantStatusSchema>;

export const RegistrantSchema = lazySchema(() =>
  z.object({
    id: IdSchema,
    meetingId: IdSchema,
    name: z.string(),
    email: z.string(),
    answers: z.record(z.string(), z.string()),
    status: RegistrantStatusSchema,
    createdAt: TimestampSchema,
    decidedAt: TimestampSchema.nullable(),
    /** When the registrant first joined with their link. */
    joinedAt: TimestampSchema.nullable(),
  }),
);
export type Registrant = z.infer<typeof RegistrantSchema>;

export const RegistrantListSchema = lazySchema(() => z.object({ registrants: z.array(RegistrantSchema) }));
export type RegistrantList = z.infer<typeof RegistrantListSchema>;

/** A host's decision: approve (a new join link, answered once), deny, or revoke a link given. */
export const DecideRegistrantRequestSchema = lazySchema(() =>
  z.strictObject({ status: z.enum(['approved', 'denied', 'revoked']) }),
);
export type DecideRegistrantRequest = z.infer<typeof DecideRegistrantRequestSchema>;

/** `joinUrl`: the registrant's new link, only on approval (the server keeps only its hash). */
export const RegistrantDecisionSchema = lazySchema(() =>
  z.object({ registrant: RegistrantSchema, joinUrl: z.string().nullable() }),
);
export type RegistrantDecision = z.infer<typeof RegistrantDecisionSchema>;

/** A registrant's link carries this token; joining with it makes a guest session for the webinar. */
export const RegistrantJoinRequestSchema = lazySchema(() => z.strictObject({ token: z.string().min(20).max(200) }));
export type RegistrantJoinRequest = z.infer<typeof RegistrantJoinRequestSchema>;

/** The path of a webinar's public registration page, and of a registrant's join link. */
export const registrationPath = (code: string): string => `/r/${encodeURIComponent(code)}`;
export const registrantJoinPath = (token: string): string => `/w/${encodeURIComponent(token)}`;
