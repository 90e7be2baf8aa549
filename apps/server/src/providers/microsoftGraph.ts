import { timingSafeEqual } from 'node:crypto';
import { teamsSipBridge, type Weekday } from '@tandem/shared';
import { DateTime } from 'luxon';
import { z } from 'zod';
import { htmlToText } from './htmlText.ts';
import {
  isoUtc,
  type CalendarChange,
  type MeetingProvider,
  type ProviderEvent,
  type OccurrenceInput,
  type ProviderMeeting,
  type SeriesInput,
  type UpdateMeetingInput,
} from './model.ts';
import { gone, ProviderError } from './providerError.ts';
import { defaultHttpRuntime, providerHttp, type HttpRuntime } from './providerHttp.ts';
import type { TokenSource } from './tokenSource.ts';
import { ianaZone, windowsZone } from './windowsZones.ts';

export const GRAPH_BASE_URL = 'https://graph.microsoft.com';

/** onlineMeeting resource (v1.0), the fields we read. */
const OnlineMeetingSchema = z.object({
  id: z.string(),
  joinWebUrl: z.string().url(),
  startDateTime: z.string().nullish(),
  endDateTime: z.string().nullish(),
  joinMeetingIdSettings: z.object({ joinMeetingId: z.string().nullish(), passcode: z.string().nullish() }).nullish(),
  audioConferencing: z
    .object({
      conferenceId: z.string().nullish(),
      tollNumber: z.string().nullish(),
      tollFreeNumber: z.string().nullish(),
      tollNumbers: z.array(z.string()).nullish(),
      tollFreeNumbers: z.array(z.string()).nullish(),
      dialinUrl: z.string().nullish(),
    })
    .nullish(),
  /** The invitation's join section (itemBody), HTML as a `data:text/html,` URL (form-encoded). */
  joinInformation: z.object({ content: z.string(), contentType: z.string().nullish() }).nullish(),
  videoTeleconferenceId: z.string().nullish(),
});

/** dateTimeTimeZone; we ask Graph for UTC with `Prefer: outlook.timezone`, and hold it to that. */
const DateTimeTimeZoneSchema = z
  .object({ dateTime: z.string(), timeZone: z.string() })
  .refine((value) => value.timeZone === 'UTC', { message: 'expected times in UTC' });

const EventSchema = z.object({
  id: z.string(),
  subject: z.string().nullish(),
  isAllDay: z.boolean().nullish(),
  isCancelled: z.boolean().nullish(),
  start: DateTimeTimeZoneSchema,
  end: DateTimeTimeZoneSchema,
  location: z.object({ displayName: z.string().nullish() }).nullish(),
  body: z.object({ contentType: z.enum(['text', 'html']), content: z.string() }).nullish(),
  onlineMeeting: z.object({ joinUrl: z.string().nullish() }).nullish(),
  webLink: z.string().nullish(),
});

/** A Graph collection page: its items, and the absolute link to the next page while there is one. */
const pageOf = <S extends z.ZodType>(item: S) =>
  z.object({ value: z.array(item), '@odata.nextLink': z.string().optional() });

/** Graph caps a page (calendarView, instances); ten pages of 100 cover any realistic window. */
const MAX_PAGES = 10;

function dialIns(audio: z.infer<typeof OnlineMeetingSchema>['audioConferencing']): ProviderMeeting['dialIns'] {
  if (audio === null || audio === undefined) return [];
  // tollNumber/tollFreeNumber are deprecated singles that Graph also copies into the lists.
  const toll = new Set([...(audio.tollNumbers ?? []), ...(audio.tollNumber ? [audio.tollNumber] : [])]);
  const tollFree = new Set([...(audio.tollFreeNumbers ?? []), ...(audio.tollFreeNumber ? [audio.tollFreeNumber] : [])]);
  return [
    ...[...toll].map((number) => ({ number, label: null, tollFree: false })),
    ...[...tollFree].map((number) => ({ number, label: null, tollFree: true })),
  ];
}

