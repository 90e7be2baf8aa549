import { lazySchema } from '../lazySchema.ts';
/**
 * Recognises a meeting in whatever the user pasted: a bare link, a native-client URL, a Meet
 * code, or a whole invitation e-mail (the link plus meeting ID, passcode and phone bridges).
 *
 * Invariants:
 * - The result is a closed union: `{ ok: true, meeting }` or `{ ok: false, reason, message }`
 *   where `reason` is machine-readable and `message` is for people.
 * - In a text with several links, the first link that is a meeting wins; other links of the same
 *   provider (meeting options, "find your local number") are ignored. A text with a meeting host
 *   but no usable meeting in it is `malformed`; a text with no meeting host is `unknown_provider`.
 * - A link whose host only looks like a meeting host (`meet.google.com.attacker.example`) is
 *   `lookalike_host` when no real meeting link stands beside it: it is refused, never read again
 *   as a bare Meet code or an invitation's printed meeting ID.
 * - Values are kept as the provider issued them (case of passcodes, encoded Zoom `pwd` tokens);
 *   only numbers are normalised (digits only, E.164 for phones). The passcode people type is the
 *   printed "Passcode:" line when there is one, the link's token (Teams `p=`) otherwise.
 */
import { z } from 'zod';
import { parseDeepLink } from '../deepLink.ts';
import { PRODUCT } from '../product.ts';
import { SipAddressSchema } from '../api/phone.ts';
import { codeAfter, findDialIns, teamsSipBridge, zoomSipBridge, type DialIn, type SipBridge } from './phone.ts';
import { splitUrl, type SplitUrl } from './url.ts';

export const MeetingProviderSchema = lazySchema(() => z.enum(['teams', 'zoom', 'meet', 'tandem']));
export type MeetingProvider = z.infer<typeof MeetingProviderSchema>;

const DialInSchema = lazySchema(() =>
  z.object({ e164: z.string().nullable(), raw: z.string(), label: z.string().nullable() }).readonly(),
);

/** A room connector the audio bridge may call instead of a phone number (`SipBridge`). */
export const SipBridgeSchema = lazySchema(() =>
  z.object({ address: SipAddressSchema, code: z.string().regex(/^\d+$/).nullable() }).readonly(),
);

const common = {
  /** The provider's meeting number, digits only (Teams, Zoom) or the Meet code. */
  meetingId: lazySchema(() => z.string().nullable()),
  /** The passcode people type, as printed (Teams `p=`, "Passcode:" lines). */
  passcode: lazySchema(() => z.string().nullable()),
  dialIns: lazySchema(() => z.array(DialInSchema).readonly()),
  /** Zoom's "Join by SIP", Teams' video conferencing device; null when none is printed (meetings linked before had none). */
  sipBridge: lazySchema(() => SipBridgeSchema.nullable().default(null)),
};

export const LinkedMeetingSchema = lazySchema(() =>
  z.discriminatedUnion('provider', [
    z
      .object({
        provider: z.literal('teams'),
        ...common,
        /** https link to open in a browser; the native `msteams:` link is derived from it. */
        webUrl: z.string(),
        /** `19:meeting_…@thread.v2` of `/l/meetup-join/` links. */
        threadId: z.string().nullable(),
        tenantId: z.string().nullable(),
        organizerId: z.string().nullable(),
        /** "Phone conference ID", the code the audio bridge asks for. */
        conferenceId: z.string().nullable(),
      })
      .readonly(),
    z
      .object({
        provider: z.literal('zoom'),
        ...common,
        /** `zoom.us`, or a company's own `acme.zoom.us`, kept for single sign-on. */
        host: z.string(),
        webUrl: z.string(),
        /** The encrypted passcode token of `?pwd=`, which lets the client join without asking. */
        pwd: z.string().nullable(),
        /** A personal link name (`/my/<name>`) instead of a number. */
        vanity: z.string().nullable(),
        webinar: z.boolean(),
        /** The numeric passcode the phone bridge asks for (the one-tap `*123456#`). */
        phonePasscode: z.string().nullable(),
      })
      .readonly(),
    z
      .object({
        provider: z.literal('meet'),
        ...common,
        webUrl: z.string(),
        /** "PIN" of the phone bridge. */
        pin: z.string().nullable(),
      })
      .readonly(),
    z.object({ provider: z.literal('tandem'), ...common, code: z.string() }).readonly(),
  ]),
);
export type LinkedMeeting = z.infer<typeof LinkedMeetingSchema>;

