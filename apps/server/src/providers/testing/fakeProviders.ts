import { createHash, randomBytes } from 'node:crypto';
import windowsZoneData from 'cldr-core/supplemental/windowsZones.json' with { type: 'json' };
import { DateTime } from 'luxon';
import rrule from 'rrule';
import { startFakeApi, type FakeApi, type FakeReply, type RecordedRequest } from './fakeApi.ts';

/**
 * One local HTTP server standing in for the providers' clouds, for tests that need a provider to
 * keep what it was told (the desktop end to end, series and occurrence edits): the Microsoft
 * identity platform (authorization code with PKCE, refresh), Microsoft Graph (onlineMeetings,
 * calendar events in Windows zones with recurrence, their instances expanded from the pattern and
 * paged, each event read in UTC as a change notification's reader asks, subscriptions), Zoom (Server-to-Server token, meetings with `occurrence_id`) and Google
 * Calendar (events with Meet conferences, push channels, sync-token lists in which a deleted event
 * is its id and status only). It answers in the documented shapes, keeps what was created, and
 * records every request so tests assert the exact wire format. No browser page: the authorize
 * endpoint approves at once (302 back to the redirect with a code bound to the PKCE challenge), as
 * a person who clicks Accept would be sent.
 */
export type FakeProviders = FakeApi & {
  /** Graph onlineMeetings and events (series and their changed instances), by id, as Graph now holds them. */
  readonly graph: Map<string, Record<string, unknown>>;
  /** Zoom meetings by id, and each occurrence's changes by `occurrence_id`. */
  readonly zoom: Map<string, Record<string, unknown>>;
  /** `occurrence_id` → what a PATCH or DELETE of that occurrence sent (`deleted: true`). */
  readonly zoomOccurrences: Map<string, Record<string, unknown>>;
  /** Outlook: an event appears on the signed-in person's calendar (calendarView lists it). */
  addOutlookEvent(event: { readonly subject: string; readonly start: string; readonly end: string }): void;
  /** Google Calendar events of the primary calendar by id, as Google now holds them (cancelled ones kept). */
  readonly googleEvents: Map<string, Record<string, unknown>>;
  /**
   * Google Calendar: an event changes (made, moved, retitled or cancelled) on the primary calendar,
   * as if in Google's own app: the fields given replace those it had.
   */
  changeGoogleEvent(event: GoogleEventChange): void;
  /** Google forgets every sync token it gave (their lists answer 410 Gone). */
  forgetGoogleSyncTokens(): void;
  /** Google's next `count` event writes fail with its documented 500 `backendError`. */
  failGoogleWrites(count: number): void;
  /** Google grants channels this long a life, whatever was asked (null: what was asked). */
  grantGoogleChannelsFor(ms: number | null): void;
  /** Google's push channels (events.watch) as they stand, stopped ones left out. */
  readonly googleChannels: Map<
    string,
    { readonly address: string; readonly token: string; readonly resourceId: string }
  >;
  /** Sends every channel Google's notification of a change, as Google does (headers only). */
  notifyGoogleChannels(): Promise<number[]>;
};

/** An event's fields as the Calendar API writes them (Events resource); `id` names the event. */
export type GoogleEventChange = {
  readonly id: string;
  readonly status?: 'confirmed' | 'cancelled';
  readonly summary?: string;
  readonly start?: { readonly dateTime: string; readonly timeZone?: string };
  readonly end?: { readonly dateTime: string; readonly timeZone?: string };
  /** An instance of a recurring event: the series' id and where the rule put it. */
  readonly recurringEventId?: string;
  readonly originalStartTime?: { readonly dateTime: string };
  readonly organizer?: { readonly email: string; readonly self?: boolean };
  /**
   * A recurring (master) event's RRULE, EXRULE, RDATE and EXDATE lines; null: it no longer
   * repeats (a series made a single event), and Google lists it without the field.
   */
  readonly recurrence?: readonly string[] | null;
};

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const ORGANISER = 'a1b2c3d4-1111-2222-3333-444455556666';

/** A Teams join link as Teams writes it: the meeting's thread, then the tenant and organiser. */
export const teamsJoinUrl = (thread: string): string =>
  `https://teams.microsoft.com/l/meetup-join/19%3ameeting_${thread}%40thread.v2/0` +
  `?context=%7b%22Tid%22%3a%22${TENANT}%22%2c%22Oid%22%3a%22${ORGANISER}%22%7d`;

/**
 * The zones Graph's `dateTimeTimeZone` and `recurrenceTimeZone` take here: the Windows names (CLDR's
 * `windowsZones`, each with its main IANA zone to expand series in). Graph also takes IANA names
 * from a short list of its own; this fake takes none, so a test sees every zone we send mapped.
 */