/**
 * The text of an onlineMeeting's `joinInformation`: Graph writes the invitation's HTML as a data
 * URL (`data:text/html,%3cdiv+…`, form-encoded); plain HTML or text is taken as it is.
 */
function joinInformationText(info: { readonly content: string; readonly contentType?: string | null }): string {
  const data = /^data:text\/html,/i.exec(info.content);
  let html = info.content;
  if (data !== null) {
    try {
      html = decodeURIComponent(info.content.slice(data[0].length).replace(/\+/g, ' '));
    } catch {
      return '';
    }
  }
  return info.contentType === 'text' ? html : htmlToText(html);
}

function toMeeting(meeting: z.infer<typeof OnlineMeetingSchema>): ProviderMeeting {
  return {
    platform: 'teams',
    externalId: meeting.id,
    joinUrl: meeting.joinWebUrl,
    meetingId: meeting.joinMeetingIdSettings?.joinMeetingId ?? null,
    passcode: meeting.joinMeetingIdSettings?.passcode ?? null,
    dialIns: dialIns(meeting.audioConferencing),
    startsAt: meeting.startDateTime ? isoUtc(meeting.startDateTime) : null,
    endsAt: meeting.endDateTime ? isoUtc(meeting.endDateTime) : null,
    conferenceId: meeting.audioConferencing?.conferenceId ?? null,
    dialInInfoUrl: meeting.audioConferencing?.dialinUrl ?? null,
    sipBridge:
      meeting.joinInformation == null
        ? null
        : teamsSipBridge(joinInformationText(meeting.joinInformation), meeting.videoTeleconferenceId ?? null),
  };
}

/** Graph writes UTC times without an offset (`2026-11-26T10:00:00.0000000`). */
function graphUtc(dateTime: string): string {
  const iso = isoUtc(/[zZ]|[+-]\d\d:\d\d$/.test(dateTime) ? dateTime : `${dateTime}Z`);
  if (iso === null) throw new ProviderError('microsoft', 'bad_response', `unreadable event time "${dateTime}"`);
  return iso;
}

function toEvent(event: z.infer<typeof EventSchema>): ProviderEvent {
  const body = event.body;
  return {
    provider: 'microsoft',
    externalId: event.id,
    title: event.subject ?? '',
    startsAt: graphUtc(event.start.dateTime),
    endsAt: graphUtc(event.end.dateTime),
    allDay: event.isAllDay ?? false,
    location: event.location?.displayName || null,
    bodyText: body ? (body.contentType === 'html' ? htmlToText(body.content) : body.content) || null : null,
    joinUrl: event.onlineMeeting?.joinUrl ?? null,
    webLink: event.webLink ?? null,
  };
}

/** A Teams series is an event on the organiser's calendar; its stored id says so, apart from onlineMeeting ids. */
const SERIES_PREFIX = 'event:';
const seriesEventId = (externalId: string): string | undefined =>
  externalId.startsWith(SERIES_PREFIX) ? externalId.slice(SERIES_PREFIX.length) : undefined;

/** The event a series is made as (the fields we read back): its Teams meeting is `onlineMeeting`. */
const SeriesEventSchema = z.object({
  id: z.string(),
  onlineMeeting: z
    .object({
      joinUrl: z.string().url(),
      conferenceId: z.string().nullish(),
      tollNumber: z.string().nullish(),
      tollFreeNumbers: z.array(z.string()).nullish(),
    })
    .nullish(),
});

const InstanceSchema = z.object({ id: z.string(), originalStart: z.string() });
/**
 * Graph lists a series' instances where they are now (overlapping the range asked), each named
 * by its `originalStart`; a day either side of one time lists whatever starts there, a few at most.
 */
const AROUND_MS = 24 * 3600_000;

/** A time as Graph takes it in UTC: no offset, the zone named apart. */
const utcTime = (at: Date) => ({ dateTime: at.toISOString().replace(/Z$/, ''), timeZone: 'UTC' });

