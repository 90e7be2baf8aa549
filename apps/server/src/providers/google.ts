import { z } from 'zod';
import { htmlToText } from './htmlText.ts';
import {
  isoUtc,
  type CalendarChange,
  type MeetingProvider,
  type OccurrenceInput,
  type ProviderEvent,
  type ProviderMeeting,
  type UpdateMeetingInput,
} from './model.ts';
import { gone, ProviderError } from './providerError.ts';
import { defaultHttpRuntime, providerHttp, type HttpRuntime } from './providerHttp.ts';
import type { TokenSource } from './tokenSource.ts';

export const GOOGLE_API_BASE_URL = 'https://www.googleapis.com';

const EntryPointSchema = z.object({
  entryPointType: z.string(),
  uri: z.string(),
  label: z.string().nullish(),
  pin: z.string().nullish(),
  meetingCode: z.string().nullish(),
  passcode: z.string().nullish(),
  regionCode: z.string().nullish(),
});

const EventTimeSchema = z.object({
  dateTime: z.string().nullish(),
  date: z.string().nullish(),
  timeZone: z.string().nullish(),
});

/** Calendar API v3 Event resource, the fields we read. */
const EventSchema = z.object({
  id: z.string(),
  status: z.string().nullish(),
  summary: z.string().nullish(),
  description: z.string().nullish(),
  location: z.string().nullish(),
  htmlLink: z.string().nullish(),
  hangoutLink: z.string().nullish(),
  start: EventTimeSchema,
  end: EventTimeSchema,
  conferenceData: z
    .object({
      conferenceId: z.string().nullish(),
      createRequest: z
        .object({ status: z.object({ statusCode: z.enum(['pending', 'success', 'failure']) }) })
        .nullish(),
      entryPoints: z.array(EntryPointSchema).nullish(),
      conferenceSolution: z.object({ key: z.object({ type: z.string() }) }).nullish(),
    })
    .nullish(),
});
type GoogleEvent = z.infer<typeof EventSchema>;
/** The event as a write left it: when Google last changed it (RFC 3339, Google's clock). */
const StampSchema = z.object({ updated: z.string().nullish() });

const EventListSchema = z.object({ items: z.array(EventSchema), nextPageToken: z.string().nullish() });

const MAX_PAGES = 10;
/** Meet conferences are usually ready in the create response; pending ones within seconds. */
const PENDING_POLLS = 5;
const PENDING_POLL_MS = 1_000;

/** `tel:+1-555-0100` → `+1-555-0100`; the label carries the printed form when there is one. */
function phoneNumber(entry: z.infer<typeof EntryPointSchema>): string {
  return entry.label ?? entry.uri.replace(/^tel:/, '');
}

function toMeeting(event: GoogleEvent): ProviderMeeting {
  const solution = event.conferenceData?.conferenceSolution?.key.type;
  // Add-ons put other conferences (Zoom, Teams) in the same field; only Meet is ours to describe.
  if (solution !== undefined && solution !== 'hangoutsMeet') {
    throw new ProviderError('google', 'bad_response', `event ${event.id} has a ${solution} conference, not Meet`);
  }
  const entries = event.conferenceData?.entryPoints ?? [];
  const video = entries.find((e) => e.entryPointType === 'video');
  const phones = entries.filter((e) => e.entryPointType === 'phone');
  const joinUrl = video?.uri ?? event.hangoutLink;
  if (joinUrl == null) throw new ProviderError('google', 'bad_response', `event ${event.id} has no Meet conference`);
  return {
    platform: 'meet',
    externalId: event.id,
    joinUrl,
    meetingId: video?.meetingCode ?? event.conferenceData?.conferenceId ?? null,
    passcode: video?.passcode ?? null,
    pin: phones.find((p) => p.pin)?.pin ?? null,
    dialIns: phones.map((p) => ({ number: phoneNumber(p), label: p.regionCode ?? null, tollFree: false })),
    startsAt: startOf(event),
    endsAt: endOf(event),
  };
}

