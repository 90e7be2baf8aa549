/**
 * RFC 5545 serializer for a user's meeting feed (an ICS subscription calendars poll).
 *
 * Invariants:
 * - Lines end in CRLF and are folded at 75 octets of UTF-8: a continuation line starts with one
 *   space, and a fold never falls inside a multi-byte character.
 * - TEXT values (SUMMARY, DESCRIPTION, LOCATION) escape `\`, `;`, `,` and newlines, and drop
 *   other control characters, which RFC 5545 forbids. URL is a URI and is not TEXT-escaped.
 * - Times: events carry `DTSTART;TZID=<IANA zone>` with a VTIMEZONE block for each zone used,
 *   not UTC. A weekly 09:00 Berlin meeting must stay at 09:00 Berlin after the clocks change; an
 *   RRULE over a UTC start would move it by an hour for half the year. Events in `UTC` are written
 *   with `Z` and need no VTIMEZONE. DTSTAMP and RRULE UNTIL are always UTC, as RFC 5545 requires.
 * - A cancelled meeting stays in the feed with STATUS:CANCELLED (and a higher SEQUENCE), so
 *   subscribers remove it instead of keeping a stale copy.
 */
import { PRODUCT } from '../product.ts';
import { utf8CodePointLength } from './utf8.ts';
import { formatWallClock, vtimezoneLines, wallClock } from './timeZone.ts';

/** One occurrence of a series changed on its own (RFC 5545 RECURRENCE-ID): moved and/or retitled. */
export type CalendarOverride = {
  /** The occurrence's start by the rule (epoch milliseconds). */
  readonly recurrenceId: number;
  readonly start: number;
  readonly end: number;
  readonly summary: string;
};

export type CalendarEvent = {
  /** Stable across feed fetches and updates, globally unique (`<meeting id>@<our domain>`). */
  readonly uid: string;
  /** Epoch milliseconds. */
  readonly start: number;
  readonly end: number;
  /** IANA zone the meeting was scheduled in, e.g. `Europe/Berlin`; `UTC` for none. */
  readonly timeZone: string;
  readonly summary: string;
  readonly description?: string;
  readonly location?: string;
  /** Where to join: our deep link or the linked meeting's URL. */
  readonly url?: string;
  /**
   * The series' RFC 5545 rule as stored (`FREQ=WEEKLY;BYDAY=TH;COUNT=10`), UNTIL in UTC; it
   * applies to the wall clock in `timeZone` from `start` on.
   */
  readonly rrule?: string;
  /** Start instants of occurrences that were removed from the series. */
  readonly exceptions?: readonly number[];
  /** Occurrences moved or retitled: each its own VEVENT with the series' UID and a RECURRENCE-ID. */
  readonly overrides?: readonly CalendarOverride[];
  readonly cancelled?: boolean;
  /** Grows with every change the organiser makes; 0 when absent. */
  readonly sequence?: number;
};

export type CalendarFeed = {
  readonly name: string;
  readonly events: readonly CalendarEvent[];
  /** When the feed was generated (epoch milliseconds): every DTSTAMP. */
  readonly generatedAt: number;
};