const GRAPH_DAY: Readonly<Record<Weekday, string>> = {
  MO: 'monday',
  TU: 'tuesday',
  WE: 'wednesday',
  TH: 'thursday',
  FR: 'friday',
  SA: 'saturday',
  SU: 'sunday',
};
/** Graph's weekIndex for the nth weekday of a month (1–4, or -1 for the last). */
const graphIndex = (week: number): string =>
  ['last', 'first', 'second', 'third', 'fourth'][Math.max(0, week)] ?? 'last';

/** A series as Graph's patternedRecurrence: the pattern on the zone's wall clock, and its range. */
function graphRecurrence(series: SeriesInput, zone: string) {
  const { recurrence, start } = series;
  const { frequency, interval, end } = recurrence;
  const week = recurrence.monthly?.on === 'weekday' ? recurrence.monthly.week : undefined;
  const yearly = frequency === 'yearly' ? { month: start.month } : {};
  const pattern =
    frequency === 'daily'
      ? { type: 'daily', interval }
      : frequency === 'weekly'
        ? {
            type: 'weekly',
            interval,
            daysOfWeek: (recurrence.weekdays ?? [start.weekday]).map((d) => GRAPH_DAY[d]),
            firstDayOfWeek: 'monday',
          }
        : week === undefined
          ? {
              type: frequency === 'monthly' ? 'absoluteMonthly' : 'absoluteYearly',
              interval,
              dayOfMonth: start.day,
              ...yearly,
            }
          : {
              type: frequency === 'monthly' ? 'relativeMonthly' : 'relativeYearly',
              interval,
              daysOfWeek: [GRAPH_DAY[start.weekday]],
              index: graphIndex(week),
              ...yearly,
            };
  const range =
    end.type === 'never'
      ? { type: 'noEnd' }
      : end.type === 'count'
        ? { type: 'numbered', numberOfOccurrences: end.count }
        : { type: 'endDate', endDate: end.until };
  return { pattern, range: { ...range, startDate: start.date, recurrenceTimeZone: zone } };
}

/**
 * The zone Graph takes for one of ours: its Windows name (Graph refuses most IANA names with 400
 * `TimeZoneNotSupportedException`). Refused before anything is sent for the rare zone with none.
 */
function graphZone(iana: string): string {
  const zone = windowsZone(iana);
  if (zone === null)
    throw new ProviderError('microsoft', 'bad_response', `Teams has no time zone like ${iana}: choose another zone`);
  return zone;
}

/** A series' event: in its zone, with its pattern, a Teams meeting, and the invitees as attendees. */
function seriesEventBody(input: UpdateMeetingInput, series: SeriesInput) {
  const zone = graphZone(input.timeZone ?? 'UTC');
  return {
    subject: input.title,
    ...(input.description === undefined ? {} : { body: { contentType: 'text', content: input.description } }),
    start: { dateTime: `${series.start.date}T${series.start.time}`, timeZone: zone },
    end: { dateTime: `${series.end.date}T${series.end.time}`, timeZone: zone },
    recurrence: graphRecurrence(series, zone),
    isOnlineMeeting: true,
    onlineMeetingProvider: 'teamsForBusiness',
    attendees: (input.attendees ?? []).map((address) => ({ emailAddress: { address }, type: 'required' })),
  };
}

function seriesMeeting(event: z.infer<typeof SeriesEventSchema>, input: UpdateMeetingInput): ProviderMeeting {
  const online = event.onlineMeeting;
  if (online == null)
    throw new ProviderError('microsoft', 'bad_response', `event ${event.id} came back without its Teams meeting`);
  return {
    platform: 'teams',
    externalId: `${SERIES_PREFIX}${event.id}`,
    joinUrl: online.joinUrl,
    meetingId: null,
    passcode: null,
    dialIns: dialIns({ tollNumber: online.tollNumber, tollFreeNumbers: online.tollFreeNumbers }),
    startsAt: input.startsAt.toISOString(),
    endsAt: input.endsAt.toISOString(),
    conferenceId: online.conferenceId ?? null,
    dialInInfoUrl: null,
    // An event's onlineMeetingInfo carries no join information (its body is the invitation, not read here).
    sipBridge: null,
  };
}