/** All-day events carry a date only; they are placed at midnight UTC of that date. Null: none readable. */
const timeOf = (time: z.infer<typeof EventTimeSchema> | null | undefined): string | null =>
  time?.dateTime ? isoUtc(time.dateTime) : time?.date ? isoUtc(`${time.date}T00:00:00Z`) : null;

function eventTime(time: z.infer<typeof EventTimeSchema>, eventId: string): string {
  const iso = timeOf(time);
  if (iso === null) throw new ProviderError('google', 'bad_response', `event ${eventId} has no readable time`);
  return iso;
}
const startOf = (event: GoogleEvent) => eventTime(event.start, event.id);
const endOf = (event: GoogleEvent) => eventTime(event.end, event.id);

function toEvent(event: GoogleEvent): ProviderEvent {
  const video = event.conferenceData?.entryPoints?.find((e) => e.entryPointType === 'video');
  return {
    provider: 'google',
    externalId: event.id,
    title: event.summary ?? '',
    startsAt: startOf(event),
    endsAt: endOf(event),
    allDay: !event.start.dateTime,
    location: event.location || null,
    // Descriptions are HTML when written in Google Calendar's editor, plain text from elsewhere.
    bodyText: event.description ? htmlToText(event.description) || null : null,
    joinUrl: video?.uri ?? event.hangoutLink ?? null,
    webLink: event.htmlLink ?? null,
  };
}

/** An event's fields: in its zone, with its rule and attendees (Calendar API v3 Events resource). */
const googleBody = (input: UpdateMeetingInput) => {
  const zone = input.timeZone === undefined ? {} : { timeZone: input.timeZone };
  return {
    summary: input.title,
    ...(input.description === undefined ? {} : { description: input.description }),
    start: { dateTime: input.startsAt.toISOString(), ...zone },
    end: { dateTime: input.endsAt.toISOString(), ...zone },
    ...(input.rrule === undefined
      ? {}
      : { recurrence: [`RRULE:${input.rrule}`, ...(input.exdate === undefined ? [] : [input.exdate])] }),
    ...(input.attendees === undefined ? {} : { attendees: input.attendees.map((email) => ({ email })) }),
  };
};

/**
 * Google Calendar events with Meet conferences through Calendar API v3, delegated OAuth
 * (calendar.events scope) on the user's primary calendar.
 */