export const LinkFailureReasonSchema = lazySchema(() =>
  z.enum(['empty', 'unknown_provider', 'malformed', 'lookalike_host']),
);
export type LinkFailureReason = z.infer<typeof LinkFailureReasonSchema>;

export type LinkParseResult =
  | { readonly ok: true; readonly meeting: LinkedMeeting }
  | { readonly ok: false; readonly reason: LinkFailureReason; readonly message: string };

const TEAMS_HOSTS = new Set([
  'teams.microsoft.com',
  'teams.live.com',
  'gov.teams.microsoft.us',
  'dod.teams.microsoft.us',
]);
const ZOOM_HOST = /^(?:[a-z0-9-]+\.)*(?:zoom\.us|zoomgov\.com)$/;
const MEET_HOSTS = new Set(['meet.google.com', 'tel.meet']);
/**
 * A meeting host followed by more labels: `meet.google.com.attacker.example` belongs to whoever
 * owns `attacker.example`. (Subdomains of a meeting host, `acme.zoom.us`, are the provider's.)
 */
const LOOKALIKE_HOSTS: readonly (readonly [RegExp, string])[] = [
  [/(?:^|\.)teams\.(?:microsoft\.com|live\.com|microsoft\.us)\.[a-z0-9-]/, 'Microsoft Teams'],
  [/(?:^|\.)(?:zoom\.us|zoomgov\.com)\.[a-z0-9-]/, 'Zoom'],
  [/(?:^|\.)(?:meet\.google\.com|tel\.meet)\.[a-z0-9-]/, 'Google Meet'],
];
/** Meet codes are three, four and three lower-case letters. */
const MEET_CODE = /^[a-z]{3}-[a-z]{4}-[a-z]{3}$/;
const BARE_MEET_CODE = /(?<![\w-])[a-z]{3}-[a-z]{4}-[a-z]{3}(?![\w-])/i;
const LINK_SCHEMES = new Set(['http', 'https', 'msteams', 'zoommtg', 'zoomus', PRODUCT.protocolScheme]);
const PASSCODE = /\b(?:Passcode|Password)\s*:\s*(\S+)/i;
const ZOOM_ID = /^\d{9,11}$/;
const TEAMS_THREAD = /^19:[^@\s]+@thread\.(?:v2|skype|tacv2)$/;
/** Tokens that may be links: with a scheme, or starting with a host we know (or one like it). */
const LINKISH =
  /(?:[a-z][a-z0-9+.-]*:\/{0,2}|(?:[a-z0-9-]+\.)*(?:zoom\.us|zoomgov\.com|teams\.microsoft\.com|teams\.live\.com|meet\.google\.com|tel\.meet)(?:\.[a-z0-9-]+)*\/)[^\s<>"'`]+/gi;

type Extracted =
  { readonly meeting: LinkedMeeting } | { readonly malformed: string } | { readonly lookalike: string } | null;

export function parseMeetingLink(input: string): LinkParseResult {
  const text = input.trim();
  if (text === '') return { ok: false, reason: 'empty', message: 'Paste a meeting link or invitation.' };
  let malformed: string | null = null;
  let lookalike: string | null = null;
  let sawLink = false;
  for (const token of text.match(LINKISH) ?? []) {
    const link = token.replace(/[.,;:!?)\]>]+$/, '');
    const absolute = /^[a-z][a-z0-9+.-]*:/i.test(link) ? link.replace(/^http:/i, 'https:') : `https://${link}`;
    const wrapped = splitUrl(absolute);
    const target = wrapped === null ? null : unwrapRedirect(wrapped);
    const url = target === null ? wrapped : splitUrl(target);
    if (url === null || !LINK_SCHEMES.has(url.scheme)) continue;
    sawLink = true;
    const found = fromUrl(url, target ?? absolute, text);
    if (found === null) continue;
    if ('meeting' in found) return { ok: true, meeting: found.meeting };
    if ('lookalike' in found) lookalike ??= found.lookalike;
    else malformed ??= found.malformed;
  }
  // The codes and numbers printed beside a look-alike link are the attacker's too.
  if (lookalike !== null) return { ok: false, reason: 'lookalike_host', message: lookalike };
  const written = linkFromInvitationText(text);
  const fromText = written === null ? null : fromUrl(written.url, written.link, text);
  if (fromText !== null && 'meeting' in fromText) return { ok: true, meeting: fromText.meeting };
  if (malformed !== null) return { ok: false, reason: 'malformed', message: malformed };
  const code = BARE_MEET_CODE.exec(text)?.[0];
  if (code !== undefined) return { ok: true, meeting: meet(code.toLowerCase(), text, null) };
  return {
    ok: false,
    reason: 'unknown_provider',
    message: sawLink
      ? 'This link is not a Teams, Zoom, Google Meet or Tandem meeting.'
      : 'No Teams, Zoom, Google Meet or Tandem meeting link found.',
  };
}