/**
 * Teams meetings and Outlook calendars through Microsoft Graph with a delegated token (the
 * signed-in user's `/me`): OnlineMeetings.ReadWrite and Calendars.ReadWrite. A single meeting is
 * an onlineMeeting; a series is an event with a recurrence on the organiser's calendar, whose
 * Teams meeting Graph makes with it (an onlineMeeting has no recurrence).
 */
/** An onlineMeeting's fields (Graph keeps no zone or recurrence on one: a series is its first time). */
const graphBody = (input: UpdateMeetingInput) => ({
  subject: input.title,
  startDateTime: input.startsAt.toISOString(),
  endDateTime: input.endsAt.toISOString(),
  ...(input.attendees === undefined || input.attendees.length === 0
    ? {}
    : { participants: { attendees: input.attendees.map((upn) => ({ upn, role: 'attendee' })) } }),
});

export function microsoftGraphProvider(
  tokens: TokenSource,
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime } = {},
): MeetingProvider {
  const http = providerHttp(
    'microsoft',
    options.baseUrl ?? GRAPH_BASE_URL,
    tokens,
    options.runtime ?? defaultHttpRuntime,
  );
  /** Every item of a Graph collection, following `@odata.nextLink` (on our host only) up to MAX_PAGES. */
  async function everyPage<S extends z.ZodType>(
    item: S,
    path: string,
    options: { readonly query: Readonly<Record<string, string>>; readonly headers?: Readonly<Record<string, string>> },
  ): Promise<z.infer<S>[]> {
    const schema = pageOf(item);
    const items: z.infer<S>[] = [];
    let next: string | undefined = undefined;
    for (let page = 0; page < MAX_PAGES; page += 1) {
      const result: z.infer<typeof schema> = await http.call(schema, 'GET', next ?? path, {
        ...(options.headers === undefined ? {} : { headers: options.headers }),
        ...(next === undefined ? { query: options.query } : {}),
      });
      items.push(...result.value);
      next = result['@odata.nextLink'];
      if (next === undefined) break;
    }
    return items;
  }

  /**
   * The instance of a Teams series for one occurrence, whatever its date in the series: Graph
   * lists instances where they are now, so it is looked for around where we last put it, then
   * around its start by the rule, and matched by its `originalStart`, which names it as ours does.
   */
  async function instanceOf(externalId: string, occurrence: OccurrenceInput): Promise<string> {
    const event = seriesEventId(externalId);
    if (event === undefined)
      throw new ProviderError('microsoft', 'not_found', 'this Teams meeting is not a series: it has no occurrences');
    const original = occurrence.originalStart.getTime();
    for (const at of new Set([occurrence.currentStart.getTime(), original])) {
      const listed = await everyPage(InstanceSchema, `/v1.0/me/events/${encodeURIComponent(event)}/instances`, {
        query: {
          startDateTime: new Date(at - AROUND_MS).toISOString(),
          endDateTime: new Date(at + AROUND_MS).toISOString(),
          $select: 'id,originalStart',
        },
      });
      const found = listed.find((i) => Date.parse(i.originalStart) === original);
      if (found !== undefined) return found.id;
    }
    throw new ProviderError('microsoft', 'not_found', 'Teams has no such occurrence of the series');
  }
  return {
    id: 'microsoft',
    platform: 'teams',
    async createMeeting(input) {
      if (input.series !== undefined) {
        const event = await http.call(SeriesEventSchema, 'POST', '/v1.0/me/events', {
          body: seriesEventBody(input, input.series),
        });
        return seriesMeeting(event, input);
      }
      return toMeeting(
        await http.call(OnlineMeetingSchema, 'POST', '/v1.0/me/onlineMeetings', { body: graphBody(input) }),
      );
    },
    async updateMeeting(externalId, input) {
      const event = seriesEventId(externalId);
      if (event !== undefined && input.series !== undefined) {
        await http.call(z.unknown(), 'PATCH', `/v1.0/me/events/${encodeURIComponent(event)}`, {
          body: seriesEventBody(input, input.series),
        });
        return null;
      }
      if (event !== undefined) {
        // No longer a series: the event keeps its Teams meeting and becomes a single one.
        await http.call(z.unknown(), 'PATCH', `/v1.0/me/events/${encodeURIComponent(event)}`, {
          body: { subject: input.title, start: utcTime(input.startsAt), end: utcTime(input.endsAt), recurrence: null },
        });
        return null;
      }
      await http.call(z.unknown(), 'PATCH', `/v1.0/me/onlineMeetings/${encodeURIComponent(externalId)}`, {
        body: graphBody(input),
      });
      return null;
    },
    async cancelMeeting(externalId) {
      const event = seriesEventId(externalId);
      // The organiser cancels: Graph sends the attendees a cancellation and removes the series.
      await gone(
        event === undefined
          ? http.call(z.unknown(), 'DELETE', `/v1.0/me/onlineMeetings/${encodeURIComponent(externalId)}`)
          : http.call(z.unknown(), 'POST', `/v1.0/me/events/${encodeURIComponent(event)}/cancel`, {
              body: { comment: 'Cancelled in Tandem.' },
            }),
      );
    },
    async updateOccurrence(externalId, occurrence) {
      const instance = await instanceOf(externalId, occurrence);
      await http.call(z.unknown(), 'PATCH', `/v1.0/me/events/${encodeURIComponent(instance)}`, {
        body: { subject: occurrence.title, start: utcTime(occurrence.startsAt), end: utcTime(occurrence.endsAt) },
      });
    },
    async cancelOccurrence(externalId, occurrence) {
      // The organiser cancels the instance: Graph tells its attendees.
      await gone(
        (async () =>
          http.call(
            z.unknown(),
            'POST',
            `/v1.0/me/events/${encodeURIComponent(await instanceOf(externalId, occurrence))}/cancel`,
            { body: { comment: 'Cancelled in Tandem.' } },
          ))(),
      );
    },
    async getMeeting(externalId) {
      return toMeeting(
        await http.call(OnlineMeetingSchema, 'GET', `/v1.0/me/onlineMeetings/${encodeURIComponent(externalId)}`),
      );
    },
    async listEvents(window) {
      const events = await everyPage(EventSchema, '/v1.0/me/calendarView', {
        headers: { prefer: 'outlook.timezone="UTC"' },
        query: { startDateTime: window.start.toISOString(), endDateTime: window.end.toISOString(), $top: '100' },
      });
      return events.filter((event) => event.isCancelled !== true).map(toEvent);
    },
    async refreshCredentials() {
      await tokens.refresh();
    },
  };
}

