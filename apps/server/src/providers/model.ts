import { SipBridgeSchema, type Recurrence, type Weekday } from '@tandem/shared';
import { z } from 'zod';
import type { ProviderId } from './providerError.ts';

/**
 * A phone bridge as the provider's API reports it. Numbers are kept as the provider wrote them
 * (all three write them with their country code).
 */
export const DialInNumberSchema = z
  .object({
    number: z.string(),
    /** Country or city, as the provider names it; null when it does not. */
    label: z.string().nullable(),
    tollFree: z.boolean(),
  })
  .readonly();
export type DialInNumber = z.infer<typeof DialInNumberSchema>;

const common = {
  /** The provider's id for `getMeeting`: Graph onlineMeeting id, Zoom meeting id, Calendar event id. */
  externalId: z.string(),
  joinUrl: z.string(),
  /** What people type to join: Teams join meeting ID, Zoom meeting ID, Meet code. */
  meetingId: z.string().nullable(),
  passcode: z.string().nullable(),
  dialIns: z.array(DialInNumberSchema).readonly(),
  startsAt: z.iso.datetime({ offset: true }).nullable(),
  endsAt: z.iso.datetime({ offset: true }).nullable(),
};

/**
 * A meeting created on (or read from) a provider, as its API described it. Field names follow
 * the recognised-link record of `@tandem/shared` links, so the UI shows both the same way.
 */
export const ProviderMeetingSchema = z.discriminatedUnion('platform', [
  z
    .object({
      platform: z.literal('teams'),
      ...common,
      /** "Phone conference ID" the audio bridge asks for. */
      conferenceId: z.string().nullable(),
      /** Page listing every dial-in number of the tenant. */
      dialInInfoUrl: z.string().nullable(),
      /** The video conferencing device section of its join information (Cloud Video Interop); null when none. */
      sipBridge: SipBridgeSchema.nullable(),
    })
    .readonly(),
  z
    .object({
      platform: z.literal('zoom'),
      ...common,
      /** Numeric passcode for phone callers, which differs from the web passcode. */
      phonePasscode: z.string().nullable(),
      /** Its room connector's SIP address (`<ID>.<passcode>@zoomcrc.com`). */
      sipBridge: SipBridgeSchema.nullable(),
    })
    .readonly(),
  z
    .object({
      platform: z.literal('meet'),
      ...common,
      /** PIN the Meet phone bridge asks for. */
      pin: z.string().nullable(),
    })
    .readonly(),
]);
export type ProviderMeeting = z.infer<typeof ProviderMeetingSchema>;
export type MeetingPlatform = ProviderMeeting['platform'];

/** A calendar event as a provider lists it, before linked-meeting detection. */
export type ProviderEvent = {
  readonly provider: ProviderId;
  readonly externalId: string;
  readonly title: string;
  /** ISO 8601 with offset; all-day events start at midnight UTC of their date. */
  readonly startsAt: string;
  readonly endsAt: string;
  readonly allDay: boolean;
  readonly location: string | null;
  /** The body as plain text, with link targets kept next to their labels. */
  readonly bodyText: string | null;
  /** The provider's own structured join link (Graph onlineMeeting, Google conference), if any. */
  readonly joinUrl: string | null;
  /** Opens the event in the provider's calendar. */
  readonly webLink: string | null;
};

/**
 * One event of a calendar as an incremental list (Google's sync token) says it now is. A cancelled
 * event may come with its id and status only, so everything else is nullable.
 */
export type CalendarChange = {
  readonly externalId: string;
  readonly cancelled: boolean;
  readonly title: string | null;
  /** ISO 8601 UTC; an all-day event's date at midnight UTC. */
  readonly startsAt: string | null;
  readonly endsAt: string | null;
  /** An instance of a recurring event: the series' id and the instance's start under the rule. */
  readonly seriesId: string | null;
  readonly originalStart: string | null;
  /** False when the calendar's owner is only invited (their copy of someone else's event). */
  readonly organiser: boolean;
  /** When the provider last changed it, by its own clock (Google's `updated`); null when not given. */
  readonly updated: string | null;
  /**
   * The IANA zone its start is written in (Google's `start.timeZone`; for Graph, which names
   * Windows zones, CLDR's main zone for the series' `recurrenceTimeZone`); null when none is given.
   */
  readonly timeZone: string | null;
  /** The Windows zone Graph gave (`recurrenceTimeZone`), which any IANA zone mapped to it matches; null from Google. */
  readonly windowsZone: string | null;
  /** A recurring event's own lines (`RRULE:…`, `EXDATE:…`, as RFC 5545 writes them); null for any other. */
  readonly recurrence: readonly string[] | null;
};

