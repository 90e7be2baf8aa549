import { lazySchema } from '../lazySchema.ts';
import { z } from 'zod';

/**
 * Phone calls into and out of meetings (livekit-sip): dial-in numbers of an organisation, a
 * meeting's PIN, calling a phone or SIP address into a meeting, and the audio bridge into a
 * linked Teams, Zoom or Meet meeting.
 */

/** `+` and 8 to 15 digits, the form a SIP trunk dials. */
export const E164Schema = lazySchema(() =>
  z.string().regex(/^\+[1-9]\d{7,14}$/, 'an international number: + then 8 to 15 digits'),
);

/** One number people call to reach the organisation's meetings, with what it is (a country, a city, toll-free). */
export const DialInNumberSchema = lazySchema(() =>
  z.object({
    number: E164Schema,
    label: z.string().trim().max(60).default(''),
  }),
);
export type DialInNumber = z.infer<typeof DialInNumberSchema>;

/** An organisation's dial-in numbers (owners and admins set them; everyone reads them in invitations). */
export const DialInNumbersSchema = lazySchema(() => z.object({ numbers: z.array(DialInNumberSchema).max(20) }));
export type DialInNumbers = z.infer<typeof DialInNumbersSchema>;

/** PINs are 9 digits: a billion of them, so guessing one by trying is hopeless even before the rate limit. */
export const PHONE_PIN_DIGITS = 9;

/**
 * How to call into one meeting: its numbers and PIN. `available` is false when this server has no
 * phone service or the organisation has no number; then `pin` is null.
 */
export const DialInDetailsSchema = lazySchema(() =>
  z.object({
    available: z.boolean(),
    numbers: z.array(DialInNumberSchema),
    pin: z.string().regex(/^\d+$/).nullable(),
  }),
);
export type DialInDetails = z.infer<typeof DialInDetailsSchema>;

const SIP_USER = '[A-Za-z0-9._~+-]{1,64}';
const DNS_LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const SIP_ADDRESS = new RegExp(`^sip:(${SIP_USER})@((?:${DNS_LABEL}\\.)*${DNS_LABEL})(?::(\\d{1,5}))?$`, 'i');

/** A SIP address called directly: `sip:name@host[:port]`, the host a DNS name or an IPv4 address (UDP). */
export type SipAddress = { readonly user: string; readonly host: string; readonly port: number };

/** `sip:ann@pbx.example.com:5070` → its parts (port 5060 when none is given); undefined when it is not one. */
export function parseSipAddress(text: string): SipAddress | undefined {
  const m = SIP_ADDRESS.exec(text);
  if (m?.[1] === undefined || m[2] === undefined) return undefined;
  const port = m[3] === undefined ? 5060 : Number(m[3]);
  if (port < 1 || port > 65535) return undefined;
  return { user: m[1], host: m[2].toLowerCase(), port };
}

export const SipAddressSchema = lazySchema(() =>
  z
    .string()
    .refine((text) => parseSipAddress(text) !== undefined, 'a SIP address: sip:name@host or sip:name@host:port'),
);

/**
 * Whom to call into a meeting: a phone number (E.164) through the server's SIP trunk, or a SIP
 * address (a desk phone, a PBX, a video room system) called directly.
 */
export const DialOutTargetSchema = lazySchema(() =>
  z.union([E164Schema, SipAddressSchema], {
    error: 'a phone number (+ then 8 to 15 digits) or a SIP address (sip:name@host)',
  }),
);

/** What someone typed in a "Call" field, as the target it names: numbers lose their spaces, dashes and brackets. */
export const typedDialOutTarget = (typed: string) => {
  const trimmed = typed.trim();
  return DialOutTargetSchema.safeParse(/^sip:/i.test(trimmed) ? trimmed : trimmed.replace(/[\s().-]/g, ''));
};

export const DialOutRequestSchema = lazySchema(() => z.object({ to: DialOutTargetSchema }));
export type DialOutRequest = z.infer<typeof DialOutRequestSchema>;

/** Who the call became in the meeting's room (hosts mute and remove them like anyone). */
export const DialOutResultSchema = lazySchema(() => z.object({ identity: z.string(), name: z.string() }));
export type DialOutResult = z.infer<typeof DialOutResultSchema>;

/**
 * The audio bridge into a linked meeting: `off`, `dialling` (the far bridge rings or hears its
 * keypad tones), `connected` (both meetings hear each other).
 */
export const AudioBridgeStateSchema = lazySchema(() => z.enum(['off', 'dialling', 'connected']));
export const AudioBridgeSchema = lazySchema(() =>
  z.object({
    state: AudioBridgeStateSchema,
    /** Where the bridge calls: the linked meeting's phone bridge (a number) or room connector (a SIP address); null when off. */
    to: DialOutTargetSchema.nullable(),
    /**
     * The room connector's SIP address that refused the call (the linked meeting's account has no
     * connector), when the bridge then called the phone bridge `to` with its keypad tones; else null.
     */
    fellBackFrom: SipAddressSchema.nullable(),
  }),
);
export type AudioBridge = z.infer<typeof AudioBridgeSchema>;

/**
 * A number as others see a phone caller: country code and the last four digits, the rest hidden
 * (`+441234561234` → `+44 •••• ••12 34`). Anything else (a withheld number) keeps only its last four characters.
 */
export function maskPhoneNumber(number: string): string {
  const digits = number.replace(/^\+/, '');
  if (!/^\d{8,15}$/.test(digits)) return `•••• ${number.slice(-4)}`;
  const country = digits.startsWith('1') || digits.startsWith('7') ? digits.slice(0, 1) : digits.slice(0, 2);
  const last = digits.slice(-4);
  return `+${country} •••• ••${last.slice(0, 2)} ${last.slice(2)}`;
}

/**
 * How a dialled-out call is named in the meeting: a number masked (`maskPhoneNumber`); a SIP
 * address by its host, its name's first two characters kept (`sip:annabel@pbx.example.com` → `an•••@pbx.example.com`).
 */
export function dialOutName(to: string): string {
  const sip = parseSipAddress(to);
  return sip === undefined ? maskPhoneNumber(to) : `${sip.user.slice(0, 2)}•••@${sip.host}`;
}

/** A PIN as people read it out: groups of three (`123 456 789`). */
export const formatPin = (pin: string): string => pin.replace(/(\d{3})(?=\d)/g, '$1 ');