/**
 * A series master's patternedRecurrence as Graph returns it: every property of the pattern is
 * there (unused ones at their defaults: `dayOfMonth` 0, `index` "first"), so each is read only
 * for the pattern types that use it.
 */
const PatternedRecurrenceSchema = z.object({
  pattern: z.object({
    type: z.enum(['daily', 'weekly', 'absoluteMonthly', 'relativeMonthly', 'absoluteYearly', 'relativeYearly']),
    interval: z.number().int().positive(),
    daysOfWeek: z.array(z.string()).nullish(),
    dayOfMonth: z.number().int().nullish(),
    month: z.number().int().nullish(),
    index: z.enum(['first', 'second', 'third', 'fourth', 'last']).nullish(),
    firstDayOfWeek: z.string().nullish(),
  }),
  range: z.object({
    type: z.enum(['noEnd', 'numbered', 'endDate']),
    endDate: z.string().nullish(),
    numberOfOccurrences: z.number().int().nullish(),
    recurrenceTimeZone: z.string().nullish(),
  }),
});

/** An event as `followedEvent` reads it: what a change in Outlook can move, retitle, re-pattern or cancel. */
const FollowedEventSchema = z.object({
  id: z.string(),
  type: z.enum(['singleInstance', 'occurrence', 'exception', 'seriesMaster']),
  subject: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  isOrganizer: z.boolean().nullish(),
  start: DateTimeTimeZoneSchema,
  end: DateTimeTimeZoneSchema,
  seriesMasterId: z.string().nullish(),
  /** An occurrence's or exception's start by the series' pattern, in UTC. */
  originalStart: z.string().nullish(),
  recurrence: PatternedRecurrenceSchema.nullish(),
  /** A master's cancelled occurrences, `OID.<master id>.<yyyy-MM-dd>` (only when `$select`ed). */
  cancelledOccurrences: z.array(z.string()).nullish(),
});