/**
 * Mail gateways rewrite links in invitations (Outlook Safe Links, Google's redirector); the
 * meeting link is their parameter.
 */
function unwrapRedirect(url: SplitUrl): string | null {
  const target = url.host.endsWith('.safelinks.protection.outlook.com')
    ? url.query.get('url')
    : /^(?:www\.)?google\.com$/.test(url.host) && url.segments?.[0] === 'url'
      ? url.query.get('q')
      : undefined;
  return target !== undefined && /^https?:\/\//i.test(target) ? target.replace(/^http:/i, 'https:') : null;
}

/**
 * An invitation copied as plain text often loses its link ("Join the meeting now" without the
 * URL) but keeps the meeting ID and passcode, from which Teams and Zoom links can be written.
 */
function linkFromInvitationText(text: string): { readonly url: SplitUrl; readonly link: string } | null {
  const meetingId = codeAfter(text, /Meeting ID/);
  if (meetingId === null) return null;
  const passcode = PASSCODE.exec(text)?.[1];
  let link: string | null = null;
  if (/\bMicrosoft Teams\b/i.test(text) && /^\d{10,20}$/.test(meetingId)) {
    link = `https://teams.microsoft.com/meet/${meetingId}${passcode === undefined ? '' : `?p=${encodeURIComponent(passcode)}`}`;
  } else if (/\bZoom\b/i.test(text) && ZOOM_ID.test(meetingId)) {
    link = `https://zoom.us/j/${meetingId}`;
  }
  const url = link === null ? null : splitUrl(link);
  return link === null || url === null ? null : { url, link };
}

function fromUrl(url: SplitUrl, link: string, text: string): Extracted {
  if (url.scheme === PRODUCT.protocolScheme) {
    const deepLink = parseDeepLink(link);
    return deepLink === null
      ? { malformed: 'This Tandem link has no valid join code.' }
      : { meeting: { provider: 'tandem', code: deepLink.code, ...details(text, null, null) } };
  }
  const imitated = LOOKALIKE_HOSTS.find(([pattern]) => pattern.test(url.host))?.[1];
  if (imitated !== undefined) {
    return {
      lookalike: `This link goes to ${url.host}, which only looks like ${imitated}: it is not a ${imitated} meeting.`,
    };
  }
  const provider =
    url.scheme === 'msteams' || TEAMS_HOSTS.has(url.host)
      ? teams
      : url.scheme === 'zoommtg' || url.scheme === 'zoomus' || ZOOM_HOST.test(url.host)
        ? zoom
        : MEET_HOSTS.has(url.host)
          ? meetFromUrl
          : null;
  if (provider === null) return null;
  if (url.segments === null) return { malformed: 'This meeting link is damaged (its encoding is invalid).' };
  return provider({ ...url, segments: url.segments }, link, text);
}

type ProviderUrl = SplitUrl & { readonly segments: readonly string[] };

function teams(url: ProviderUrl, link: string, text: string): Extracted {
  const { segments } = url;
  const base = (threadId: string | null, meetingId: string | null, passcode: string | null) => ({
    provider: 'teams' as const,
    // As issued: Teams is picky about the encoding of thread ids and context.
    webUrl: link.replace(/^msteams:(?:\/\/[^/]*)?/i, 'https://teams.microsoft.com'),
    threadId,
    tenantId: null,
    organizerId: null,
    conferenceId: codeAfter(text, /Phone conference ID/),
    ...details(text, meetingId, passcode),
    sipBridge: teamsSipBridge(text),
  });
  if (segments[0] === 'l' && segments[1] === 'meetup-join') {
    const threadId = segments[2] ?? '';
    if (!TEAMS_THREAD.test(threadId)) return { malformed: 'This Teams link has no valid meeting thread.' };
    const context = parseContext(url.query.get('context'));
    return { meeting: { ...base(threadId, null, null), tenantId: context.Tid, organizerId: context.Oid } };
  }
  if (segments[0] === 'meet' && /^\d{9,20}$/.test(segments[1] ?? '')) {
    return { meeting: base(null, segments[1] ?? null, url.query.get('p') ?? null) };
  }
  // Meeting options and the like are not meetings and are skipped; other `/l/` and `/meet/`
  // links claim to be one, so a text with nothing better is malformed.
  return segments[0] === 'l' || segments[0] === 'meet' ? { malformed: 'This Teams link is not a meeting link.' } : null;
}

