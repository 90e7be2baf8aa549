import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { serializeCalendar, type CalendarEvent } from './ics.ts';

// Cross-check with an independent RFC 5545 implementation (ical.js, Mozilla's parser for
// Thunderbird): what we write must parse, unescape and expand to the instants we meant.

const DAY = 86_400_000;
/** Thursday 3 December 2026, 16:00 in Berlin (15:00 UTC). */
const FIRST = Date.UTC(2026, 11, 3, 15, 0, 0);

function parse(events: CalendarEvent[]): ICAL.Event[] {
  const calendar = new ICAL.Component(
    ICAL.parse(serializeCalendar({ name: 'Interop', events, generatedAt: Date.UTC(2026, 10, 26) })),
  );
  for (const zone of calendar.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return calendar.getAllSubcomponents('vevent').map((vevent) => new ICAL.Event(vevent));
}

function occurrences(event: ICAL.Event, limit: number): number[] {
  const iterator = event.iterator();
  const found: number[] = [];
  for (let next = iterator.next(); next !== undefined && found.length < limit; next = iterator.next()) {
    found.push(next.toUnixTime() * 1000);
  }
  return found;
}

describe('ICS interop (ical.js)', () => {
  it('expands a weekly Berlin meeting at 16:00 local on both sides of the clock change, without EXDATEs', () => {
    const [event] = parse([
      {
        uid: 'weekly@tandem',
        start: FIRST,
        end: FIRST + 3_600_000,
        timeZone: 'Europe/Berlin',
        summary: 'Weekly',
        rrule: 'FREQ=WEEKLY;BYDAY=TH;COUNT=20',
        exceptions: [FIRST + 7 * DAY],
      },
    ]);
    if (event === undefined) throw new Error('no event parsed');
    const instants = occurrences(event, 30);
    expect(instants).toHaveLength(19);
    expect(instants[0]).toBe(FIRST);
    expect(instants).not.toContain(FIRST + 7 * DAY);
    // 1 April 2027: summer time, so 16:00 Berlin is 14:00 UTC.
    expect(instants).toContain(Date.UTC(2027, 3, 1, 14, 0));
    expect(instants).not.toContain(Date.UTC(2027, 3, 1, 15, 0));
  });

  it('stops a daily series at UNTIL and reads back escaped, folded, multi-byte text', () => {
    const description = 'Ordre du jour ; budget, équipe\nNächste Schritte — 会議 😀 '.repeat(6).trim();
    const [event] = parse([
      {
        uid: 'daily@tandem',
        start: FIRST,
        end: FIRST + 1_800_000,
        timeZone: 'America/New_York',
        summary: 'Stand-up, daily; short',
        description,
        location: 'Room 4, Floor 2',
        rrule: `FREQ=DAILY;UNTIL=${new Date(FIRST + 4 * DAY).toISOString().replace(/[-:]|\.\d{3}/g, '')}`,
        cancelled: true,
      },
    ]);
    if (event === undefined) throw new Error('no event parsed');
    expect(occurrences(event, 10)).toEqual([0, 1, 2, 3, 4].map((day) => FIRST + day * DAY));
    expect([event.summary, event.description, event.location]).toEqual([
      'Stand-up, daily; short',
      description,
      'Room 4, Floor 2',
    ]);
    expect(event.component.getFirstPropertyValue('status')).toBe('CANCELLED');
  });
});
