import { describe, expect, it } from 'vitest';
import { escapeText, foldLine, serializeCalendar, type CalendarEvent } from './ics.ts';
import { utf8ByteLength } from './utf8.ts';

const GENERATED = Date.UTC(2026, 10, 26, 9, 30, 0);
/** Thursday 3 December 2026, 16:00 in Berlin (15:00 UTC). */
const DEC_3_BERLIN_16H = Date.UTC(2026, 11, 3, 15, 0, 0);
const HOUR = 3_600_000;

const weekly: CalendarEvent = {
  uid: 'mtg-42@tandem',
  start: DEC_3_BERLIN_16H,
  end: DEC_3_BERLIN_16H + HOUR,
  timeZone: 'Europe/Berlin',
  summary: 'Design review',
  url: 'tandem://join/design-review',
  rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=10',
};

function serialize(...events: CalendarEvent[]): string {
  return serializeCalendar({ name: 'Tandem meetings', events, generatedAt: GENERATED });
}

/** Content lines with folding undone (RFC 5545 3.1). */
function unfold(ics: string): string[] {
  return ics.replace(/\r\n /g, '').split('\r\n').slice(0, -1);
}

/** The first event's property `name`, as an unfolded content line. */
function eventProperty(ics: string, name: string): string | undefined {
  const lines = unfold(ics);
  return lines
    .slice(lines.indexOf('BEGIN:VEVENT'))
    .find((line) => line.startsWith(`${name}:`) || line.startsWith(`${name};`));
}