const GRAPH_ZONES: ReadonlyMap<string, string> = new Map(
  windowsZoneData.supplemental.windowsZones.mapTimezones
    .filter(({ mapZone }) => mapZone._territory === '001')
    .map(({ mapZone }) => [mapZone._other, mapZone._type] as const),
);

/** A Graph `dateTimeTimeZone` (`2026-12-14T10:00:00.0000000` in a Windows zone) as epoch ms; NaN when unreadable. */
function graphInstant(value: unknown): number {
  const { dateTime, timeZone } = (value ?? {}) as { dateTime?: unknown; timeZone?: unknown };
  const zone = typeof timeZone === 'string' ? GRAPH_ZONES.get(timeZone) : undefined;
  if (typeof dateTime !== 'string' || zone === undefined) return NaN;
  return DateTime.fromISO(dateTime, { zone }).toMillis();
}

/** Graph's answer to a zone it does not take (its documented 400). */
function unsupportedZone(body: Record<string, unknown>): FakeReply | undefined {
  const recurrence = body.recurrence as { range?: { recurrenceTimeZone?: unknown } } | null | undefined;
  const zones = [
    (body.start as { timeZone?: unknown } | undefined)?.timeZone,
    (body.end as { timeZone?: unknown } | undefined)?.timeZone,
    recurrence?.range?.recurrenceTimeZone,
  ].filter((zone) => zone !== undefined);
  const refused = zones.find((zone) => typeof zone !== 'string' || !GRAPH_ZONES.has(zone));
  if (refused === undefined) return undefined;
  return {
    status: 400,
    json: {
      error: {
        code: 'TimeZoneNotSupportedException',
        message: `A valid TimeZone value must be specified. The following TimeZone value is not supported: '${String(refused)}'.`,
      },
    },
  };
}

const GRAPH_DAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const GRAPH_INDEX = ['first', 'second', 'third', 'fourth'];
/** How far a series without an end is expanded. */
const HORIZON_DAYS = 3 * 366;

/**
 * The starts (epoch ms) of a Graph series master's occurrences by its patternedRecurrence: every
 * day from the range's start date tried against the pattern, on the wall clock of the range's
 * zone at the master's start time, until the range ends (its count or end date) or the horizon.
 */
function seriesStarts(master: Record<string, unknown>): number[] {
  const recurrence = master.recurrence as {
    pattern: {
      type: string;
      interval: number;
      daysOfWeek?: string[];
      dayOfMonth?: number;
      month?: number;
      index?: string;
      firstDayOfWeek?: string;
    };
    range: {
      type: string;
      startDate: string;
      endDate?: string;
      numberOfOccurrences?: number;
      recurrenceTimeZone: string;
    };
  };
  const { pattern, range } = recurrence;
  const zone = GRAPH_ZONES.get(range.recurrenceTimeZone) ?? 'UTC';
  const time = String((master.start as { dateTime: string }).dateTime).slice(11, 19);
  const first = DateTime.fromISO(range.startDate, { zone: 'UTC' });
  const weekStart = GRAPH_DAYS.indexOf(pattern.firstDayOfWeek ?? 'sunday') + 1;
  const startWeek = first.minus({ days: (first.weekday - weekStart + 7) % 7 });
  const days = new Set(pattern.daysOfWeek ?? []);
  const nth = (day: DateTime): boolean => {
    if (pattern.index === 'last') return day.plus({ weeks: 1 }).month !== day.month;
    return Math.floor((day.day - 1) / 7) === GRAPH_INDEX.indexOf(pattern.index ?? 'first');
  };
  const months = (day: DateTime) => (day.year - first.year) * 12 + day.month - first.month;
  const matches = (day: DateTime): boolean => {
    const weekday = GRAPH_DAYS[day.weekday - 1] ?? '';
    switch (pattern.type) {
      case 'daily':
        return day.diff(first, 'days').days % pattern.interval === 0;
      case 'weekly':
        return days.has(weekday) && Math.floor(day.diff(startWeek, 'days').days / 7) % pattern.interval === 0;
      case 'absoluteMonthly':
        return day.day === pattern.dayOfMonth && months(day) % pattern.interval === 0;
      case 'relativeMonthly':
        return days.has(weekday) && nth(day) && months(day) % pattern.interval === 0;
      case 'absoluteYearly':
        return (
          day.month === pattern.month &&
          day.day === pattern.dayOfMonth &&
          (day.year - first.year) % pattern.interval === 0
        );
      case 'relativeYearly':
        return (
          day.month === pattern.month &&
          days.has(weekday) &&
          nth(day) &&
          (day.year - first.year) % pattern.interval === 0
        );
      default:
        return false;
    }
  };
  const starts: number[] = [];
  for (let offset = 0; offset < HORIZON_DAYS; offset += 1) {
    const day = first.plus({ days: offset });
    const date = day.toFormat('yyyy-MM-dd');
    if (range.type === 'endDate' && date > (range.endDate ?? '')) break;
    if (range.type === 'numbered' && starts.length >= (range.numberOfOccurrences ?? 0)) break;
    if (matches(day)) starts.push(DateTime.fromISO(`${date}T${time}`, { zone }).toMillis());
  }
  return starts;
}