const RULE_DAY: Readonly<Record<string, Weekday>> = Object.fromEntries(
  Object.entries(GRAPH_DAY).map(([rule, graph]) => [graph, rule as Weekday]),
);
const RULE_INDEX: Readonly<Record<string, number>> = { first: 1, second: 2, third: 3, fourth: 4, last: -1 };

/**
 * A patternedRecurrence as the RFC 5545 rule it means on `zone`'s wall clock: the inverse of
 * `graphRecurrence` (pattern type to FREQ and BY parts, range to COUNT or UNTIL, the end of its
 * end date in the zone). Which of these our model keeps (one weekday of a month, …) is the
 * follower's question (`adoptedRule`); a weekday Graph does not name is no rule (null).
 */
export function graphRule(recurrence: z.infer<typeof PatternedRecurrenceSchema>, zone: string): string | null {
  const { pattern, range } = recurrence;
  const days = (pattern.daysOfWeek ?? []).map((d) => RULE_DAY[d.toLowerCase()]);
  if (days.some((d) => d === undefined)) return null;
  const nth = RULE_INDEX[pattern.index ?? 'first'] ?? 1;
  const weekStart = RULE_DAY[(pattern.firstDayOfWeek ?? 'monday').toLowerCase()] ?? 'MO';
  const byPattern: Readonly<Record<typeof pattern.type, readonly string[]>> = {
    daily: ['FREQ=DAILY'],
    // Weeks counted from another first day than Monday (rrule's default) give other weeks for an interval above 1.
    weekly: ['FREQ=WEEKLY', `BYDAY=${days.join(',')}`, ...(weekStart === 'MO' ? [] : [`WKST=${weekStart}`])],
    absoluteMonthly: ['FREQ=MONTHLY', `BYMONTHDAY=${pattern.dayOfMonth ?? 0}`],
    relativeMonthly: ['FREQ=MONTHLY', `BYDAY=${days.map((d) => `${nth}${d}`).join(',')}`],
    absoluteYearly: ['FREQ=YEARLY', `BYMONTH=${pattern.month ?? 0}`, `BYMONTHDAY=${pattern.dayOfMonth ?? 0}`],
    relativeYearly: [
      'FREQ=YEARLY',
      `BYMONTH=${pattern.month ?? 0}`,
      `BYDAY=${days.map((d) => `${nth}${d}`).join(',')}`,
    ],
  };
  const until = DateTime.fromISO(range.endDate ?? '', { zone })
    .endOf('day')
    .toUTC();
  const end =
    range.type === 'numbered'
      ? [`COUNT=${range.numberOfOccurrences ?? 0}`]
      : range.type === 'endDate'
        ? until.isValid
          ? [`UNTIL=${until.toFormat("yyyyMMdd'T'HHmmss'Z'")}`]
          : null
        : [];
  if (end === null) return null;
  const [frequency, ...rest] = byPattern[pattern.type];
  return [frequency, `INTERVAL=${pattern.interval}`, ...rest, ...end].join(';');
}

/**
 * One event of the person's calendar as it now is, named as Tandem stores a Teams event it made
 * (`event:<id>`, a series' instance under `event:<series master id>`), after a change
 * notification named it. An event Graph no longer has (deleted, or cancelled by its organiser,
 * which moves it to Deleted Items under another id) is answered as cancelled. A series master
 * carries its pattern as an RRULE line on the wall clock of its `recurrenceTimeZone`, and its
 * cancelled occurrences (`cancelledOccurrences`, each named by its date) as one EXDATE line of
 * those days; a pattern that cannot be written as a rule (a zone CLDR does not map) is an
 * `X-GRAPH-PATTERN` line instead, which no follower keeps, so that master is left alone.
 */