const CRLF = '\r\n';
/** Control characters RFC 5545 forbids in content lines: all but horizontal tab. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000a-\u001f\u007f]/g;
const MAX_LINE_OCTETS = 75;

/** The feed as an ICS document. Throws RangeError for a zone the runtime does not know: check with `isTimeZone` where zones come in. */
export function serializeCalendar(feed: CalendarFeed): string {
  const lines = [
    'BEGIN:VCALENDAR',
    `PRODID:-//${PRODUCT.vendor}//${PRODUCT.productName}//EN`,
    'VERSION:2.0',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(feed.name)}`,
    ...timeZoneBlocks(feed.events),
    ...feed.events.flatMap((event) => [
      ...eventLines(event, feed.generatedAt),
      ...(event.overrides ?? []).flatMap((override) => overrideLines(event, override, feed.generatedAt)),
    ]),
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}

function timeZoneBlocks(events: readonly CalendarEvent[]): string[] {
  const firstYear = new Map<string, number>();
  for (const event of events) {
    if (isUtc(event.timeZone)) continue;
    const year = wallClock(event.start, event.timeZone).year;
    firstYear.set(event.timeZone, Math.min(year, firstYear.get(event.timeZone) ?? year));
  }
  // From the year before, so an event early in the first year already lies in a described span.
  return [...firstYear].sort(([a], [b]) => (a < b ? -1 : 1)).flatMap(([zone, year]) => vtimezoneLines(zone, year - 1));
}

function eventLines(event: CalendarEvent, generatedAt: number): string[] {
  const lines = [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utc(generatedAt)}`,
    `DTSTART${timeProperty(event.start, event.timeZone)}`,
    `DTEND${timeProperty(event.end, event.timeZone)}`,
    `SEQUENCE:${event.sequence ?? 0}`,
    `SUMMARY:${escapeText(event.summary)}`,
  ];
  if (event.description !== undefined) lines.push(`DESCRIPTION:${escapeText(event.description)}`);
  if (event.location !== undefined) lines.push(`LOCATION:${escapeText(event.location)}`);
  if (event.url !== undefined) lines.push(`URL:${event.url.replace(FORBIDDEN_CONTROLS, '')}`);
  if (event.rrule !== undefined) lines.push(`RRULE:${event.rrule.replace(FORBIDDEN_CONTROLS, '')}`);
  if (event.exceptions !== undefined && event.exceptions.length > 0) {
    const values = event.exceptions.map((instant) => timeValue(instant, event.timeZone));
    lines.push(`EXDATE${isUtc(event.timeZone) ? '' : `;TZID=${event.timeZone}`}:${values.join(',')}`);
  }
  lines.push(`STATUS:${event.cancelled === true ? 'CANCELLED' : 'CONFIRMED'}`, 'END:VEVENT');
  return lines;
}

/** A moved or retitled occurrence, after its series (RFC 5545 3.8.4.4). */
function overrideLines(event: CalendarEvent, override: CalendarOverride, generatedAt: number): string[] {
  return [
    'BEGIN:VEVENT',
    `UID:${escapeText(event.uid)}`,
    `DTSTAMP:${utc(generatedAt)}`,
    `RECURRENCE-ID${timeProperty(override.recurrenceId, event.timeZone)}`,
    `DTSTART${timeProperty(override.start, event.timeZone)}`,
    `DTEND${timeProperty(override.end, event.timeZone)}`,
    `SEQUENCE:${event.sequence ?? 0}`,
    `SUMMARY:${escapeText(override.summary)}`,
    ...(event.url === undefined ? [] : [`URL:${event.url.replace(FORBIDDEN_CONTROLS, '')}`]),
    `STATUS:${event.cancelled === true ? 'CANCELLED' : 'CONFIRMED'}`,
    'END:VEVENT',
  ];
}

function isUtc(timeZone: string): boolean {
  return timeZone === 'UTC' || timeZone === 'Etc/UTC';
}

/** `;TZID=Europe/Berlin:20261203T160000` or `:20261203T150000Z`. */
function timeProperty(instant: number, timeZone: string): string {
  return isUtc(timeZone) ? `:${utc(instant)}` : `;TZID=${timeZone}:${timeValue(instant, timeZone)}`;
}

function timeValue(instant: number, timeZone: string): string {
  return isUtc(timeZone) ? utc(instant) : formatWallClock(wallClock(instant, timeZone));
}

function utc(instant: number): string {
  return `${formatWallClock(wallClock(instant, 'UTC'))}Z`;
}

/** A TEXT value (RFC 5545 3.3.11). */
export function escapeText(text: string): string {
  return text
    .replace(/\r\n|\r/g, '\n')
    .replace(/([\\;,])/g, '\\$1')
    .replace(/\n/g, '\\n')
    .replace(FORBIDDEN_CONTROLS, '');
}

/** Folds one content line (RFC 5545 3.1) at 75 octets, only between characters. */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = utf8CodePointLength(char.codePointAt(0) ?? 0);
    if (octets + size > MAX_LINE_OCTETS) {
      out.push(current);
      current = ' ';
      octets = 1;
    }
    current += char;
    octets += size;
  }
  out.push(current);
  return out.join(CRLF);
}
