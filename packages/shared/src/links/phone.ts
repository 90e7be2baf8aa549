/**
 * Phone bridges in invitation text: dial-in numbers (normalised to E.164 where the text gives a
 * country code) and the keypad tones that get a caller into the meeting.
 *
 * Tone strings follow the one-tap `tel:` convention the providers print: digits, `*` and `#`
 * are keypad tones and each `,` is a pause of about two seconds, for the bridge's prompt to
 * finish. The audio bridge dials them with LiveKit SIP keypad tones, so they come from one
 * function, `dialTones`, for every provider.
 */

export type DialIn = {
  /** `+` and 8 to 15 digits when the number carried its country code, else null. */
  readonly e164: string | null;
  /** The number as printed. */
  readonly raw: string;
  /** What the text says about it: country, city; null when nothing. */
  readonly label: string | null;
};

/** What a bridge asks for after it answers. */
export type BridgeCode =
  | { readonly provider: 'teams'; readonly conferenceId: string }
  | { readonly provider: 'zoom'; readonly meetingId: string; readonly phonePasscode: string | null }
  | { readonly provider: 'meet'; readonly pin: string };

/** Zoom reads the meeting ID, then prompts for the passcode: four pauses cover that prompt. */
const ZOOM_PASSCODE_PAUSE = ',,,,';

export function dialTones(code: BridgeCode): string {
  switch (code.provider) {
    case 'teams':
      return `${code.conferenceId}#`;
    case 'zoom':
      return code.phonePasscode === null
        ? `${code.meetingId}#`
        : `${code.meetingId}#${ZOOM_PASSCODE_PAUSE}*${code.phonePasscode}#`;
    case 'meet':
      return `${code.pin}#`;
    default: {
      const unreachable: never = code;
      return unreachable;
    }
  }
}

/**
 * E.164 form of a printed number, or null when the text does not carry a country code (a
 * national number cannot be normalised without guessing the country). Accepts `+`, `00` and
 * `tel:` prefixes and the trunk `(0)` some countries print after the country code.
 */
export function toE164(printed: string): string | null {
  const compact = printed
    .trim()
    .replace(/^tel:/i, '')
    .replace(/\(0\)/g, '')
    .replace(/[\s().\-\u00a0]/g, '');
  const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : null;
  return international !== null && /^[1-9]\d{7,14}$/.test(international) ? `+${international}` : null;
}

/** A number as invitations print it: `+` (or `tel:+`), then digits with spaces, dashes, dots, brackets. */
const NUMBER = /(?:tel:)?\+\d[\d\s().\-\u00a0]{6,}\d/g;
/** One-tap tones after a number: `,,81234567890#,,,,*123456#`. */
const TONES_AFTER = /^,[\d,*#]*/;
const PIN_AFTER = /^\s*PIN\s*:?\s*[\d\s]+#?/i;

/** Every dial-in number in `text`, deduplicated by number, in order of appearance. */
export function findDialIns(text: string): DialIn[] {
  const found = new Map<string, DialIn>();
  // Bracketed links beside a number (`<tel:+1…>` in a Teams invitation) are not part of its label.
  for (const line of text.split(/\r?\n/).map((raw) => raw.replace(/<[^>]*>/g, ' '))) {
    for (const match of line.matchAll(NUMBER)) {
      const start = match.index;
      if (/[/=]$/.test(line.slice(0, start))) continue; // part of a URL
      const raw = match[0].replace(/^tel:/i, '').trim();
      const e164 = toE164(raw);
      const key = e164 ?? raw;
      if (found.has(key)) continue;
      let rest = line.slice(start + match[0].length);
      rest = rest.replace(TONES_AFTER, '').replace(PIN_AFTER, '');
      const label = tidyLabel(rest) ?? tidyLabel(line.slice(0, start));
      found.set(key, { e164, raw, label });
    }
  }
  return [...found.values()];
}

function tidyLabel(text: string): string | null {
  const tidy = text.replace(/^[\s,;:•·\-–—|]+|[\s,;:•·\-–—|]+$/g, '');
  return tidy === '' ? null : tidy;
}

/** Digits of a code printed in groups (`123 456 789#`), or null when the label is absent. */
export function codeAfter(text: string, label: RegExp): string | null {
  const match = new RegExp(`${label.source}\\s*:?\\s*(\\d[\\d ]*\\d)\\s*#?`, 'i').exec(text);
  return match?.[1]?.replace(/\s/g, '') ?? null;
}