export function googleProvider(
  tokens: TokenSource,
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime; readonly calendarId?: string } = {},
): MeetingProvider {
  const runtime = options.runtime ?? defaultHttpRuntime;
  const http = providerHttp('google', options.baseUrl ?? GOOGLE_API_BASE_URL, tokens, runtime);
  const events = `/calendar/v3/calendars/${encodeURIComponent(options.calendarId ?? 'primary')}/events`;
  const getEvent = (id: string) => http.call(EventSchema, 'GET', `${events}/${encodeURIComponent(id)}`);
  /** The instance of a recurring event for one occurrence, named by its original start. */
  async function instanceOf(externalId: string, occurrence: OccurrenceInput): Promise<string> {
    const list = await http.call(EventListSchema, 'GET', `${events}/${encodeURIComponent(externalId)}/instances`, {
      query: { originalStart: occurrence.originalStart.toISOString(), showDeleted: 'true' },
    });
    const found = list.items[0];
    if (found === undefined) throw new ProviderError('google', 'not_found', 'Google has no such occurrence');
    return found.id;
  }

  return {
    id: 'google',
    platform: 'meet',
    async updateMeeting(externalId, input) {
      // A PATCH keeps what it leaves out, and an array it gives replaces the event's: a meeting that
      // no longer repeats sends no lines, and the series becomes a single event.
      const written = await http.call(StampSchema, 'PATCH', `${events}/${encodeURIComponent(externalId)}`, {
        body: { ...googleBody(input), ...(input.rrule === undefined ? { recurrence: [] } : {}) },
      });
      return written.updated ?? null;
    },
    async cancelMeeting(externalId) {
      await gone(http.call(z.unknown(), 'DELETE', `${events}/${encodeURIComponent(externalId)}`));
    },
    async updateOccurrence(externalId, occurrence) {
      const instance = await instanceOf(externalId, occurrence);
      await http.call(z.unknown(), 'PATCH', `${events}/${encodeURIComponent(instance)}`, {
        body: {
          summary: occurrence.title,
          start: { dateTime: occurrence.startsAt.toISOString() },
          end: { dateTime: occurrence.endsAt.toISOString() },
        },
      });
    },
    async cancelOccurrence(externalId, occurrence) {
      await gone(
        (async () =>
          http.call(
            z.unknown(),
            'DELETE',
            `${events}/${encodeURIComponent(await instanceOf(externalId, occurrence))}`,
          ))(),
      );
    },
    async createMeeting(input) {
      let event = await http.call(EventSchema, 'POST', events, {
        query: { conferenceDataVersion: '1' },
        body: {
          ...googleBody(input),
          conferenceData: {
            // The same requestId on a retried create returns the same conference, not a second one.
            createRequest: { requestId: input.requestId, conferenceSolutionKey: { type: 'hangoutsMeet' } },
          },
        },
      });
      for (let poll = 0; event.conferenceData?.createRequest?.status.statusCode === 'pending'; poll += 1) {
        if (poll === PENDING_POLLS) {
          throw new ProviderError('google', 'unavailable', `Meet conference for event ${event.id} is still pending`, {
            retryAfterMs: PENDING_POLL_MS,
          });
        }
        await runtime.sleep(PENDING_POLL_MS);
        event = await getEvent(event.id);
      }
      if (event.conferenceData?.createRequest?.status.statusCode === 'failure') {
        throw new ProviderError(
          'google',
          'bad_response',
          `Google could not create a Meet conference for event ${event.id}`,
        );
      }
      return toMeeting(event);
    },
    async getMeeting(externalId) {
      return toMeeting(await getEvent(externalId));
    },
    async listEvents(window) {
      const found: ProviderEvent[] = [];
      let pageToken: string | undefined = undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const result: z.infer<typeof EventListSchema> = await http.call(EventListSchema, 'GET', events, {
          query: {
            timeMin: window.start.toISOString(),
            timeMax: window.end.toISOString(),
            // Expands recurring events into their instances, which is what a day view shows.
            singleEvents: 'true',
            orderBy: 'startTime',
            maxResults: '250',
            ...(pageToken === undefined ? {} : { pageToken }),
          },
        });
        found.push(...result.items.filter((e) => e.status !== 'cancelled').map(toEvent));
        pageToken = result.nextPageToken ?? undefined;
        if (pageToken === undefined) break;
      }
      return found;
    },
    async refreshCredentials() {
      await tokens.refresh();
    },
  };
}

const ChannelSchema = z.object({
  id: z.string(),
  resourceId: z.string(),
  /** Milliseconds since the epoch, as a string. */
  expiration: z.string().nullish(),
});

/**
 * Watches the primary calendar's events (Calendar API v3 `events.watch`): Google POSTs to
 * `address` with `X-Goog-Channel-ID`, `X-Goog-Channel-Token` (our `token`), `X-Goog-Resource-ID`
 * and `X-Goog-Resource-State` (`sync` once, then `exists`) whenever an event changes. Channels
 * cannot be renewed: a new one replaces it before `expiration`.
 */
export async function watchGoogleCalendar(
  tokens: TokenSource,
  request: { readonly id: string; readonly address: string; readonly token: string; readonly expiresAt: Date },
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime } = {},
): Promise<{ readonly id: string; readonly resourceId: string; readonly expiresAt: string }> {
  const http = providerHttp('google', options.baseUrl ?? GOOGLE_API_BASE_URL, tokens, options.runtime);
  const channel = await http.call(ChannelSchema, 'POST', '/calendar/v3/calendars/primary/events/watch', {
    body: {
      id: request.id,
      type: 'web_hook',
      address: request.address,
      token: request.token,
      expiration: request.expiresAt.getTime(),
    },
  });
  const expires = channel.expiration == null ? request.expiresAt.getTime() : Number(channel.expiration);
  return { id: channel.id, resourceId: channel.resourceId, expiresAt: new Date(expires).toISOString() };
}