/**
 * The starts (epoch ms) of a Google recurring event's occurrences by its `RRULE:` line (the rrule
 * library, on the wall clock of the event's `start.timeZone`), within the horizon.
 */
function googleStarts(master: Record<string, unknown>): number[] {
  const start = master.start as { dateTime: string; timeZone?: string };
  const line = ((master.recurrence as string[] | undefined) ?? []).find((l) => l.startsWith('RRULE:'));
  if (line === undefined) return [];
  const zone = start.timeZone ?? 'UTC';
  const wall = DateTime.fromISO(start.dateTime, { zone });
  // rrule counts in floating time: the wall clock written as if it were UTC.
  const floating = (at: DateTime) => new Date(Date.UTC(at.year, at.month - 1, at.day, at.hour, at.minute, at.second));
  const rule = new rrule.RRule({ ...rrule.RRule.parseString(line.slice(6)), dtstart: floating(wall) });
  return rule
    .between(floating(wall), floating(wall.plus({ days: HORIZON_DAYS })), true)
    .map((d) => DateTime.fromISO(d.toISOString().slice(0, 19), { zone }).toMillis());
}
/** Google's id of a recurring event's instance: `<event id>_<its original start, yyyymmddThhmmssZ>`. */
const googleInstanceId = (eventId: string, at: number): string =>
  `${eventId}_${new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z')}`;

/** Graph's UTC `originalStart` of an instance (`2026-12-14T08:00:00Z`), and the id suffix this fake gives it. */
const graphOriginal = (at: number): string => new Date(at).toISOString().replace(/\.000Z$/, 'Z');
const instanceSuffix = (at: number): string => graphOriginal(at).replace(/\D/g, '').slice(0, 14);
/** A time as Graph writes it in UTC (`Prefer` absent): no offset, seven decimals. */
const graphUtc = (at: number) => ({
  dateTime: new Date(at).toISOString().replace(/\.(\d{3})Z$/, '.$10000'),
  timeZone: 'UTC',
});

/** Teams' Cloud Video Interop for the tenant: the tenant key's address, and each meeting's video ID. */
export const TEAMS_VTC = { tenantKey: '411222333@t.plcm.vc', videoId: '1197563805' } as const;

/**
 * An onlineMeeting's `joinInformation` as Graph writes it: the invitation's HTML in a
 * `data:text/html,` URL, form-encoded (`+` for spaces), with its video conferencing device section.
 */
export function teamsJoinInformation(joinUrl: string): { content: string; contentType: 'html' } {
  const html = [
    '<div style="margin-bottom: 20px;"><span style="font-size: 24px;">Microsoft Teams meeting</span></div>',
    `<div><a class="me-email-headline" href="${joinUrl}" target="_blank">Join the meeting now</a></div>`,
    '<div><span>Meeting ID: </span><span>375 392 842 457 3</span><br /><span>Passcode: </span><span>xd6Qh9</span></div>',
    '<div><span>Dial in by phone</span></div>',
    '<div><a href="tel:+12065550100,,418924075#">+1 206-555-0100,,418924075#</a> United States, Seattle</div>',
    '<div><span>Phone conference ID: </span><span>418 924 075#</span></div>',
    '<div><span>Join on a video conferencing device</span></div>',
    `<div><span>Tenant key: </span><span>${TEAMS_VTC.tenantKey}</span></div>`,
    `<div><span>Video ID: </span><span>${TEAMS_VTC.videoId.replace(/(\d{3})(?=\d)/g, '$1 ')}</span></div>`,
  ].join('\r\n');
  return { content: `data:text/html,${encodeURIComponent(html).replace(/%20/g, '+')}`, contentType: 'html' };
}

const json = (body: unknown, status = 200): FakeReply => ({ status, json: body });
const notFound = (what: string): FakeReply =>
  json({ error: { code: 'ErrorItemNotFound', message: `The specified object was not found: ${what}` } }, 404);
const bodyOf = (r: RecordedRequest): Record<string, unknown> =>
  r.body === '' ? {} : (JSON.parse(r.body) as Record<string, unknown>);