export async function followedEvent(
  tokens: TokenSource,
  eventId: string,
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime } = {},
): Promise<CalendarChange> {
  const http = providerHttp(
    'microsoft',
    options.baseUrl ?? GRAPH_BASE_URL,
    tokens,
    options.runtime ?? defaultHttpRuntime,
  );
  const unsaid = {
    title: null,
    startsAt: null,
    endsAt: null,
    seriesId: null,
    originalStart: null,
    organiser: true,
    updated: null,
    timeZone: null,
    windowsZone: null,
    recurrence: null,
  };
  let event: z.infer<typeof FollowedEventSchema>;
  try {
    event = await http.call(FollowedEventSchema, 'GET', `/v1.0/me/events/${encodeURIComponent(eventId)}`, {
      headers: { prefer: 'outlook.timezone="UTC"' },
      query: {
        $select:
          'type,subject,isCancelled,isOrganizer,start,end,seriesMasterId,originalStart,recurrence,cancelledOccurrences',
      },
    });
  } catch (error) {
    if (!(error instanceof ProviderError && error.code === 'not_found')) throw error;
    return { ...unsaid, externalId: `${SERIES_PREFIX}${eventId}`, cancelled: true };
  }
  const instance = event.type === 'occurrence' || event.type === 'exception';
  const windows = event.recurrence?.range.recurrenceTimeZone ?? null;
  const zone = windows === null ? null : ianaZone(windows);
  const rule = event.recurrence == null || zone === null ? null : graphRule(event.recurrence, zone);
  const days = (event.cancelledOccurrences ?? []).flatMap((oid) => {
    const date = /\.(\d{4})-(\d{2})-(\d{2})$/.exec(oid);
    return date === null ? [] : [`${date[1]}${date[2]}${date[3]}`];
  });
  return {
    externalId: `${SERIES_PREFIX}${event.id}`,
    cancelled: event.isCancelled === true,
    title: event.subject ?? null,
    startsAt: graphUtc(event.start.dateTime),
    endsAt: graphUtc(event.end.dateTime),
    seriesId: instance && event.seriesMasterId != null ? `${SERIES_PREFIX}${event.seriesMasterId}` : null,
    originalStart: instance && event.originalStart != null ? isoUtc(event.originalStart) : null,
    organiser: event.isOrganizer !== false,
    updated: null,
    timeZone: zone,
    windowsZone: windows,
    recurrence:
      event.type !== 'seriesMaster'
        ? null
        : [
            // A pattern we cannot write is no rule the follower keeps: the master is then left alone.
            rule === null ? `X-GRAPH-PATTERN:${event.recurrence?.pattern.type ?? 'none'}` : `RRULE:${rule}`,
            ...(days.length === 0 ? [] : [`EXDATE;VALUE=DATE:${days.join(',')}`]),
          ],
  };
}

const SubscriptionSchema = z.object({
  id: z.string(),
  resource: z.string(),
  changeType: z.string(),
  expirationDateTime: z.string(),
});
export type GraphSubscription = z.infer<typeof SubscriptionSchema>;

/**
 * Subscribes to changes of the user's calendar. Graph first calls `notificationUrl` with a
 * `validationToken` (answer it with `graphValidationResponse`); `clientState` comes back in
 * every notification and is how `parseGraphNotifications` knows a notification is genuine.
 */