function parseContext(raw: string | undefined): { readonly Tid: string | null; readonly Oid: string | null } {
  try {
    const parsed = z
      .object({ Tid: z.string().optional(), Oid: z.string().optional() })
      .safeParse(JSON.parse(raw ?? '{}'));
    return { Tid: parsed.data?.Tid ?? null, Oid: parsed.data?.Oid ?? null };
  } catch {
    return { Tid: null, Oid: null };
  }
}

function zoom(url: ProviderUrl, _link: string, text: string): Extracted {
  const { segments } = url;
  const native = url.scheme === 'zoommtg' || url.scheme === 'zoomus';
  const host = native || url.host === '' ? 'zoom.us' : url.host;
  const [first, second, third] = segments;
  let meetingId: string | null = null;
  let vanity: string | null = null;
  let webinar = false;
  if (native && first === 'join') meetingId = url.query.get('confno') ?? null;
  else if (first === 'j' || first === 's') meetingId = second ?? null;
  else if (first === 'w') [meetingId, webinar] = [second ?? null, true];
  else if (first === 'wc' && second === 'join') meetingId = third ?? null;
  else if (first === 'wc' && third === 'join') meetingId = second ?? null;
  else if (first === 'my' && /^[A-Za-z0-9._-]{2,64}$/.test(second ?? '')) vanity = second ?? null;
  else
    return first === 'j' || first === 'w' || first === 'my' || native
      ? { malformed: 'This Zoom link has no meeting.' }
      : null;
  if (vanity === null && (meetingId === null || !ZOOM_ID.test(meetingId))) {
    return { malformed: 'This Zoom link has no valid meeting ID.' };
  }
  const pwd = url.query.get('pwd') ?? null;
  const oneTap = /,,\d{9,11}#,*\*(\d+)#/.exec(text);
  const fromText = details(text, meetingId, null);
  const phonePasscode =
    oneTap?.[1] ?? (fromText.passcode !== null && /^\d+$/.test(fromText.passcode) ? fromText.passcode : null);
  const canonical =
    vanity !== null ? `https://${host}/my/${vanity}` : `https://${host}/${webinar ? 'w' : 'j'}/${meetingId ?? ''}`;
  return {
    meeting: {
      provider: 'zoom',
      host,
      webUrl: pwd === null ? canonical : `${canonical}?pwd=${encodeURIComponent(pwd)}`,
      pwd,
      vanity,
      webinar,
      phonePasscode,
      ...fromText,
      sipBridge: zoomSipBridge(text, meetingId, phonePasscode),
    },
  };
}

function meetFromUrl(url: ProviderUrl, _link: string, text: string): Extracted {
  const [first, second] = url.segments.map((segment) => segment.toLowerCase());
  if (first !== undefined && MEET_CODE.test(first)) return { meeting: meet(first, text, url.query.get('pin') ?? null) };
  if (first === 'lookup' && second !== undefined && /^[a-z0-9]{4,40}$/.test(second)) {
    return { meeting: { ...meet(second, text, null), webUrl: `https://meet.google.com/lookup/${second}` } };
  }
  return url.host === 'meet.google.com' && first !== undefined && !['_meet', 'new'].includes(first)
    ? { malformed: 'This Google Meet link has no valid meeting code.' }
    : null;
}

function meet(code: string, text: string, pin: string | null): Extract<LinkedMeeting, { provider: 'meet' }> {
  return {
    provider: 'meet',
    webUrl: `https://meet.google.com/${code}`,
    pin: pin ?? codeAfter(text, /\bPIN/),
    ...details(text, code, null),
  };
}

/**
 * Meeting ID, passcode and phone numbers printed in an invitation. The link's meeting ID wins (it
 * is what joins); the printed passcode wins over the link's token (it is what people type).
 */
function details(
  text: string,
  meetingId: string | null,
  passcode: string | null,
): { meetingId: string | null; passcode: string | null; dialIns: DialIn[]; sipBridge: SipBridge | null } {
  return {
    meetingId: meetingId ?? codeAfter(text, /Meeting ID/),
    passcode: PASSCODE.exec(text)?.[1] ?? passcode,
    dialIns: findDialIns(text),
    sipBridge: null,
  };
}