export async function startFakeProviders(): Promise<FakeProviders> {
  const codes = new Map<string, { readonly challenge: string; readonly redirectUri: string }>();
  const graph = new Map<string, Record<string, unknown>>();
  const zoom = new Map<string, Record<string, unknown>>();
  const zoomOccurrences = new Map<string, Record<string, unknown>>();
  /** Events of the signed-in person's Outlook calendar, as calendarView lists them (UTC). */
  const outlook = new Map<string, Record<string, unknown>>();
  let made = 0;
  const nextId = (prefix: string) => `${prefix}${++made}${randomBytes(6).toString('hex')}`;

  function identity(r: RecordedRequest): FakeReply | undefined {
    const match = /^\/[^/]+\/oauth2\/v2\.0\/(authorize|token)$/.exec(r.path);
    if (match === null) return undefined;
    if (match[1] === 'authorize') {
      const challenge = r.query.get('code_challenge');
      const redirectUri = r.query.get('redirect_uri') ?? '';
      if (challenge === null || r.query.get('code_challenge_method') !== 'S256')
        return json({ error: 'invalid_request', error_description: 'PKCE S256 is required' }, 400);
      const code = nextId('code-');
      codes.set(code, { challenge, redirectUri });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', r.query.get('state') ?? '');
      return { status: 302, headers: { location: back.toString() } };
    }
    const form = new URLSearchParams(r.body);
    if (form.get('grant_type') === 'authorization_code') {
      const issued = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (
        issued === undefined ||
        issued.redirectUri !== form.get('redirect_uri') ||
        createHash('sha256').update(verifier).digest('base64url') !== issued.challenge
      )
        return json({ error: 'invalid_grant', error_description: 'the code or its verifier does not match' }, 400);
    }
    return json({
      token_type: 'Bearer',
      expires_in: 3599,
      access_token: nextId('ms-at-'),
      refresh_token: nextId('ms-rt-'),
    });
  }

  /** What Graph puts in an event's `onlineMeeting` (onlineMeetingInfo) for a Teams meeting. */
  const onlineMeetingInfo = (thread: string) => ({
    joinUrl: teamsJoinUrl(thread),
    conferenceId: '418924075',
    tollNumber: '+12065550100',
    tollFreeNumbers: ['+18005550100'],
  });

  /** A series master's instances as Graph keeps them: each occurrence by its rule, or its exception. */
  function instancesOf(master: Record<string, unknown>): Record<string, unknown>[] {
    if (master.type !== 'seriesMaster') return [];
    const length = graphInstant(master.end) - graphInstant(master.start);
    return seriesStarts(master).map((at) => {
      const id = `${String(master.id)}_${instanceSuffix(at)}`;
      return (
        graph.get(id) ?? {
          id,
          seriesMasterId: master.id,
          type: 'occurrence',
          subject: master.subject,
          originalStart: graphOriginal(at),
          start: graphUtc(at),
          end: graphUtc(at + length),
          isCancelled: false,
        }
      );
    });
  }
  /** The instance an id of this fake names (`<master id>_<its UTC original start>`), if its series has it. */
  function occurrence(id: string): Record<string, unknown> | undefined {
    const named = /^(.+)_(\d{14})$/.exec(id);
    const master = named === null ? undefined : graph.get(named[1] ?? '');
    return master === undefined ? undefined : instancesOf(master).find((i) => i.id === id);
  }

  function microsoftGraph(r: RecordedRequest): FakeReply | undefined {
    if (!r.path.startsWith('/v1.0/')) return undefined;
    const body = bodyOf(r);
    if (r.method === 'POST' && r.path === '/v1.0/me/onlineMeetings') {
      const id = nextId('MSo');
      const meeting = {
        id,
        subject: body.subject,
        startDateTime: body.startDateTime,
        endDateTime: body.endDateTime,
        joinWebUrl: teamsJoinUrl(id),
        joinMeetingIdSettings: { isPasscodeRequired: true, joinMeetingId: '3753928424573', passcode: 'xd6Qh9' },
        audioConferencing: {
          conferenceId: '418924075',
          tollNumbers: ['+12065550100'],
          tollFreeNumbers: ['+18005550100'],
          dialinUrl: `https://dialin.teams.microsoft.com/8551f4c1?id=418924075`,
        },
        joinInformation: teamsJoinInformation(teamsJoinUrl(id)),
        videoTeleconferenceId: TEAMS_VTC.videoId,
      };
      graph.set(id, meeting);
      return json(meeting, 201);
    }
    if (r.method === 'POST' && r.path === '/v1.0/me/events') {
      const refused = unsupportedZone(body);
      if (refused !== undefined) return refused;
      const id = nextId('AAMk');
      const event = {
        ...body,
        id,
        type: body.recurrence == null ? 'singleInstance' : 'seriesMaster',
        webLink: `https://outlook.office365.com/owa/?itemid=${id}`,
        onlineMeeting: body.isOnlineMeeting === true ? onlineMeetingInfo(id) : null,
      };
      graph.set(id, event);
      return json(event, 201);
    }
    const instances = /^\/v1\.0\/me\/events\/([^/]+)\/instances$/.exec(r.path);
    if (r.method === 'GET' && instances !== null) {
      const master = graph.get(decodeURIComponent(instances[1] ?? ''));
      if (master === undefined) return notFound('series');
      // A series' occurrences and exceptions overlapping the range, where they are now, those
      // cancelled left out, by start; a page of $top (10 unless asked), then @odata.nextLink.
      const [from, to] = [Date.parse(r.query.get('startDateTime') ?? ''), Date.parse(r.query.get('endDateTime') ?? '')];
      if (Number.isNaN(from) || Number.isNaN(to))
        return json(
          { error: { code: 'ErrorInvalidParameter', message: 'startDateTime and endDateTime are required' } },
          400,
        );
      const listed = instancesOf(master)
        .filter((i) => !i.isCancelled && graphInstant(i.start) < to && graphInstant(i.end) > from)
        .sort((a, b) => graphInstant(a.start) - graphInstant(b.start));
      const [top, skip] = [Number(r.query.get('$top') ?? 10), Number(r.query.get('$skip') ?? 0)];
      const next = new URL(`${self.url}${r.path}`);
      r.query.forEach((value, name) => next.searchParams.set(name, value));
      next.searchParams.set('$skip', String(skip + top));
      return json({
        value: listed.slice(skip, skip + top),
        ...(skip + top < listed.length ? { '@odata.nextLink': next.toString() } : {}),
      });
    }
    const cancel = /^\/v1\.0\/me\/events\/([^/]+)\/cancel$/.exec(r.path);
    if (r.method === 'POST' && cancel !== null) {
      const id = decodeURIComponent(cancel[1] ?? '');
      const known = graph.get(id) ?? occurrence(id);
      if (known === undefined) return notFound(id);
      graph.set(id, { ...known, isCancelled: true, cancelComment: body.comment });
      return { status: 202 };
    }
    const item = /^\/v1\.0\/me\/(onlineMeetings|events)\/([^/]+)$/.exec(r.path);
    if (item !== null) {
      const id = decodeURIComponent(item[2] ?? '');
      // An occurrence of a series exists at Graph without being created by hand.
      const known = graph.get(id) ?? (item[1] === 'events' ? occurrence(id) : undefined);
      if (known === undefined) return notFound(id);
      if (r.method === 'GET' && item[1] === 'events') {
        // Cancelled by its organiser, an event moves to Deleted Items under another id: this one is gone.
        if (known.isCancelled === true) return notFound(id);
        // Times in UTC (what `Prefer: outlook.timezone="UTC"` asks, and Graph's default), the reader its organiser.
        // A master's cancelled occurrences only when $select names them, each `OID.<master id>.<its date>`
        // (the date of its original start on the series' wall clock).
        const range = (known.recurrence as { range?: { recurrenceTimeZone?: string } } | null | undefined)?.range;
        const zone = GRAPH_ZONES.get(range?.recurrenceTimeZone ?? '') ?? 'UTC';
        const cancelled = (r.query.get('$select') ?? '').split(',').includes('cancelledOccurrences')
          ? {
              cancelledOccurrences: instancesOf(known)
                .filter((i) => i.isCancelled === true)
                .map((i) => `OID.${id}.${DateTime.fromISO(String(i.originalStart), { zone }).toISODate() ?? ''}`),
            }
          : {};
        return json({
          ...known,
          isOrganizer: true,
          start: graphUtc(graphInstant(known.start)),
          end: graphUtc(graphInstant(known.end)),
          ...cancelled,
        });
      }
      if (r.method === 'GET') return json(known);
      if (r.method === 'PATCH') {
        const refused = item[1] === 'events' ? unsupportedZone(body) : undefined;
        if (refused !== undefined) return refused;
        const changed: Record<string, unknown> = { ...known, ...body };
        if (known.type === 'occurrence') changed.type = 'exception';
        if ('recurrence' in body && (known.type === 'seriesMaster' || known.type === 'singleInstance')) {
          // recurrence null: the series is one event again, and its occurrences and exceptions are gone.
          changed.type = body.recurrence === null ? 'singleInstance' : 'seriesMaster';
          if (body.recurrence === null)
            for (const [other, event] of graph) if (event.seriesMasterId === id) graph.delete(other);
        }
        graph.set(id, changed);
        return json(changed);
      }
      if (r.method === 'DELETE') {
        graph.delete(id);
        return { status: 204 };
      }
    }
    if (r.method === 'GET' && r.path === '/v1.0/me/calendarView') return json({ value: [...outlook.values()] });
    if (r.method === 'POST' && r.path === '/v1.0/subscriptions') {
      const subscription = { ...body, id: nextId('sub-') };
      graph.set(subscription.id, subscription);
      return json(subscription, 201);
    }
    return undefined;
  }

  function zoomApi(r: RecordedRequest): FakeReply | undefined {
    if (r.method === 'POST' && r.path === '/oauth/token') {
      if (r.query.get('grant_type') !== 'account_credentials' && !r.body.includes('account_credentials'))
        return json({ reason: 'unsupported grant type', error: 'unsupported_grant_type' }, 400);
      return json({ access_token: nextId('zoom-at-'), token_type: 'bearer', expires_in: 3599, scope: 'meeting:write' });
    }
    if (!r.path.startsWith('/v2/')) return undefined;
    const body = bodyOf(r);
    if (r.method === 'POST' && /^\/v2\/users\/[^/]+\/meetings$/.test(r.path)) {
      const id = String(85_746_065_000 + ++made);
      const meeting = {
        ...body,
        id: Number(id),
        uuid: randomBytes(16).toString('base64'),
        join_url: `https://acme.zoom.us/j/${id}?pwd=e2eFakePwd1`,
        password: 'a1B2c3',
        h323_password: '123456',
        pstn_password: '123456',
        settings: {
          ...(body.settings as object | undefined),
          global_dial_in_numbers: [{ country_name: 'US', number: '+1 646 558 8656', type: 'toll' }],
        },
      };
      zoom.set(id, meeting);
      return json(meeting, 201);
    }
    if (r.method === 'GET' && /^\/v2\/users\/[^/]+\/meetings$/.test(r.path))
      return json({ meetings: [...zoom.values()], next_page_token: '' });
    const item = /^\/v2\/meetings\/(\d+)$/.exec(r.path);
    if (item === null) return undefined;
    const id = item[1] ?? '';
    const known = zoom.get(id);
    if (known === undefined) return json({ code: 3001, message: 'Meeting does not exist.' }, 404);
    const occurrence = r.query.get('occurrence_id');
    if (r.method === 'GET') return json(known);
    if (r.method === 'PATCH') {
      if (occurrence !== null) zoomOccurrences.set(occurrence, { ...zoomOccurrences.get(occurrence), ...body });
      else {
        // A recurring meeting made a scheduled one (type 2) keeps no recurrence or occurrences.
        const { recurrence: _recurrence, occurrences: _occurrences, ...single } = { ...known, ...body };
        zoom.set(id, body.type === 2 ? single : { ...known, ...body });
      }
      return { status: 204 };
    }
    if (r.method === 'DELETE') {
      if (occurrence === null) zoom.delete(id);
      else zoomOccurrences.set(occurrence, { ...zoomOccurrences.get(occurrence), deleted: true });
      return { status: 204 };
    }
    return undefined;
  }

  // Google: each event change is numbered; a sync token is the number it was given at.
  const googleEvents = new Map<string, Record<string, unknown>>();
  const googleVersions = new Map<string, number>();
  const googleChannels = new Map<string, { address: string; token: string; resourceId: string }>();
  let googleVersion = 0;
  /** A sync token is `sync-<generation>-<version>`; forgetting them starts a new generation. */
  let generation = 0;
  let channelLifetimeMs: number | null = null;
  let failingWrites = 0;
  let lastStamp = 0;
  const GOOGLE_EVENTS = '/calendar/v3/calendars/primary/events';
  function putGoogleEvent(event: Record<string, unknown> & { readonly id: string }): Record<string, unknown> {
    googleVersion += 1;
    // Google stamps every change (RFC 3339, milliseconds), each later than the one before.
    lastStamp = Math.max(Date.now(), lastStamp + 1);
    const stamped = { ...event, updated: new Date(lastStamp).toISOString() };
    googleEvents.set(event.id, stamped);
    googleVersions.set(event.id, googleVersion);
    return stamped;
  }
  /**
   * The instance of a recurring event that starts at `at` by its rule: its own event once changed
   * or cancelled, else as Google shows an unchanged one (the series' fields at that time).
   */
  function googleInstance(eventId: string, at: number): Record<string, unknown> | undefined {
    const id = googleInstanceId(eventId, at);
    const changed = googleEvents.get(id);
    if (changed !== undefined) return changed;
    const master = googleEvents.get(eventId);
    if (master === undefined) return undefined;
    const start = master.start as { dateTime: string; timeZone?: string };
    const end = master.end as { dateTime: string };
    const length = Date.parse(end.dateTime) - Date.parse(start.dateTime);
    const { recurrence: _recurrence, ...fields } = master;
    const time = (ms: number) => ({ dateTime: new Date(ms).toISOString(), timeZone: start.timeZone });
    return {
      ...fields,
      id,
      recurringEventId: eventId,
      originalStartTime: time(at),
      start: time(at),
      end: time(at + length),
    };
  }
  /** An event by its id, or an instance of a recurring one by Google's instance id. */
  function googleEventOrInstance(id: string): Record<string, unknown> | undefined {
    const known = googleEvents.get(id);
    if (known !== undefined) return known;
    const named = /^(.+)_(\d{8}T\d{6}Z)$/.exec(id);
    const master = named === null ? undefined : googleEvents.get(named[1] ?? '');
    if (named === null || master === undefined) return undefined;
    const at = Date.parse(named[2]?.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z') ?? '');
    return googleStarts(master).includes(at) ? googleInstance(String(master.id), at) : undefined;
  }
  /** A Meet code as Google writes them: three, four and three lowercase letters. */
  const meetCode = (): string =>
    [3, 4, 3].map((n) => [...randomBytes(n)].map((b) => String.fromCharCode(97 + (b % 26))).join('')).join('-');
  function googleApi(r: RecordedRequest): FakeReply | undefined {
    if (r.path === '/google/auth' || r.path === '/google/token') {
      const rewritten = {
        ...r,
        path: r.path === '/google/auth' ? '/google/oauth2/v2.0/authorize' : '/google/oauth2/v2.0/token',
      };
      return identity(rewritten);
    }
    if (r.path === '/google/revoke') return json({});
    if (!r.path.startsWith('/calendar/v3/')) return undefined;
    const body = bodyOf(r);
    if (r.method === 'POST' && r.path === '/calendar/v3/calendars/primary/events/watch') {
      if (body.type !== 'web_hook' || typeof body.address !== 'string' || typeof body.id !== 'string')
        return json({ error: { code: 400, message: 'invalid channel' } }, 400);
      const resourceId = nextId('res-');
      googleChannels.set(body.id, { address: body.address, token: String(body.token ?? ''), resourceId });
      return json({
        kind: 'api#channel',
        id: body.id,
        resourceId,
        resourceUri: 'https://www.googleapis.com/calendar/v3/calendars/primary/events?alt=json',
        token: body.token,
        expiration: String(channelLifetimeMs === null ? body.expiration : Date.now() + channelLifetimeMs),
      });
    }
    if (r.method === 'POST' && r.path === '/calendar/v3/channels/stop') {
      const channel = googleChannels.get(String(body.id));
      if (channel === undefined || channel.resourceId !== body.resourceId) return json({ error: { code: 404 } }, 404);
      googleChannels.delete(String(body.id));
      return { status: 204 };
    }
    // events.list as the sync uses it: recurring events unexpanded (singleEvents=false), a series
    // as its master event with its `recurrence` lines and each changed occurrence as its own event.
    if (r.method === 'GET' && r.path === GOOGLE_EVENTS) {
      const token = r.query.get('syncToken');
      const [tokenGeneration, since] = token === null ? [generation, -1] : token.split('-').slice(1).map(Number);
      if (tokenGeneration !== generation)
        return json({ error: { code: 410, message: 'Sync token is no longer valid, a full sync is required.' } }, 410);
      const items = [...googleEvents.values()]
        .filter((e) => (googleVersions.get(String(e.id)) ?? 0) > (since ?? -1))
        .filter((e) => token !== null || e.status !== 'cancelled')
        // A deleted event comes back with its id and status only, a cancelled instance of a series
        // also with its series and original start, as the Calendar API documents.
        .map((e) =>
          e.status !== 'cancelled'
            ? e
            : {
                kind: 'calendar#event',
                id: e.id,
                status: 'cancelled',
                ...(e.recurringEventId === undefined
                  ? {}
                  : { recurringEventId: e.recurringEventId, originalStartTime: e.originalStartTime }),
              },
        );
      return json({ kind: 'calendar#events', items, nextSyncToken: `sync-${generation}-${googleVersion}` });
    }
    // events.insert with a Meet conference (conferenceDataVersion=1), made at once.
    if (r.method === 'POST' && r.path === GOOGLE_EVENTS) {
      const code = meetCode();
      const id = nextId('evt');
      return json(
        putGoogleEvent({
          kind: 'calendar#event',
          ...body,
          id,
          status: 'confirmed',
          htmlLink: `https://www.google.com/calendar/event?eid=${id}`,
          organizer: { email: 'organiser@example.com', self: true },
          hangoutLink: `https://meet.google.com/${code}`,
          conferenceData: {
            conferenceId: code,
            createRequest: {
              ...(body.conferenceData as { createRequest?: object } | undefined)?.createRequest,
              status: { statusCode: 'success' },
            },
            entryPoints: [
              { entryPointType: 'video', uri: `https://meet.google.com/${code}`, label: `meet.google.com/${code}` },
            ],
            conferenceSolution: { key: { type: 'hangoutsMeet' }, name: 'Google Meet' },
          },
        }),
      );
    }
    // events.instances by `originalStart`: the occurrence of the recurring event that starts there by
    // its rule, as it stands (its own event once changed; a cancelled one only with showDeleted).
    const series = /^\/calendar\/v3\/calendars\/primary\/events\/([^/]+)\/instances$/.exec(r.path);
    if (series !== null && r.method === 'GET') {
      const master = googleEvents.get(decodeURIComponent(series[1] ?? ''));
      if (master === undefined || master.status === 'cancelled')
        return json({ error: { code: 404, message: 'Not Found' } }, 404);
      const at = Date.parse(r.query.get('originalStart') ?? '');
      const instance = googleStarts(master).includes(at) ? googleInstance(String(master.id), at) : undefined;
      const shown =
        instance === undefined || (instance.status === 'cancelled' && r.query.get('showDeleted') !== 'true')
          ? []
          : [instance];
      return json({ kind: 'calendar#events', items: shown });
    }
    const event = /^\/calendar\/v3\/calendars\/primary\/events\/([^/]+)$/.exec(r.path);
    if (event !== null && r.method !== 'GET' && failingWrites > 0) {
      failingWrites -= 1;
      return json(
        { error: { code: 500, message: 'Backend Error', errors: [{ reason: 'backendError', domain: 'global' }] } },
        500,
      );
    }
    const known = event === null ? undefined : googleEventOrInstance(decodeURIComponent(event[1] ?? ''));
    if (event !== null && (known === undefined || known.status === 'cancelled'))
      return json({ error: { code: 404, message: 'Not Found' } }, 404);
    if (known !== undefined && r.method === 'GET') return json(known);
    if (known !== undefined && r.method === 'PATCH') {
      // Arrays given replace the event's; a single event is listed without `recurrence`.
      const patched: Record<string, unknown> = { ...known, ...body };
      if (Array.isArray(body.recurrence) && body.recurrence.length === 0) delete patched.recurrence;
      return json(putGoogleEvent({ ...patched, id: String(known.id) }));
    }
    if (known !== undefined && r.method === 'DELETE') {
      putGoogleEvent({ ...known, id: String(known.id), status: 'cancelled' });
      return { status: 204 };
    }
    return undefined;
  }

  /** This server's own address, for the paging links it writes. */
  const self = { url: '' };
  const api = await startFakeApi(
    (r) =>
      identity(r) ??
      microsoftGraph(r) ??
      zoomApi(r) ??
      googleApi(r) ??
      json({ error: { code: 'NotFound', message: `no ${r.method} ${r.path}` } }, 404),
  );
  self.url = api.url;
  return Object.assign(api, {
    graph,
    zoom,
    zoomOccurrences,
    googleChannels,
    googleEvents,
    changeGoogleEvent(event: GoogleEventChange) {
      const before = googleEvents.get(event.id) ?? {
        kind: 'calendar#event',
        status: 'confirmed',
        summary: 'An event',
        start: { dateTime: '2026-12-07T09:00:00Z' },
        end: { dateTime: '2026-12-07T10:00:00Z' },
      };
      const next: Record<string, unknown> = { ...before, ...event };
      // A series made a single event: Google lists it without the field.
      if (event.recurrence === null) delete next.recurrence;
      putGoogleEvent({ ...next, id: event.id });
    },
    addOutlookEvent(event: { readonly subject: string; readonly start: string; readonly end: string }) {
      const id = nextId('AAMkOutlook');
      const utc = (at: string) => ({ dateTime: new Date(at).toISOString().replace(/Z$/, ''), timeZone: 'UTC' });
      outlook.set(id, { id, subject: event.subject, start: utc(event.start), end: utc(event.end), isCancelled: false });
    },
    forgetGoogleSyncTokens() {
      generation += 1;
    },
    failGoogleWrites(count: number) {
      failingWrites = count;
    },
    grantGoogleChannelsFor(ms: number | null) {
      channelLifetimeMs = ms;
    },
    async notifyGoogleChannels() {
      const answers: number[] = [];
      for (const [id, channel] of googleChannels) {
        const reply = await fetch(channel.address, {
          method: 'POST',
          headers: {
            'x-goog-channel-id': id,
            'x-goog-channel-token': channel.token,
            'x-goog-resource-id': channel.resourceId,
            'x-goog-resource-state': 'exists',
            'x-goog-message-number': String(googleVersion + 1),
          },
        });
        answers.push(reply.status);
      }
      return answers;
    },
  });
}