describe('serializeCalendar', () => {
  it('writes a VCALENDAR with PRODID, VERSION and one VEVENT, every line ending in CRLF', () => {
    const ics = serialize(weekly);
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nPRODID:-//Tandem//Tandem//EN\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    expect(unfold(ics).filter((line) => line === 'BEGIN:VEVENT')).toHaveLength(1);
    expect(eventProperty(ics, 'UID')).toBe('UID:mtg-42@tandem');
    expect(eventProperty(ics, 'DTSTAMP')).toBe('DTSTAMP:20261126T093000Z');
    expect(eventProperty(ics, 'URL')).toBe('URL:tandem://join/design-review');
    expect(eventProperty(ics, 'STATUS')).toBe('STATUS:CONFIRMED');
  });

  it('writes local times with TZID and a VTIMEZONE holding the zone’s daylight-saving rules', () => {
    const ics = serialize(weekly);
    expect(eventProperty(ics, 'DTSTART')).toBe('DTSTART;TZID=Europe/Berlin:20261203T160000');
    expect(eventProperty(ics, 'DTEND')).toBe('DTEND;TZID=Europe/Berlin:20261203T170000');
    const lines = unfold(ics);
    const zone = lines.slice(lines.indexOf('BEGIN:VTIMEZONE'), lines.indexOf('END:VTIMEZONE') + 1);
    expect(zone).toEqual([
      'BEGIN:VTIMEZONE',
      'TZID:Europe/Berlin',
      'BEGIN:DAYLIGHT',
      'DTSTART:20250330T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU',
      'TZOFFSETFROM:+0100',
      'TZOFFSETTO:+0200',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'DTSTART:20251026T030000',
      'RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU',
      'TZOFFSETFROM:+0200',
      'TZOFFSETTO:+0100',
      'END:STANDARD',
      'END:VTIMEZONE',
    ]);
  });

  it('describes New York’s second-Sunday rule, a southern zone, and a zone without daylight saving', () => {
    const at = (timeZone: string): string[] => unfold(serialize({ ...weekly, timeZone }));
    expect(at('America/New_York')).toContain('RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU');
    expect(at('America/New_York')).toContain('RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU');
    const sydney = at('Australia/Sydney');
    expect(sydney).toContain('RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=1SU');
    expect(sydney).toContain('TZOFFSETTO:+1100');
    const kolkata = at('Asia/Kolkata');
    expect(kolkata).toContain('TZOFFSETTO:+0530');
    expect(kolkata.some((line) => line.startsWith('RRULE:FREQ=YEARLY'))).toBe(false);
  });

  it('writes one VTIMEZONE per zone and none for UTC events, which carry Z', () => {
    const ics = serialize(weekly, { ...weekly, uid: 'b' }, { ...weekly, uid: 'c', timeZone: 'UTC', rrule: undefined });
    expect(unfold(ics).filter((line) => line === 'BEGIN:VTIMEZONE')).toHaveLength(1);
    expect(unfold(ics)).toContain('DTSTART:20261203T150000Z');
  });

  it('writes the stored rule as RRULE, and none for a single meeting', () => {
    const rule = (rrule: string | undefined): string | undefined =>
      eventProperty(serialize({ ...weekly, rrule }), 'RRULE');
    expect(rule('FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270331T220000Z')).toBe(
      'RRULE:FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20270331T220000Z',
    );
    expect(rule(undefined)).toBeUndefined();
  });

  it('writes a moved occurrence as its own VEVENT with the series UID and a RECURRENCE-ID in the zone', () => {
    const lines = unfold(
      serialize({
        ...weekly,
        overrides: [
          {
            recurrenceId: DEC_3_BERLIN_16H + 7 * 24 * HOUR,
            start: DEC_3_BERLIN_16H + 7 * 24 * HOUR + 2 * HOUR,
            end: DEC_3_BERLIN_16H + 7 * 24 * HOUR + 3 * HOUR,
            summary: 'Design review (late)',
          },
        ],
      }),
    );
    const second = lines.slice(lines.lastIndexOf('BEGIN:VEVENT'));
    expect(second).toContain('UID:mtg-42@tandem');
    expect(second).toContain('RECURRENCE-ID;TZID=Europe/Berlin:20261210T160000');
    expect(second).toContain('DTSTART;TZID=Europe/Berlin:20261210T180000');
    expect(second).toContain('SUMMARY:Design review (late)');
  });

  it('lists removed occurrences as EXDATE in the event’s zone, on the wall clock across DST', () => {
    // 2 April 2027 is after the clocks went forward: 16:00 Berlin is then 14:00 UTC.
    const exdate = eventProperty(
      serialize({ ...weekly, exceptions: [DEC_3_BERLIN_16H + 7 * 24 * HOUR, Date.UTC(2027, 3, 1, 14, 0)] }),
      'EXDATE',
    );
    expect(exdate).toBe('EXDATE;TZID=Europe/Berlin:20261210T160000,20270401T160000');
  });

  it('keeps a cancelled meeting with STATUS:CANCELLED and its sequence', () => {
    const ics = serialize({ ...weekly, cancelled: true, sequence: 3 });
    expect(eventProperty(ics, 'STATUS')).toBe('STATUS:CANCELLED');
    expect(eventProperty(ics, 'SEQUENCE')).toBe('SEQUENCE:3');
  });

  it('escapes TEXT values and leaves the URL as it is', () => {
    const ics = serialize({
      ...weekly,
      summary: 'Budget; Q1, Q2',
      description: 'Agenda:\r\n1. C:\\files\n2. done',
      location: 'Room 4, Floor 2',
      url: 'https://zoom.us/j/81234567890?pwd=a,b;c',
    });
    expect(eventProperty(ics, 'SUMMARY')).toBe('SUMMARY:Budget\\; Q1\\, Q2');
    expect(eventProperty(ics, 'DESCRIPTION')).toBe('DESCRIPTION:Agenda:\\n1. C:\\\\files\\n2. done');
    expect(eventProperty(ics, 'LOCATION')).toBe('LOCATION:Room 4\\, Floor 2');
    expect(eventProperty(ics, 'URL')).toBe('URL:https://zoom.us/j/81234567890?pwd=a,b;c');
  });

  it('folds every line to 75 octets and unfolds to the original', () => {
    const description = 'Préparation du trimestre — 会議の議題 😀🎉 '.repeat(12);
    const ics = serialize({ ...weekly, description });
    for (const line of ics.split('\r\n')) expect(utf8ByteLength(line)).toBeLessThanOrEqual(75);
    expect(eventProperty(ics, 'DESCRIPTION')).toBe(`DESCRIPTION:${escapeText(description)}`);
  });
});

describe('escapeText', () => {
  it('drops control characters RFC 5545 forbids, keeping tabs', () => {
    expect(escapeText('a\u0000b\u0007c\td')).toBe('abc\td');
  });
});

describe('foldLine', () => {
  it('leaves a 75-octet line alone and folds the 76th octet onto a continuation line', () => {
    const exact = 'X'.repeat(75);
    expect(foldLine(exact)).toBe(exact);
    expect(foldLine(`${exact}Y`)).toBe(`${exact}\r\n Y`);
  });

  it('never splits a multi-byte character, even when it straddles the 75th octet', () => {
    // 74 ASCII octets, then a 3-octet character: it cannot fit, so it moves whole.
    const line = `${'a'.repeat(74)}会${'b'.repeat(80)}`;
    const [first, second] = foldLine(line).split('\r\n');
    expect(first).toBe('a'.repeat(74));
    expect(second?.startsWith(' 会')).toBe(true);
    // Emoji are two UTF-16 units; a split between them would leave a lone surrogate.
    for (const part of foldLine('😀'.repeat(60)).split('\r\n')) {
      expect(part).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
      expect(utf8ByteLength(part)).toBeLessThanOrEqual(75);
    }
  });
});