export async function createGraphSubscription(
  tokens: TokenSource,
  request: {
    readonly notificationUrl: string;
    readonly clientState: string;
    readonly expiresAt: Date;
    readonly resource?: string;
  },
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime } = {},
): Promise<GraphSubscription> {
  const http = providerHttp(
    'microsoft',
    options.baseUrl ?? GRAPH_BASE_URL,
    tokens,
    options.runtime ?? defaultHttpRuntime,
  );
  return http.call(SubscriptionSchema, 'POST', '/v1.0/subscriptions', {
    body: {
      changeType: 'created,updated,deleted',
      notificationUrl: request.notificationUrl,
      resource: request.resource ?? 'me/events',
      expirationDateTime: request.expiresAt.toISOString(),
      clientState: request.clientState,
    },
  });
}

/** What the HTTP layer sends back to Graph. */
export type WebhookReply = { readonly status: number; readonly contentType: string; readonly body: string };

/**
 * The validation handshake: Graph POSTs with `?validationToken=…` and expects the token back,
 * decoded, as text/plain within 10 seconds. Null when the request is not a validation.
 */
export function graphValidationResponse(query: URLSearchParams): WebhookReply | null {
  const token = query.get('validationToken');
  if (token === null) return null;
  return { status: 200, contentType: 'text/plain', body: token };
}

const NotificationsSchema = z.object({
  value: z.array(
    z.object({
      subscriptionId: z.string(),
      clientState: z.string().nullish(),
      changeType: z.enum(['created', 'updated', 'deleted']),
      resource: z.string(),
      resourceData: z.object({ id: z.string() }).nullish(),
      tenantId: z.string().nullish(),
    }),
  ),
});

export type GraphChange = {
  readonly subscriptionId: string;
  readonly changeType: 'created' | 'updated' | 'deleted';
  readonly resource: string;
  readonly resourceId: string | null;
};

/** Equal secrets, compared in constant time (their lengths are not secret). */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * The changes in a notification POST whose clientState matches; notifications with another
 * or no clientState are dropped (Graph signs nothing else for basic notifications).
 * Throws ProviderError bad_response for a body that is not a notification collection.
 */
export function parseGraphNotifications(body: unknown, clientState: string): readonly GraphChange[] {
  const parsed = NotificationsSchema.safeParse(body);
  if (!parsed.success) throw new ProviderError('microsoft', 'bad_response', 'not a change notification collection');
  return parsed.data.value
    .filter((n) => n.clientState != null && sameSecret(n.clientState, clientState))
    .map((n) => ({
      subscriptionId: n.subscriptionId,
      changeType: n.changeType,
      resource: n.resource,
      resourceId: n.resourceData?.id ?? null,
    }));
}

/** Renews a subscription before it expires (Outlook event subscriptions last under 7 days). */
export async function renewGraphSubscription(
  tokens: TokenSource,
  subscriptionId: string,
  expiresAt: Date,
  options: { readonly baseUrl?: string; readonly runtime?: HttpRuntime } = {},
): Promise<GraphSubscription> {
  const http = providerHttp(
    'microsoft',
    options.baseUrl ?? GRAPH_BASE_URL,
    tokens,
    options.runtime ?? defaultHttpRuntime,
  );
  return http.call(SubscriptionSchema, 'PATCH', `/v1.0/subscriptions/${encodeURIComponent(subscriptionId)}`, {
    body: { expirationDateTime: expiresAt.toISOString() },
  });
}

export type GraphWebhookResult =
  | { readonly kind: 'validation'; readonly reply: WebhookReply }
  | { readonly kind: 'changes'; readonly status: 202; readonly changes: readonly GraphChange[] }
  | { readonly kind: 'rejected'; readonly status: 400; readonly reason: string };

/** Everything the Graph notification route needs: the handshake, or the genuine changes. */
export function handleGraphWebhook(input: {
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly clientState: string;
}): GraphWebhookResult {
  const validation = graphValidationResponse(input.query);
  if (validation !== null) return { kind: 'validation', reply: validation };
  try {
    // Graph wants 202 for every delivery it made correctly, even when we drop its items.
    return { kind: 'changes', status: 202, changes: parseGraphNotifications(input.body, input.clientState) };
  } catch (error) {
    return { kind: 'rejected', status: 400, reason: error instanceof Error ? error.message : String(error) };
  }
}
