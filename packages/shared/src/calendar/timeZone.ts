/**
 * Wall-clock times and VTIMEZONE blocks from the IANA database the runtime ships (Intl), so the
 * ICS feed needs no bundled time-zone data.
 *
 * A VTIMEZONE describes the zone's current yearly rule (onsets as "nth weekday of a month"),
 * observed from the year before the first event on. That covers recurring meetings into the
 * future as long as the zone's rules do not change; when they do, the next feed fetch carries
 * the new rule, which is all a subscription feed can do.
 */

export type WallClock = {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
};

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let format = formatters.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, format);
  }
  return format;
}

/** True for an IANA zone name the runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall clock in `timeZone` at an instant (epoch milliseconds; sub-seconds dropped). */
export function wallClock(instant: number, timeZone: string): WallClock {
  const parts = new Map(
    formatter(timeZone)
      .formatToParts(new Date(instant))
      .map((part) => [part.type, part.value]),
  );
  const field = (name: Intl.DateTimeFormatPartTypes): number => Number(parts.get(name));
  return {
    year: field('year'),
    month: field('month'),
    day: field('day'),
    hour: field('hour'),
    minute: field('minute'),
    second: field('second'),
  };
}

/** Minutes `timeZone` is ahead of UTC at an instant. */
export function offsetMinutes(instant: number, timeZone: string): number {
  const clock = wallClock(instant, timeZone);
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute, clock.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

type Transition = { readonly at: number; readonly from: number; readonly to: number };

const DAY = 86_400_000;

/** Offset changes during a UTC calendar year, found day by day then narrowed to the minute. */
function transitionsIn(year: number, timeZone: string): Transition[] {
  const found: Transition[] = [];
  let day = Date.UTC(year, 0, 1);
  let before = offsetMinutes(day, timeZone);
  while (day < Date.UTC(year + 1, 0, 1)) {
    const next = day + DAY;
    const after = offsetMinutes(next, timeZone);
    if (after !== before) {
      let [low, high] = [day, next];
      while (high - low > 60_000) {
        const middle = low + Math.floor((high - low) / 120_000) * 60_000;
        if (offsetMinutes(middle, timeZone) === before) low = middle;
        else high = middle;
      }
      found.push({ at: high, from: before, to: after });
    }
    [day, before] = [next, after];
  }
  return found;
}

/** `+0100`, `-0430`: the UTC-OFFSET value type of RFC 5545. */
export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

/** `20261203T160000`: a local DATE-TIME (no `Z`). */
export function formatWallClock(clock: WallClock): string {
  return `${clock.year}${pad(clock.month)}${pad(clock.day)}T${pad(clock.hour)}${pad(clock.minute)}${pad(clock.second)}`;
}

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/**
 * The content lines of a VTIMEZONE for `timeZone`, observed from `fromYear`: one STANDARD block
 * for a zone without daylight saving, else a STANDARD and a DAYLIGHT block with yearly rules.
 */
export function vtimezoneLines(timeZone: string, fromYear: number): string[] {
  const transitions = transitionsIn(fromYear, timeZone);
  if (transitions.length === 0) {
    const offset = formatOffset(offsetMinutes(Date.UTC(fromYear, 0, 1), timeZone));
    return [
      'BEGIN:VTIMEZONE',
      `TZID:${timeZone}`,
      'BEGIN:STANDARD',
      `DTSTART:${fromYear}0101T000000`,
      `TZOFFSETFROM:${offset}`,
      `TZOFFSETTO:${offset}`,
      'END:STANDARD',
      'END:VTIMEZONE',
    ];
  }
  const observances = transitions.flatMap((transition) => {
    // The onset is written in the wall clock of the offset in force before it (RFC 5545 3.6.5).
    const local = new Date(transition.at + transition.from * 60_000);
    const [month, day] = [local.getUTCMonth() + 1, local.getUTCDate()];
    const monthLength = new Date(Date.UTC(local.getUTCFullYear(), month, 0)).getUTCDate();
    const week = day + 7 > monthLength ? -1 : Math.ceil(day / 7);
    const kind = transition.to > transition.from ? 'DAYLIGHT' : 'STANDARD';
    return [
      `BEGIN:${kind}`,
      `DTSTART:${formatWallClock({ year: local.getUTCFullYear(), month, day, hour: local.getUTCHours(), minute: local.getUTCMinutes(), second: 0 })}`,
      `RRULE:FREQ=YEARLY;BYMONTH=${month};BYDAY=${week}${WEEKDAYS[local.getUTCDay()] ?? 'SU'}`,
      `TZOFFSETFROM:${formatOffset(transition.from)}`,
      `TZOFFSETTO:${formatOffset(transition.to)}`,
      `END:${kind}`,
    ];
  });
  return ['BEGIN:VTIMEZONE', `TZID:${timeZone}`, ...observances, 'END:VTIMEZONE'];
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}