export type CreateMeetingInput = {
  readonly title: string;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly description?: string;
  /** Makes a retried create idempotent where the provider supports it (Google's requestId). */
  readonly requestId: string;
  /** The IANA zone it is scheduled in (Zoom and Google keep it; Graph's onlineMeetings has none). */
  readonly timeZone?: string;
  /** A series' RFC 5545 rule in that zone, for Google (which takes RRULE lines). */
  readonly rrule?: string;
  /** With `rrule`: the EXDATE line of the occurrences Google's own calendar took out, kept through our writes. */
  readonly exdate?: string;
  /** The same series for providers with their own recurrence shapes (Zoom type 8, a Graph event's pattern and range). */
  readonly series?: SeriesInput;
  /** Invitees' e-mail addresses, where the provider invites (Google attendees, Teams participants). */
  readonly attendees?: readonly string[];
};

/** The wall clock of a time in the meeting's zone, as providers schedule series. */
export type WallClock = {
  /** `YYYY-MM-DD` and `HH:mm:ss`. */
  readonly date: string;
  readonly time: string;
  readonly weekday: Weekday;
  /** Day of the month and month (1–12). */
  readonly day: number;
  readonly month: number;
};

export type SeriesInput = {
  readonly recurrence: Recurrence;
  /** The first occurrence's start and end on the zone's wall clock. */
  readonly start: WallClock;
  readonly end: WallClock;
  /** An `until` end's last instant (the end of that day in the zone), for Zoom's `end_date_time`. */
  readonly untilAt?: Date;
};

/** What an update sends: the meeting as it now is. */
export type UpdateMeetingInput = Omit<CreateMeetingInput, 'requestId'>;

/** One occurrence of a series changed on its own: named by its start by the rule, as providers name them. */
export type OccurrenceInput = {
  readonly originalStart: Date;
  /** Where it was before this change (where the provider has it now), to find it again once moved. */
  readonly currentStart: Date;
  readonly startsAt: Date;
  readonly endsAt: Date;
  readonly title: string;
  /**
   * The occurrence's description, for a provider that keeps no title per occurrence (Zoom keeps
   * an occurrence's agenda, not its topic): its own title first when it has one, then the series'.
   */
  readonly description: string;
};

export type TimeWindow = { readonly start: Date; readonly end: Date };

/** One adapter per provider account kind; every method fails only with ProviderError. */
export type MeetingProvider = {
  readonly id: ProviderId;
  readonly platform: MeetingPlatform;
  createMeeting(input: CreateMeetingInput): Promise<ProviderMeeting>;
  getMeeting(externalId: string): Promise<ProviderMeeting>;
  /**
   * Changes the provider's meeting to match ours (title, time, zone, rule, invitees). Answers the
   * provider's stamp of the meeting as written (Google's `updated`), null where it gives none.
   */
  updateMeeting(externalId: string, input: UpdateMeetingInput): Promise<string | null>;
  /** Cancels (deletes) the provider's meeting; one already gone counts as cancelled. */
  cancelMeeting(externalId: string): Promise<void>;
  /** Moves or retitles one occurrence of the provider's series (what the provider keeps per occurrence). */
  updateOccurrence(externalId: string, occurrence: OccurrenceInput): Promise<void>;
  /** Cancels one occurrence of the provider's series; one already gone counts as cancelled. */
  cancelOccurrence(externalId: string, occurrence: OccurrenceInput): Promise<void>;
  listEvents(window: TimeWindow): Promise<readonly ProviderEvent[]>;
  /** Fetches a new access token now (e.g. to test a connection). */
  refreshCredentials(): Promise<void>;
};

/** An ISO timestamp from a provider, normalised to UTC `Z` form; null when unparsable. */
export function isoUtc(value: string): string | null {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
