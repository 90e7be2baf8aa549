/**
 * Phone bridges in invitation text: dial-in numbers (normalised to E.164 where the text gives a
 * country code) and the keypad tones that get a caller into the meeting.
 *
 * Tone strings follow the one-tap `tel:` convention the providers print: digits, `*` and `#`
 * are keypad tones and each `,` is a pause of about two seconds, for the bridge's prompt to
 * finish. The audio bridge dials them with LiveKit SIP keypad tones, so they come from one
 * function, `dialTones`, for every provider.
 */
import { parseSipAddress } from '../api/phone.ts';

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

/**
 * A meeting's room connector as an invitation prints it for video room systems, which the audio
 * bridge may call instead of a phone number: `address` a SIP address (`sip:name@host`), `code`
 * what the connector's voice menu asks for (typed, then `#`), null when the address names the
 * meeting itself.
 */
export type SipBridge = { readonly address: string; readonly code: string | null };

/** Zoom's "Join by SIP" (H.323/SIP room connector): `<meeting ID>[.<passcode>]@zoomcrc.com`. */
const ZOOM_SIP = /(?<![\w.@-])(\d{9,11})(?:\.(\d{1,10}))?@((?:[a-z0-9-]+\.)*zoomcrc\.com)(?![\w.-]*\w)/i;

/**
 * Zoom's room-connector address for the meeting `meetingId`: the printed one, with the numeric
 * `passcode` added (`<ID>.<passcode>@…`, Zoom's own form) when the printed one has none, so the
 * connector does not ask for it. Null when the text prints none for this meeting.
 */
export function zoomSipBridge(text: string, meetingId: string | null, passcode: string | null): SipBridge | null {
  const m = ZOOM_SIP.exec(text);
  if (m?.[1] === undefined || m[3] === undefined || (meetingId !== null && m[1] !== meetingId)) return null;
  return zoomRoomConnector(m[1], m[2] ?? passcode, m[3]);
}

/**
 * The room-connector address of the Zoom meeting `meetingId`, by the dial string Zoom documents
 * for H.323/SIP room systems (`<meeting ID>@zoomcrc.com`; its meeting API answers no address):
 * with a numeric `passcode` as `<ID>.<passcode>@…`, so the connector does not ask for it (one with
 * letters is left out: the connector asks, and nobody on the bridge answers).
 */
export function zoomRoomConnector(meetingId: string, passcode: string | null, host = 'zoomcrc.com'): SipBridge | null {
  const pass = passcode !== null && /^\d{1,10}$/.test(passcode) ? `.${passcode}` : '';
  return callable(`sip:${meetingId}${pass}@${host.toLowerCase()}`, null);
}

/** Teams' "Join on (with) a video conferencing device" section: the interop service's address and the video ID. */
const TEAMS_VTC = /video conferencing device/i;
const VTC_ID = /Video (?:Conference )?ID/;
/** `name@host[:port]`, the host a DNS name or an IPv4 address (an interop service on premises). */
const ADDRESS =
  /(?<![\w.@-])([A-Za-z0-9._~+-]{1,64})@((?:[A-Za-z0-9-]+\.)+[A-Za-z]{2,}|\d{1,3}(?:\.\d{1,3}){3})(:\d{1,5})?(?![\w-])/;
/** How far after its heading the section's address and video ID may be printed. */
const VTC_SECTION_CHARS = 400;

/**
 * Teams' Cloud Video Interop as its invitation prints it (`Tenant key: 411222333@t.plcm.vc`,
 * `Video ID: 119 756 380 5`): the address to call and the video ID its voice menu asks for; null
 * unless both are known (without the ID the connector cannot tell which meeting). `videoId` is
 * the ID as an API gives it (Graph's `videoTeleconferenceId`), which wins over the printed one.
 */
export function teamsSipBridge(text: string, videoId: string | null = null): SipBridge | null {
  const start = text.search(TEAMS_VTC);
  if (start < 0) return null;
  // Bracketed links (`<https://…?key=…>`) are not the address to call.
  const section = text.slice(start, start + VTC_SECTION_CHARS).replace(/<[^>]*>/g, ' ');
  const m = ADDRESS.exec(section);
  // Keyed as keypad tones: digits only.
  const code = (videoId !== null && /^\d+$/.test(videoId) ? videoId : null) ?? codeAfter(section, VTC_ID);
  if (m?.[1] === undefined || m[2] === undefined || code === null) return null;
  return callable(`sip:${m[1]}@${m[2].toLowerCase()}${m[3] ?? ''}`, m[1] === code ? null : code);
}

/** Only an address the dial-out takes (`parseSipAddress`) is kept. */
const callable = (address: string, code: string | null): SipBridge | null =>
  parseSipAddress(address) === undefined ? null : { address, code };