/** Stops a push channel (`channels.stop`); one Google no longer knows counts as stopped. */
export async function stopGoogleChannel(
  tokens: TokenSource,
  channel: { readonly id: string; readonly resourceId: string },
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime } = {},
): Promise<void> {
  const http = providerHttp('google', options.baseUrl ?? GOOGLE_API_BASE_URL, tokens, options.runtime);
  await gone(http.call(z.unknown(), 'POST', '/calendar/v3/channels/stop', { body: channel }));
}

const ChangesSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      status: z.string().nullish(),
      summary: z.string().nullish(),
      start: EventTimeSchema.nullish(),
      end: EventTimeSchema.nullish(),
      recurringEventId: z.string().nullish(),
      originalStartTime: EventTimeSchema.nullish(),
      organizer: z.object({ self: z.boolean().nullish() }).nullish(),
      recurrence: z.array(z.string()).nullish(),
      updated: z.string().nullish(),
    }),
  ),
  nextPageToken: z.string().nullish(),
  nextSyncToken: z.string().nullish(),
});

const toChange = (e: z.infer<typeof ChangesSchema>['items'][number]): CalendarChange => ({
  externalId: e.id,
  cancelled: e.status === 'cancelled',
  title: e.summary ?? null,
  startsAt: timeOf(e.start),
  endsAt: timeOf(e.end),
  seriesId: e.recurringEventId ?? null,
  originalStart: timeOf(e.originalStartTime),
  // Google sets `self` on the organiser's own copy; an event without an organiser is the calendar's own.
  organiser: e.organizer == null || e.organizer.self === true,
  timeZone: e.start?.timeZone ?? null,
  windowsZone: null,
  recurrence: e.recurrence ?? null,
  updated: e.updated ?? null,
});

/**
 * The primary calendar's events changed since `syncToken` (Calendar API v3 incremental sync:
 * `events.list?syncToken=`, every page, until `nextSyncToken`), or, without one or once Google
 * answers 410 Gone (the token expired), a full list from now on that starts a new position.
 * Answers what the changed events now are (cancelled ones included) and the next sync token.
 */
export async function googleCalendarChanges(
  tokens: TokenSource,
  syncToken: string | null,
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime; readonly now?: Date } = {},
): Promise<{ readonly changed: readonly CalendarChange[]; readonly full: boolean; readonly syncToken: string }> {
  const http = providerHttp('google', options.baseUrl ?? GOOGLE_API_BASE_URL, tokens, options.runtime);
  const list = async (from: string | null) => {
    const changed: CalendarChange[] = [];
    let pageToken: string | undefined = undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result: z.infer<typeof ChangesSchema> = await http.call(
        ChangesSchema,
        'GET',
        '/calendar/v3/calendars/primary/events',
        {
          query: {
            // Recurring events unexpanded, on every list (a sync token is bound to it): a series
            // changed as a whole comes as its master event with its rule, a changed occurrence as
            // its own event (`recurringEventId`, `originalStartTime`). timeMin only on a full list
            // (Google refuses it with a sync token).
            singleEvents: 'false',
            ...(from === null ? { timeMin: (options.now ?? new Date()).toISOString() } : { syncToken: from }),
            maxResults: '250',
            ...(pageToken === undefined ? {} : { pageToken }),
          },
        },
      );
      changed.push(...result.items.map(toChange));
      if (result.nextSyncToken) return { changed, full: from === null, syncToken: result.nextSyncToken };
      pageToken = result.nextPageToken ?? undefined;
      if (pageToken === undefined) break;
    }
    throw new ProviderError('google', 'bad_response', 'the event list ended without a sync token');
  };
  if (syncToken === null) return list(null);
  try {
    return await list(syncToken);
  } catch (error) {
    // 410 Gone: the sync token is no longer valid; Google says to start again with a full list.
    if (error instanceof ProviderError && error.details.status === 410) return list(null);
    throw error;
  }
}
